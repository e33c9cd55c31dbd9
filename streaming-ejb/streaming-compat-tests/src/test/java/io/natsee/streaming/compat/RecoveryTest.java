package io.natsee.streaming.compat;

import io.nats.streaming.Message;
import io.nats.streaming.NatsStreaming;
import io.nats.streaming.Options;
import io.nats.streaming.StreamingConnection;
import io.nats.streaming.Subscription;
import io.nats.streaming.SubscriptionOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Recovery with the file store ({@code -st FILE --dir}): the server process is stopped (or killed) and started
 * again on the same directory between the steps, and the Java client finds what the reference keeps: channels
 * and messages, clients, durable subscriptions with their unacknowledged messages (redelivered, flagged so),
 * durable queue groups, and live subscriptions of clients that stayed connected through the restart.
 */
class RecoveryTest {
    static final String CLUSTER = "recovery-cluster";
    @TempDir
    Path dir;
    int port;
    int http;
    ServerProcess server;

    ServerProcess start(String... extra) throws Exception {
        if (port == 0) {
            port = ServerProcess.freePort();
            http = ServerProcess.freePort();
        }
        List<String> args = new ArrayList<>(List.of("-a", "127.0.0.1", "-p", String.valueOf(port), "-m",
                String.valueOf(http), "-cid", CLUSTER, "-st", "FILE", "--dir", dir.toString()));
        args.addAll(List.of(extra));
        server = ServerProcess.streaming(args.toArray(String[]::new));
        return server;
    }

    /** A graceful stop (SIGTERM) and a start on the same directory and ports. */
    void restart(String... extra) throws Exception {
        server.close();
        start(extra);
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    StreamingConnection connect(String clientId) throws IOException, InterruptedException {
        return NatsStreaming.connect(CLUSTER, clientId, new Options.Builder().natsUrl("nats://127.0.0.1:" + port)
                .connectWait(Duration.ofSeconds(5)).build());
    }

    static List<Message> allAvailable(StreamingConnection connection, String channel, int count) throws Exception {
        BlockingQueue<Message> received = new LinkedBlockingQueue<>();
        Subscription subscription = connection.subscribe(channel, received::add,
                new SubscriptionOptions.Builder().deliverAllAvailable().build());
        List<Message> messages = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Message message = received.poll(5, TimeUnit.SECONDS);
            assertNotNull(message, "message " + (i + 1) + " of " + count);
            messages.add(message);
        }
        assertNull(received.poll(300, TimeUnit.MILLISECONDS), "nothing more on " + channel);
        subscription.unsubscribe();
        return messages;
    }

    @Test
    void channelsAndMessagesSurviveARestartAndSequencesContinue() throws Exception {
        start();
        try (StreamingConnection connection = connect("writer")) {
            for (int i = 1; i <= 100; i++) {
                connection.publish("orders", ("order " + i).getBytes(StandardCharsets.UTF_8));
            }
            for (int i = 1; i <= 10; i++) {
                connection.publish("audit.log", new byte[] {(byte) i});
            }
        }
        restart();
        Monitor monitor = new Monitor(http);
        assertTrue(monitor.get("/streaming/channelsz").body().contains("\"audit.log\""));
        assertEquals(100, monitor.get("/streaming/channelsz?channel=orders").number("msgs"));
        assertTrue(server.printed("Recovered 2 channel(s)"), String.valueOf(server.output()));
        try (StreamingConnection connection = connect("reader")) {
            List<Message> orders = allAvailable(connection, "orders", 100);
            for (int i = 0; i < 100; i++) {
                assertEquals(i + 1, orders.get(i).getSequence());
                assertEquals("order " + (i + 1), new String(orders.get(i).getData(), StandardCharsets.UTF_8));
                assertFalse(orders.get(i).isRedelivered());
            }
            assertEquals(10, allAvailable(connection, "audit.log", 10).size());
            connection.publish("orders", "after".getBytes(StandardCharsets.UTF_8));
            List<Message> again = allAvailable(connection, "orders", 101);
            assertEquals(101, again.get(100).getSequence(), "the sequence goes on after the restart");
        }
    }

