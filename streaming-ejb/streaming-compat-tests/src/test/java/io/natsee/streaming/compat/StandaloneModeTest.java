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

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Stand-alone mode ({@code -ns}) behind the reference NATS server (Debian's nats-server 2.9): the streaming server
 * is only a client of it, and the Java client talks to nats-server. Skipped when nats-server is not installed.
 */
class StandaloneModeTest {
    static final String CLUSTER = "standalone-cluster";
    static ServerProcess nats;
    static ServerProcess streaming;
    static Monitor natsMonitor;
    static String url;

    @BeforeAll
    static void start() throws Exception {
        int port = ServerProcess.freePort();
        int http = ServerProcess.freePort();
        nats = ServerProcess.natsServer(port, "-m", String.valueOf(http));
        assumeTrue(nats != null, "nats-server is not installed");
        url = "nats://127.0.0.1:" + port;
        natsMonitor = new Monitor(http);
        streaming = ServerProcess.streaming("-cid", CLUSTER, "-ns", url);
    }

    @AfterAll
    static void stop() throws Exception {
        if (streaming != null) {
            streaming.close();
        }
        if (nats != null) {
            nats.close();
        }
    }

    static StreamingConnection connect(String clientId) throws IOException, InterruptedException {
        return NatsStreaming.connect(CLUSTER, clientId, new Options.Builder().natsUrl(url)
                .connectWait(Duration.ofSeconds(5)).build());
    }

    @Test
    void theStreamingServerIsAClientOfNatsServerAndStartsNoBrokerOfItsOwn() throws Exception {
        Monitor.Answer connz = natsMonitor.get("/connz");
        assertTrue(connz.body().contains("\"_NSS-" + CLUSTER + "-"), connz.body());
        assertTrue(streaming.output().stream().noneMatch(line -> line.contains("Listening for client connections")),
                "no side-car broker: " + streaming.output());
    }

    @Test
    void asyncPublishesAreAcknowledgedAndDeliveredInOrder() throws Exception {
        int count = 5_000;
        try (StreamingConnection connection = connect("standalone-pub")) {
            CountDownLatch acked = new CountDownLatch(count);
            AtomicReference<Exception> failure = new AtomicReference<>();
            for (int i = 0; i < count; i++) {
                connection.publish("sa.orders", ("m" + i).getBytes(StandardCharsets.UTF_8), (guid, error) -> {
                    if (error != null) {
                        failure.set(error);
                    }
                    acked.countDown();
                });
            }
            assertTrue(acked.await(30, TimeUnit.SECONDS), "acks left: " + acked.getCount());
            assertNull(failure.get());
            BlockingQueue<Message> received = new LinkedBlockingQueue<>();
            connection.subscribe("sa.orders", received::add,
                    new SubscriptionOptions.Builder().deliverAllAvailable().build());
            for (int i = 0; i < count; i++) {
                Message message = received.poll(5, TimeUnit.SECONDS);
                assertNotNull(message, "message " + i);
                assertEquals(i + 1, message.getSequence());
                assertEquals("m" + i, new String(message.getData(), StandardCharsets.UTF_8));
            }
        }
    }

    @Test
    void aDurableResumesAndAQueueGroupSharesTheMessages() throws Exception {
        try (StreamingConnection publisher = connect("standalone-p")) {
            for (int i = 1; i <= 4; i++) {
                publisher.publish("sa.durable", new byte[] {(byte) i});
            }
            BlockingQueue<Message> first = new LinkedBlockingQueue<>();
            try (StreamingConnection consumer = connect("standalone-d")) {
                Subscription durable = consumer.subscribe("sa.durable", first::add,
                        new SubscriptionOptions.Builder().durableName("D").deliverAllAvailable().manualAcks()
                                .build());
                for (long i = 1; i <= 4; i++) {
                    Message message = first.poll(5, TimeUnit.SECONDS);
                    assertEquals(i, message.getSequence());
                    message.ack();
                }
                durable.close();
            }
            publisher.publish("sa.durable", new byte[] {5});
            try (StreamingConnection consumer = connect("standalone-d")) {
                BlockingQueue<Message> resumed = new LinkedBlockingQueue<>();
                consumer.subscribe("sa.durable", resumed::add,
                        new SubscriptionOptions.Builder().durableName("D").deliverAllAvailable().build());
                Message next = resumed.poll(5, TimeUnit.SECONDS);
                assertNotNull(next);
                assertEquals(5, next.getSequence(), "resumed after the last acked, start position ignored");
            }
            try (StreamingConnection a = connect("standalone-qa"); StreamingConnection b = connect("standalone-qb")) {
                BlockingQueue<Message> all = new LinkedBlockingQueue<>();
                a.subscribe("sa.queue", "workers", all::add, new SubscriptionOptions.Builder().build());
                b.subscribe("sa.queue", "workers", all::add, new SubscriptionOptions.Builder().build());
                for (int i = 1; i <= 20; i++) {
                    publisher.publish("sa.queue", new byte[] {(byte) i});
                }
                List<Long> sequences = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    Message message = all.poll(5, TimeUnit.SECONDS);
                    assertNotNull(message);
                    sequences.add(message.getSequence());
                }
                Collections.sort(sequences);
                for (int i = 0; i < 20; i++) {
                    assertEquals(i + 1, sequences.get(i));
                }
                assertNull(all.poll(300, TimeUnit.MILLISECONDS), "each message to one member only");
            }
        }
    }
}
