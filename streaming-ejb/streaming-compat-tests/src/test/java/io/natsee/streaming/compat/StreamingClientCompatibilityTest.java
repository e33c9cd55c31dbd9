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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Java streaming client 2.2.3 against our streaming server (side-car mode, memory store): the behaviour
 * the reference shows for connect rules, start positions, acks and redelivery, max in flight, durables and
 * queue groups.
 */
class StreamingClientCompatibilityTest {
    static final String CLUSTER = "compat-cluster";
    static ServerProcess server;
    static String url;
    static final AtomicInteger names = new AtomicInteger();

    @BeforeAll
    static void start() throws Exception {
        int port = ServerProcess.freePort();
        server = ServerProcess.streaming("-a", "127.0.0.1", "-p", String.valueOf(port), "-cid", CLUSTER);
        url = "nats://127.0.0.1:" + port;
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

    static String unique(String base) {
        return base + "-" + names.incrementAndGet();
    }

    static void publish(StreamingConnection connection, String channel, int from, int to) throws Exception {
        for (int i = from; i <= to; i++) {
            connection.publish(channel, ("m" + i).getBytes(StandardCharsets.UTF_8));
        }
    }

    static List<Long> receive(BlockingQueue<Message> queue, int count) throws InterruptedException {
        List<Long> sequences = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Message message = queue.poll(5, TimeUnit.SECONDS);
            assertNotNull(message, "message " + (i + 1) + " of " + count + " after " + sequences);
            sequences.add(message.getSequence());
        }
        return sequences;
    }

    static List<Long> range(long from, long to) {
        List<Long> list = new ArrayList<>();
        for (long i = from; i <= to; i++) {
            list.add(i);
        }
        return list;
    }

    @Test
    void publishedMessagesReachASubscriberInOrderWithTheirData() throws Exception {
        String channel = unique("orders");
        try (StreamingConnection connection = connect(unique("c"))) {
            BlockingQueue<Message> received = new LinkedBlockingQueue<>();
            connection.subscribe(channel, received::add, new SubscriptionOptions.Builder().build());
            publish(connection, channel, 1, 50);
            List<Long> sequences = receive(received, 50);
            assertEquals(range(1, 50), sequences);
            connection.publish(channel, "last".getBytes(StandardCharsets.UTF_8));
            Message last = received.poll(5, TimeUnit.SECONDS);
            assertNotNull(last);
            assertEquals("last", new String(last.getData(), StandardCharsets.UTF_8));
            assertEquals(channel, last.getSubject());
            assertFalse(last.isRedelivered());
            long nowNanos = System.currentTimeMillis() * 1_000_000L;
            assertTrue(Math.abs(last.getTimestamp() - nowNanos) < 10_000_000_000L,
                    "timestamp in unix nanoseconds near now: " + last.getTimestamp());
        }
    }

    @Test
    void asyncPublishesAreAllAcknowledged() throws Exception {
        String channel = unique("async");
        int count = 20_000;
        try (StreamingConnection connection = connect(unique("c"))) {
            CountDownLatch acked = new CountDownLatch(count);
            AtomicReference<Exception> failure = new AtomicReference<>();
            for (int i = 0; i < count; i++) {
                connection.publish(channel, new byte[16], (guid, error) -> {
                    if (error != null) {
                        failure.set(error);
                    }
                    acked.countDown();
                });
            }
            assertTrue(acked.await(30, TimeUnit.SECONDS), "acks left: " + acked.getCount());
            assertNull(failure.get());
            BlockingQueue<Message> received = new LinkedBlockingQueue<>();
            connection.subscribe(channel, received::add, new SubscriptionOptions.Builder().deliverAllAvailable().build());
            assertEquals(range(1, count), receive(received, count));
        }
    }

    @Test
    void aLiveClientIdCannotConnectTwiceAndBadIdsAreRefused() throws Exception {
        String id = unique("dup");
        try (StreamingConnection first = connect(id)) {
            IOException refused = assertThrows(IOException.class, () -> connect(id));
            assertTrue(refused.getMessage().contains("stan: clientID already registered"), refused.getMessage());
            first.publish(unique("still-works"), new byte[1]);
        }
        IOException invalid = assertThrows(IOException.class, () -> connect("bad id!"));
        assertTrue(invalid.getMessage().contains(
                "stan: invalid clientID: only alphanumeric and `-` or `_` characters allowed"), invalid.getMessage());
        // After close the id is free again.
        try (StreamingConnection again = connect(id)) {
            assertNotNull(again);
        }
    }

