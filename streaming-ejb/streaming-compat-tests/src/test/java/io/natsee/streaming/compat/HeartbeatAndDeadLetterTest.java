package io.natsee.streaming.compat;

import io.nats.streaming.Message;
import io.nats.streaming.NatsStreaming;
import io.nats.streaming.Options;
import io.nats.streaming.StreamingConnection;
import io.nats.streaming.SubscriptionOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A server with short heartbeats ({@code -hbi 1s -hbt 1s -hbf 2}, as in the reference's observation) and, beyond
 * the reference, a maximum of deliveries with a dead-letter channel: a client whose connection died is dropped
 * after the missed heartbeats with its durable suspended; a message never acknowledged goes to the dead-letter
 * channel after its last allowed delivery.
 */
class HeartbeatAndDeadLetterTest {
    static final String CLUSTER = "hb-cluster";
    static ServerProcess server;
    static Monitor monitor;
    static String url;

    @BeforeAll
    static void start() throws Exception {
        int port = ServerProcess.freePort();
        int http = ServerProcess.freePort();
        server = ServerProcess.streaming("-a", "127.0.0.1", "-p", String.valueOf(port), "-m", String.valueOf(http),
                "-cid", CLUSTER, "-hbi", "1s", "-hbt", "1s", "-hbf", "2",
                "--max_deliveries", "2", "--dead_letter_channel", "dead");
        url = "nats://127.0.0.1:" + port;
        monitor = new Monitor(http);
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    static StreamingConnection connect(String clientId) throws IOException, InterruptedException {
        return NatsStreaming.connect(CLUSTER, clientId, new Options.Builder().natsUrl(url)
                .connectWait(Duration.ofSeconds(5)).build());
    }

    @Test
    void aClientWhoseConnectionDiedIsDroppedAfterTheMissedHeartbeatsAndItsDurableSuspended() throws Exception {
        StreamingConnection dying = connect("holder");
        dying.subscribe("hb.channel", m -> { }, new SubscriptionOptions.Builder().durableName("D").build());
        assertEquals(200, monitor.get("/streaming/clientsz?client=holder").status());
        long died = System.nanoTime();
        dying.getNatsConnection().close(); // gone without a close request, as after kill -9
        Monitor.Answer gone = monitor.await("/streaming/clientsz?client=holder", Duration.ofSeconds(8),
                answer -> answer.status() == 404);
        long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - died);
        assertEquals(404, gone.status(), gone.body());
        assertEquals("Client holder not found", gone.body());
        assertTrue(took >= 1500, "dropped after the heartbeats failed, not at once: " + took + " ms");
        Monitor.Answer channel = monitor.get("/streaming/channelsz?channel=hb.channel&subs=1");
        assertEquals(Boolean.TRUE, channel.bool("is_offline"), channel.body());
        assertEquals(Boolean.TRUE, channel.bool("is_durable"), channel.body());
        try (StreamingConnection again = connect("holder")) {
            again.subscribe("hb.channel", m -> { }, new SubscriptionOptions.Builder().durableName("D").build());
            assertEquals(Boolean.FALSE,
                    monitor.get("/streaming/channelsz?channel=hb.channel&subs=1").bool("is_offline"));
        }
    }

    @Test
    void aLiveClientIsKeptByItsHeartbeats() throws Exception {
        try (StreamingConnection alive = connect("alive")) {
            Thread.sleep(3500); // several heartbeat intervals
            assertEquals(200, monitor.get("/streaming/clientsz?client=alive").status());
            alive.publish("hb.alive", new byte[1]);
        }
    }

    @Test
    void aMessageNeverAcknowledgedGoesToTheDeadLetterChannelAfterItsLastDelivery() throws Exception {
        try (StreamingConnection connection = connect("dead-letter")) {
            BlockingQueue<Message> dead = new LinkedBlockingQueue<>();
            connection.subscribe("dead", dead::add, new SubscriptionOptions.Builder().build());
            BlockingQueue<Message> received = new LinkedBlockingQueue<>();
            connection.subscribe("work", received::add, new SubscriptionOptions.Builder().manualAcks()
                    .ackWait(Duration.ofSeconds(1)).build());
            connection.publish("work", "poison".getBytes(StandardCharsets.UTF_8));
            Message moved = dead.poll(6, TimeUnit.SECONDS);
            assertNotNull(moved, "the message reached the dead-letter channel");
            assertEquals("poison", new String(moved.getData(), StandardCharsets.UTF_8));
            List<Message> deliveries = new ArrayList<>();
            received.drainTo(deliveries);
            assertEquals(2, deliveries.size(), "delivered max_deliveries times");
            assertFalse(deliveries.get(0).isRedelivered());
            assertTrue(deliveries.get(1).isRedelivered());
            assertNull(received.poll(1500, TimeUnit.MILLISECONDS), "no delivery after the dead-letter move");
        }
    }
}