    @Test
    void aClosedDurableResumesAfterARestartWithItsUnackedMessageFirst() throws Exception {
        start();
        try (StreamingConnection publisher = connect("publisher")) {
            for (int i = 1; i <= 5; i++) {
                publisher.publish("durable", new byte[] {(byte) i});
            }
        }
        BlockingQueue<Message> received = new LinkedBlockingQueue<>();
        try (StreamingConnection holder = connect("holder")) {
            holder.subscribe("durable", message -> {
                received.add(message);
                if (message.getSequence() <= 4) {
                    try {
                        message.ack();
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }, new SubscriptionOptions.Builder().durableName("D").deliverAllAvailable().manualAcks()
                    .maxInFlight(1).ackWait(Duration.ofSeconds(30)).build());
            for (long i = 1; i <= 5; i++) {
                assertEquals(i, received.poll(5, TimeUnit.SECONDS).getSequence());
            }
        } // the client's close suspends the durable; the server flushes before answering it
        server.kill(); // kill -9: what was answered is on disk
        start();
        try (StreamingConnection publisher = connect("publisher")) {
            publisher.publish("durable", new byte[] {6});
            publisher.publish("durable", new byte[] {7});
        }
        Monitor.Answer offline = new Monitor(http).get("/streaming/channelsz?channel=durable&subs=1");
        assertEquals(Boolean.TRUE, offline.bool("is_offline"), offline.body());
        try (StreamingConnection holder = connect("holder")) {
            BlockingQueue<Message> resumed = new LinkedBlockingQueue<>();
            holder.subscribe("durable", resumed::add, new SubscriptionOptions.Builder().durableName("D")
                    .startWithLastReceived().build());
            Message first = resumed.poll(5, TimeUnit.SECONDS);
            assertNotNull(first);
            assertEquals(5, first.getSequence(), "the unacked message first");
            assertTrue(first.isRedelivered());
            assertEquals(6, resumed.poll(5, TimeUnit.SECONDS).getSequence());
            assertEquals(7, resumed.poll(5, TimeUnit.SECONDS).getSequence());
            assertNull(resumed.poll(300, TimeUnit.MILLISECONDS), "acked messages are not delivered again");
        }
    }

    @Test
    void aClientConnectedThroughTheRestartKeepsPublishingAndGetsItsUnackedMessageRedelivered() throws Exception {
        start();
        try (StreamingConnection client = connect("steady")) {
            BlockingQueue<Message> received = new LinkedBlockingQueue<>();
            client.subscribe("live", received::add, new SubscriptionOptions.Builder().manualAcks()
                    .ackWait(Duration.ofSeconds(2)).build());
            client.publish("live", "first".getBytes(StandardCharsets.UTF_8));
            Message first = received.poll(5, TimeUnit.SECONDS);
            assertNotNull(first);
            assertFalse(first.isRedelivered());
            restart();
            Message again = received.poll(15, TimeUnit.SECONDS);
            assertNotNull(again, "redelivered after the restart on the same subscription");
            assertEquals(1, again.getSequence());
            assertTrue(again.isRedelivered());
            again.ack();
            client.publish("live", "second".getBytes(StandardCharsets.UTF_8)); // the recovered client is known
            Message second = received.poll(5, TimeUnit.SECONDS);
            assertNotNull(second);
            assertEquals(2, second.getSequence());
            second.ack();
            Monitor.Answer clients = new Monitor(http).get("/streaming/clientsz?client=steady&subs=1");
            assertEquals(200, clients.status(), clients.body());
        }
    }

    @Test
    void aDurableQueueGroupWhoseMembersAllClosedResumesAfterARestart() throws Exception {
        start();
        try (StreamingConnection a = connect("qa"); StreamingConnection b = connect("qb")) {
            BlockingQueue<Message> all = new LinkedBlockingQueue<>();
            Subscription memberA = a.subscribe("jobs", "grp", all::add, new SubscriptionOptions.Builder()
                    .durableName("QD").deliverAllAvailable().build());
            Subscription memberB = b.subscribe("jobs", "grp", all::add, new SubscriptionOptions.Builder()
                    .durableName("QD").build());
            for (int i = 1; i <= 10; i++) {
                a.publish("jobs", new byte[] {(byte) i});
            }
            List<Long> sequences = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                sequences.add(all.poll(5, TimeUnit.SECONDS).getSequence());
            }
            Collections.sort(sequences);
            assertEquals(10, sequences.get(9));
            Thread.sleep(300); // the automatic acks reach the server
            memberA.close();
            memberB.close();
            Monitor.Answer suspended = new Monitor(http).get("/streaming/channelsz?channel=jobs&subs=1");
            assertTrue(suspended.body().matches("(?s).*\"queue_name\"\\s*:\\s*\"QD:grp\".*"), suspended.body());
            assertEquals(Boolean.TRUE, suspended.bool("is_offline"), suspended.body());
        }
        restart();
        try (StreamingConnection publisher = connect("qp")) {
            publisher.publish("jobs", new byte[] {11});
        }
        try (StreamingConnection c = connect("qc")) {
            BlockingQueue<Message> resumed = new LinkedBlockingQueue<>();
            c.subscribe("jobs", "grp", resumed::add, new SubscriptionOptions.Builder().durableName("QD")
                    .deliverAllAvailable().build());
            Message next = resumed.poll(5, TimeUnit.SECONDS);
            assertNotNull(next);
            assertEquals(11, next.getSequence(), "the group goes on from its position, start position ignored");
            assertNull(resumed.poll(300, TimeUnit.MILLISECONDS));
        }
    }

    @Test
    void aRecoveredClientThatIsGoneIsDroppedAfterItsHeartbeatsFailAndItsIdIsFreeAgain() throws Exception {
        String[] heartbeats = {"-hbi", "1s", "-hbt", "1s", "-hbf", "2"};
        start(heartbeats);
        StreamingConnection gone = connect("ghost");
        gone.subscribe("ghost.channel", m -> { }, new SubscriptionOptions.Builder().durableName("G").build());
        gone.getNatsConnection().close(); // no close request: the server still counts it as connected
        restart(heartbeats);
        Monitor monitor = new Monitor(http);
        assertEquals(200, monitor.get("/streaming/clientsz?client=ghost").status(), "recovered from the store");
        Monitor.Answer dropped = monitor.await("/streaming/clientsz?client=ghost", Duration.ofSeconds(10),
                answer -> answer.status() == 404);
        assertEquals(404, dropped.status());
        assertEquals(Boolean.TRUE, monitor.get("/streaming/channelsz?channel=ghost.channel&subs=1")
                .bool("is_offline"));
        try (StreamingConnection again = connect("ghost")) {
            again.subscribe("ghost.channel", m -> { }, new SubscriptionOptions.Builder().durableName("G").build());
        }
    }

    @Test
    void aStoreOfAnotherClusterIdIsRefused() throws Exception {
        start();
        server.close();
        ServerProcess other = ServerProcess.startStreaming("-a", "127.0.0.1", "-p", String.valueOf(port),
                "-cid", "another-cluster", "-st", "FILE", "--dir", dir.toString());
        int exit = other.awaitExit(30);
        assertNotEquals(0, exit, String.valueOf(other.output()));
        assertTrue(other.printed("does not match stored cluster ID \"" + CLUSTER + "\""),
                String.valueOf(other.output()));
        server = null;
    }
}