    @Test
    void everyStartPositionStartsWhereTheReferenceStarts() throws Exception {
        String channel = unique("positions");
        try (StreamingConnection connection = connect(unique("c"))) {
            publish(connection, channel, 1, 12);
            assertEquals(range(9, 12), firstDelivered(connection, channel,
                    new SubscriptionOptions.Builder().startAtSequence(9), 4));
            assertEquals(List.of(12L), firstDelivered(connection, channel,
                    new SubscriptionOptions.Builder().startWithLastReceived(), 1));
            assertEquals(range(1, 12), firstDelivered(connection, channel,
                    new SubscriptionOptions.Builder().deliverAllAvailable(), 12));
            assertEquals(range(1, 12), firstDelivered(connection, channel,
                    new SubscriptionOptions.Builder().startAtSequence(0), 12));
            assertEquals(range(1, 12), firstDelivered(connection, channel,
                    new SubscriptionOptions.Builder().startAtTimeDelta(Duration.ofMinutes(5)), 12));
            // Beyond the last sequence: accepted, behaves as new-only; so does the default.
            for (SubscriptionOptions.Builder options : List.of(new SubscriptionOptions.Builder().startAtSequence(1000),
                    new SubscriptionOptions.Builder())) {
                BlockingQueue<Message> received = new LinkedBlockingQueue<>();
                Subscription subscription = connection.subscribe(channel, received::add, options.build());
                assertNull(received.poll(300, TimeUnit.MILLISECONDS));
                connection.publish(channel, new byte[1]);
                Message next = received.poll(5, TimeUnit.SECONDS);
                assertNotNull(next);
                assertTrue(next.getSequence() > 12);
                subscription.unsubscribe();
            }
        }
    }

    private static List<Long> firstDelivered(StreamingConnection connection, String channel,
                                             SubscriptionOptions.Builder options, int count) throws Exception {
        BlockingQueue<Message> received = new LinkedBlockingQueue<>();
        Subscription subscription = connection.subscribe(channel, received::add, options.build());
        List<Long> sequences = receive(received, count);
        assertNull(received.poll(200, TimeUnit.MILLISECONDS), "nothing more");
        subscription.unsubscribe();
        return sequences;
    }

