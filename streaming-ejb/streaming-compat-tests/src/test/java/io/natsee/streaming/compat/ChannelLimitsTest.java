package io.natsee.streaming.compat;

import io.nats.streaming.Message;
import io.nats.streaming.NatsStreaming;
import io.nats.streaming.Options;
import io.nats.streaming.StreamingConnection;
import io.nats.streaming.Subscription;
import io.nats.streaming.SubscriptionOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Channel limits from a {@code -sc} configuration file's per-channel overrides, as the reference applies them:
 * max messages (oldest dropped, publishes still acknowledged), max age (expired while nothing is published),
 * max inactivity (an idle channel without subscriptions deleted), max subscriptions, and max channels.
 */
class ChannelLimitsTest {
    static final String CLUSTER = "limits-cluster";
    static ServerProcess server;
    static Monitor monitor;
    static String url;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("streaming.conf");
        Files.writeString(config, """
                streaming {
                  store_limits {
                    channels {
                      "few.>": { max_msgs: 5 }
                      "aging.>": { max_age: "1s" }
                      "idle.>": { max_inactivity: "1s" }
                      "narrow.>": { max_subs: 1 }
                    }
                  }
                }
                """);
        int port = ServerProcess.freePort();
        int http = ServerProcess.freePort();
        server = ServerProcess.streaming("-a", "127.0.0.1", "-p", String.valueOf(port), "-m", String.valueOf(http),
                "-cid", CLUSTER, "-sc", config.toString());
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

    static List<Long> allAvailable(StreamingConnection connection, String channel) throws Exception {
        BlockingQueue<Message> received = new LinkedBlockingQueue<>();
        Subscription subscription = connection.subscribe(channel, received::add,
                new SubscriptionOptions.Builder().deliverAllAvailable().build());
        List<Long> sequences = new ArrayList<>();
        Message message;
        while ((message = received.poll(400, TimeUnit.MILLISECONDS)) != null) {
            sequences.add(message.getSequence());
        }
        subscription.unsubscribe();
        return sequences;
    }

    @Test
    void maxMessagesDropsTheOldestAndStillAcknowledges() throws Exception {
        try (StreamingConnection connection = connect("few")) {
            for (int i = 1; i <= 10; i++) {
                connection.publish("few.x", new byte[] {(byte) i});
            }
            assertEquals(List.of(6L, 7L, 8L, 9L, 10L), allAvailable(connection, "few.x"));
            Monitor.Answer channel = monitor.get("/streaming/channelsz?channel=few.x");
            assertEquals(5, channel.number("msgs"), channel.body());
            assertEquals(6, channel.number("first_seq"), channel.body());
            assertEquals(10, channel.number("last_seq"), channel.body());
        }
    }

    @Test
    void maxAgeExpiresMessagesWhileNothingIsPublished() throws Exception {
        try (StreamingConnection connection = connect("aging")) {
            long published = System.nanoTime();
            for (int i = 1; i <= 3; i++) {
                connection.publish("aging.x", new byte[] {(byte) i});
            }
            assertEquals(3, monitor.get("/streaming/channelsz?channel=aging.x").number("msgs"));
            Monitor.Answer expired = monitor.await("/streaming/channelsz?channel=aging.x", Duration.ofSeconds(4),
                    answer -> answer.number("msgs") == 0);
            long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - published);
            assertEquals(0, expired.number("msgs"), expired.body());
            assertTrue(took >= 900, "expired after max age, not before: " + took + " ms");
            assertEquals(List.of(), allAvailable(connection, "aging.x"));
            connection.publish("aging.x", new byte[1]);
            assertEquals(List.of(4L), allAvailable(connection, "aging.x"), "sequences are never reused");
        }
    }

    @Test
    void maxInactivityDeletesAnIdleChannelWithoutSubscriptionsOnly() throws Exception {
        try (StreamingConnection connection = connect("idle")) {
            connection.publish("idle.gone", new byte[1]);
            connection.publish("idle.kept", new byte[1]);
            Subscription holder = connection.subscribe("idle.kept", m -> { },
                    new SubscriptionOptions.Builder().build());
            Monitor.Answer gone = monitor.await("/streaming/channelsz?channel=idle.gone", Duration.ofSeconds(4),
                    answer -> answer.status() == 404);
            assertEquals(404, gone.status(), gone.body());
            assertEquals("Channel idle.gone not found", gone.body());
            Thread.sleep(1200); // the kept channel is idle for longer than max inactivity, but has a subscription
            assertEquals(200, monitor.get("/streaming/channelsz?channel=idle.kept").status());
            holder.unsubscribe();
            Monitor.Answer later = monitor.await("/streaming/channelsz?channel=idle.kept", Duration.ofSeconds(4),
                    answer -> answer.status() == 404);
            assertEquals(404, later.status(), "deleted once its last subscription left: " + later.body());
            connection.publish("idle.gone", new byte[1]);
            assertEquals(List.of(1L), allAvailable(connection, "idle.gone"), "a deleted channel starts anew");
        }
    }

    @Test
    void maxSubscriptionsRefusesOneMore() throws Exception {
        try (StreamingConnection connection = connect("narrow")) {
            connection.subscribe("narrow.x", m -> { }, new SubscriptionOptions.Builder().build());
            IOException refused = assertThrows(IOException.class, () -> connection.subscribe("narrow.x", m -> { },
                    new SubscriptionOptions.Builder().build()));
            assertTrue(refused.getMessage().contains("too many subscriptions per channel"), refused.getMessage());
            connection.subscribe("other.x", m -> { }, new SubscriptionOptions.Builder().build());
        }
    }

    @Test
    void maxChannelsRefusesTheNextChannel() throws Exception {
        int port = ServerProcess.freePort();
        try (ServerProcess small = ServerProcess.streaming("-a", "127.0.0.1", "-p", String.valueOf(port),
                "-cid", CLUSTER, "-mc", "2");
             StreamingConnection connection = NatsStreaming.connect(CLUSTER, "channels", new Options.Builder()
                     .natsUrl("nats://127.0.0.1:" + port).connectWait(Duration.ofSeconds(5)).build())) {
            connection.publish("one", new byte[1]);
            connection.publish("two", new byte[1]);
            IOException refused = assertThrows(IOException.class, () -> connection.publish("three", new byte[1]));
            assertTrue(refused.getMessage().contains("too many channels"), refused.getMessage());
            IOException subscribe = assertThrows(IOException.class, () -> connection.subscribe("four", m -> { }));
            assertTrue(subscribe.getMessage().contains("too many channels"), subscribe.getMessage());
            connection.publish("one", new byte[1]);
        }
    }
}