    @Test
    void anUnackedMessageIsRedeliveredOncePerAckWaitFlaggedRedelivered() throws Exception {
        String channel = unique("redeliver");
        try (StreamingConnection connection = connect(unique("c"))) {
            BlockingQueue<Message> received = new LinkedBlockingQueue<>();
            List<Long> times = Collections.synchronizedList(new ArrayList<>());
            long start = System.nanoTime();
            connection.subscribe(channel, message -> {
                received.add(message);
                if (message.getSequence() == 1) {
                    times.add((System.nanoTime() - start) / 1_000_000);
                } else {
                    try {
                        message.ack();
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }, new SubscriptionOptions.Builder().manualAcks().ackWait(Duration.ofSeconds(1)).build());
            publish(connection, channel, 1, 3);
            List<Message> all = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(6);
            while (times.size() < 3 && System.nanoTime() < deadline) {
                Message message = received.poll(200, TimeUnit.MILLISECONDS);
                if (message != null) {
                    all.add(message);
                }
            }
            assertTrue(times.size() >= 3, "deliveries of seq 1 at " + times);
            long redeliveredTwoOrThree = all.stream().filter(m -> m.getSequence() != 1 && m.isRedelivered()).count();
            assertEquals(0, redeliveredTwoOrThree, "acked messages are not redelivered");
            List<Message> ones = all.stream().filter(m -> m.getSequence() == 1).toList();
            assertFalse(ones.get(0).isRedelivered());
            assertTrue(ones.get(1).isRedelivered());
            long gap = times.get(1) - times.get(0);
            assertTrue(gap >= 900 && gap <= 1800, "redelivered after one ack wait: " + times);
        }
    }

    @Test
    void maxInFlightHoldsBackMessagesUntilAcked() throws Exception {
        String channel = unique("inflight");
        try (StreamingConnection connection = connect(unique("c"))) {
            publish(connection, channel, 1, 5);
            BlockingQueue<Message> received = new LinkedBlockingQueue<>();
            connection.subscribe(channel, received::add, new SubscriptionOptions.Builder().deliverAllAvailable()
                    .manualAcks().maxInFlight(2).ackWait(Duration.ofSeconds(30)).build());
            Message first = received.poll(5, TimeUnit.SECONDS);
            Message second = received.poll(5, TimeUnit.SECONDS);
            assertNotNull(first);
            assertNotNull(second);
            assertEquals(List.of(1L, 2L), List.of(first.getSequence(), second.getSequence()));
            assertNull(received.poll(500, TimeUnit.MILLISECONDS), "stalled at max in flight");
            first.ack();
            assertEquals(List.of(3L), receive(received, 1));
            assertNull(received.poll(300, TimeUnit.MILLISECONDS), "one ack lets one more through");
            second.ack();
            assertEquals(List.of(4L), receive(received, 1));
        }
    }

    @Test
    void aClosedDurableResumesAfterItsLastAckWithUnackedFirstIgnoringTheNewStartPosition() throws Exception {
        String channel = unique("durable");
        String clientId = unique("holder");
        try (StreamingConnection publisher = connect(unique("p"))) {
            publish(publisher, channel, 1, 5);
            BlockingQueue<Message> received = new LinkedBlockingQueue<>();
            try (StreamingConnection consumer = connect(clientId)) {
                Subscription durable = consumer.subscribe(channel, message -> {
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
                assertEquals(range(1, 5), receive(received, 5));
                IOException duplicate = assertThrows(IOException.class, () -> consumer.subscribe(channel, m -> { },
                        new SubscriptionOptions.Builder().durableName("D").build()));
                assertTrue(duplicate.getMessage().contains("stan: duplicate durable registration"));
                durable.close();
            }
            publish(publisher, channel, 6, 7);
            try (StreamingConnection consumer = connect(clientId)) {
                BlockingQueue<Message> resumed = new LinkedBlockingQueue<>();
                consumer.subscribe(channel, resumed::add, new SubscriptionOptions.Builder().durableName("D")
                        .startWithLastReceived().build());
                List<Message> messages = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    Message message = resumed.poll(5, TimeUnit.SECONDS);
                    assertNotNull(message, "resumed " + messages.size());
                    messages.add(message);
                }
                assertEquals(5, messages.get(0).getSequence());
                assertTrue(messages.get(0).isRedelivered());
                assertEquals(6, messages.get(1).getSequence());
                assertEquals(7, messages.get(2).getSequence());
            }
        }
    }

    @Test
    void anUnsubscribedDurableStartsAgainFromTheNewStartPosition() throws Exception {
        String channel = unique("durable-unsub");
        try (StreamingConnection connection = connect(unique("c"))) {
            publish(connection, channel, 1, 3);
            BlockingQueue<Message> received = new LinkedBlockingQueue<>();
            Subscription durable = connection.subscribe(channel, received::add,
                    new SubscriptionOptions.Builder().durableName("U").deliverAllAvailable().build());
            assertEquals(range(1, 3), receive(received, 3));
            durable.unsubscribe();
            BlockingQueue<Message> again = new LinkedBlockingQueue<>();
            connection.subscribe(channel, again::add,
                    new SubscriptionOptions.Builder().durableName("U").startWithLastReceived().build());
            assertEquals(List.of(3L), receive(again, 1));
        }
    }

    @Test
    void aQueueGroupDeliversEachMessageToOneMember() throws Exception {
        String channel = unique("queue");
        try (StreamingConnection a = connect(unique("qa")); StreamingConnection b = connect(unique("qb"))) {
            BlockingQueue<Message> all = new LinkedBlockingQueue<>();
            AtomicInteger toA = new AtomicInteger();
            AtomicInteger toB = new AtomicInteger();
            a.subscribe(channel, "workers", m -> { toA.incrementAndGet(); all.add(m); },
                    new SubscriptionOptions.Builder().build());
            b.subscribe(channel, "workers", m -> { toB.incrementAndGet(); all.add(m); },
                    new SubscriptionOptions.Builder().build());
            publish(a, channel, 1, 100);
            List<Long> sequences = receive(all, 100);
            Collections.sort(sequences);
            assertEquals(range(1, 100), sequences);
            assertNull(all.poll(300, TimeUnit.MILLISECONDS), "no message twice");
            assertTrue(toA.get() > 0 && toB.get() > 0, "both members served: " + toA + "/" + toB);
            IOException colon = assertThrows(IOException.class, () -> a.subscribe(channel, "g", m -> { },
                    new SubscriptionOptions.Builder().durableName("a:b").build()));
            assertTrue(colon.getMessage().contains(
                    "stan: durable name of a durable queue subscriber can't contain the character ':'"));
        }
    }

    @Test
    void aLeavingQueueMembersUnackedMessagesGoToTheOthers() throws Exception {
        String channel = unique("queue-leave");
        try (StreamingConnection a = connect(unique("qa")); StreamingConnection b = connect(unique("qb"))) {
            BlockingQueue<Message> toA = new LinkedBlockingQueue<>();
            Subscription leaving = a.subscribe(channel, "g", toA::add, new SubscriptionOptions.Builder()
                    .manualAcks().ackWait(Duration.ofSeconds(60)).build());
            publish(a, channel, 1, 1);
            assertEquals(List.of(1L), receive(toA, 1));
            BlockingQueue<Message> toB = new LinkedBlockingQueue<>();
            b.subscribe(channel, "g", toB::add, new SubscriptionOptions.Builder().build());
            leaving.unsubscribe();
            Message moved = toB.poll(5, TimeUnit.SECONDS);
            assertNotNull(moved, "the unacked message moved to the other member");
            assertEquals(1, moved.getSequence());
            assertTrue(moved.isRedelivered());
        }
    }

    @Test
    void wildcardsAreRefusedWithTheReferencesErrors() throws Exception {
        try (StreamingConnection connection = connect(unique("c"))) {
            IOException publish = assertThrows(IOException.class, () -> connection.publish("foo.*", new byte[1]));
            assertTrue(publish.getMessage().contains("stan: invalid publish request"), publish.getMessage());
            IOException subscribe = assertThrows(IOException.class, () -> connection.subscribe("foo.*", m -> { }));
            assertTrue(subscribe.getMessage().contains("stan: invalid subject"), subscribe.getMessage());
        }
    }
}
