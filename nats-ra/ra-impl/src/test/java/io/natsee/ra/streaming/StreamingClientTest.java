package io.natsee.ra.streaming;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.natsee.ra.api.NatsConnectionClosedException;
import io.natsee.ra.api.StreamingException;
import io.natsee.ra.streaming.SubscriptionOptions.StartPosition;
import io.natsee.ra.support.Await;
import io.natsee.ra.support.TestBroker;
import io.natsee.ra.support.TestStreamingServer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.Timer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The adapter's streaming client against the project's streaming server (memory store) on the project's broker. */
class StreamingClientTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String CLUSTER = "ra-test-cluster";

    private TestBroker broker;
    private TestStreamingServer server;
    private Timer timer;
    private ExecutorService executor;
    private final List<Connection> connections = new ArrayList<>();
    private final List<StreamingClient> clients = new ArrayList<>();

    /** Records every message a subscription receives, acknowledging it unless told otherwise. */
    static final class Recorder implements StreamingSubscription.Handler {
        final List<ReceivedMessage> received = Collections.synchronizedList(new ArrayList<>());
        volatile boolean acknowledge = true;

        @Override
        public void onMessage(ReceivedMessage message) {
            received.add(message);
            if (acknowledge) {
                message.ack();
            }
        }

        List<String> payloads() {
            synchronized (received) {
                return received.stream().map(message -> new String(message.data(), UTF_8)).collect(Collectors.toList());
            }
        }

        List<Long> sequences() {
            synchronized (received) {
                return received.stream().map(ReceivedMessage::sequence).collect(Collectors.toList());
            }
        }
    }

    @BeforeEach
    void setUp() {
        broker = TestBroker.start();
        server = TestStreamingServer.start(broker, CLUSTER);
        timer = new Timer("streaming-test-pings", true);
        executor = Executors.newCachedThreadPool();
    }

    @AfterEach
    void tearDown() throws Exception {
        for (StreamingClient client : clients) {
            client.close();
        }
        for (Connection connection : connections) {
            connection.close();
        }
        timer.cancel();
        executor.shutdownNow();
        server.close();
        broker.close();
    }

    private Connection nats() throws Exception {
        Connection connection = Nats.connect(new Options.Builder().server(broker.url()).maxReconnects(-1)
                .reconnectWait(Duration.ofMillis(100)).connectionListener((c, event) -> {
                    if (event == io.nats.client.ConnectionListener.Events.RECONNECTED) {
                        clients.stream().filter(client -> !client.isClosed()).forEach(StreamingClient::onReconnected);
                    }
                }).build());
        connections.add(connection);
        return connection;
    }

    private StreamingClient client(String clientId) throws Exception {
        return client(StreamingClientOptions.of(CLUSTER, clientId).withPings(Duration.ofSeconds(1), 2));
    }

    private StreamingClient client(StreamingClientOptions options) throws Exception {
        StreamingClient client = StreamingClient.connect(nats(), options, timer, executor);
        clients.add(client);
        return client;
    }

    /** Connects as soon as the streaming server answers again (it reconnects to a restarted broker on its own). */
    private StreamingClient clientOnceServerIsBack(String clientId) throws Exception {
        Connection connection = nats();
        StreamingClient[] connected = new StreamingClient[1];
        Await.until(WAIT, "the streaming server to answer", () -> {
            try {
                connected[0] = StreamingClient.connect(connection, StreamingClientOptions.of(CLUSTER, clientId), timer, executor);
                return true;
            } catch (StreamingException | io.natsee.ra.api.NatsRequestTimeoutException e) {
                return false;
            }
        });
        clients.add(connected[0]);
        return connected[0];
    }

    private static byte[] bytes(String text) {
        return text.getBytes(UTF_8);
    }

    private static void publish(StreamingClient client, String channel, int from, int to) {
        for (int i = from; i <= to; i++) {
            client.publish(channel, bytes("m" + i));
        }
    }

    @Test
    void publishesWithAcknowledgementAndReceivesEverythingFromTheStart() throws Exception {
        StreamingClient client = client("alpha");
        String guid = client.publish("orders", bytes("one"));
        assertFalse(guid.isEmpty());
        client.publish("orders", bytes("two"));
        client.publish("orders", new byte[0]);
        Recorder recorder = new Recorder();
        client.subscribe(SubscriptionOptions.newOnly("orders").startingAt(StartPosition.ALL, 0, null, null), recorder);
        Await.until(WAIT, "three messages", () -> recorder.received.size() == 3);
        assertEquals(List.of("one", "two", ""), recorder.payloads());
        assertEquals(List.of(1L, 2L, 3L), recorder.sequences());
        ReceivedMessage first = recorder.received.get(0);
        assertEquals("orders", first.channel());
        assertFalse(first.isRedelivered());
        assertEquals(0, first.redeliveryCount());
        assertTrue(Duration.between(first.timestamp(), Instant.now()).abs().compareTo(Duration.ofMinutes(1)) < 0,
                "timestamp " + first.timestamp());
    }

    @Test
    void asynchronousPublishesAreAllAcknowledgedAndDeliveredInOrder() throws Exception {
        StreamingClient client = client("async");
        Recorder recorder = new Recorder();
        client.subscribe(SubscriptionOptions.newOnly("events"), recorder);
        List<CompletableFuture<String>> acks = new ArrayList<>();
        for (int i = 1; i <= 2_000; i++) {
            acks.add(client.publishAsync("events", bytes("e" + i)));
        }
        CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertEquals(2_000, acks.stream().map(CompletableFuture::join).distinct().count(), "distinct guids");
        Await.until(WAIT, "2000 messages", () -> recorder.received.size() == 2_000);
        assertEquals(LongStream.rangeClosed(1, 2_000).boxed().collect(Collectors.toList()), recorder.sequences());
    }

    @Test
    void everyStartPosition() throws Exception {
        StreamingClient client = client("starts");
        Instant beforeAll = Instant.now().minusMillis(50);
        publish(client, "log", 1, 10);
        SubscriptionOptions base = SubscriptionOptions.newOnly("log");

        Recorder last = new Recorder();
        client.subscribe(base.startingAt(StartPosition.LAST_RECEIVED, 0, null, null), last);
        Recorder fromSeven = new Recorder();
        client.subscribe(base.startingAt(StartPosition.SEQUENCE, 7, null, null), fromSeven);
        Recorder byTime = new Recorder();
        client.subscribe(base.startingAt(StartPosition.TIME, 0, beforeAll, null), byTime);
        Recorder byDelta = new Recorder();
        client.subscribe(base.startingAt(StartPosition.TIME_DELTA, 0, null, Duration.ofMinutes(5)), byDelta);
        Recorder all = new Recorder();
        client.subscribe(base.startingAt(StartPosition.ALL, 0, null, null), all);
        Recorder newOnly = new Recorder();
        client.subscribe(base, newOnly);

        client.publish("log", bytes("m11"));
        Await.until(WAIT, "every subscription to see m11",
                () -> List.of(last, fromSeven, byTime, byDelta, all, newOnly).stream()
                        .allMatch(recorder -> recorder.payloads().contains("m11")));
        assertEquals(List.of(10L, 11L), last.sequences());
        assertEquals(List.of(7L, 8L, 9L, 10L, 11L), fromSeven.sequences());
        assertEquals(11, byTime.received.size());
        assertEquals(11, byDelta.received.size());
        assertEquals(LongStream.rangeClosed(1, 11).boxed().collect(Collectors.toList()), all.sequences());
        assertEquals(List.of(11L), newOnly.sequences());
    }

    @Test
    void anUnacknowledgedMessageIsRedeliveredAfterTheAckWaitWithTheRedeliveredFlag() throws Exception {
        StreamingClient client = client("manual");
        List<ReceivedMessage> deliveries = Collections.synchronizedList(new ArrayList<>());
        client.subscribe(SubscriptionOptions.newOnly("work").limits(10, Duration.ofSeconds(1)), message -> {
            deliveries.add(message);
            if (message.sequence() != 1 || message.isRedelivered()) {
                message.ack(); // seq 1 is acknowledged only on its redelivery
            }
        });
        publish(client, "work", 1, 3);
        Await.until(WAIT, "seq 1 redelivered", () -> deliveries.stream().anyMatch(ReceivedMessage::isRedelivered));
        ReceivedMessage redelivered = deliveries.stream().filter(ReceivedMessage::isRedelivered).findFirst().orElseThrow();
        assertEquals(1, redelivered.sequence());
        assertTrue(redelivered.redeliveryCount() >= 1, "redelivery count " + redelivered.redeliveryCount());
        // Acknowledged now: after two more ack waits, no further copy has come.
        int seen = deliveries.size();
        Thread.sleep(2_500); // waiting out ack waits is the point of this check
        assertEquals(seen, deliveries.size(), "deliveries after the acknowledgement: " + deliveries);
        assertEquals(Set.of(1L, 2L, 3L), deliveries.stream().map(ReceivedMessage::sequence).collect(Collectors.toSet()));
        assertEquals(1, deliveries.stream().filter(ReceivedMessage::isRedelivered).count());
    }

    @Test
    void maxInFlightHoldsBackMessagesUntilAcknowledged() throws Exception {
        StreamingClient client = client("flight");
        Recorder recorder = new Recorder();
        recorder.acknowledge = false;
        client.subscribe(SubscriptionOptions.newOnly("slow").limits(2, Duration.ofSeconds(30)), recorder);
        publish(client, "slow", 1, 5);
        Await.until(WAIT, "two messages", () -> recorder.received.size() == 2);
        client.publish("slow", bytes("m6")); // a round trip through the server: nothing else came meanwhile
        assertEquals(List.of(1L, 2L), recorder.sequences());
        recorder.acknowledge = true;
        recorder.received.get(0).ack();
        recorder.received.get(1).ack();
        Await.until(WAIT, "the held-back messages", () -> recorder.received.size() == 6);
        assertEquals(LongStream.rangeClosed(1, 6).boxed().collect(Collectors.toList()), recorder.sequences());
    }

    @Test
    void aClosedDurableResumesAfterItsLastAcknowledgementAndUnsubscribeForgetsIt() throws Exception {
        StreamingClient client = client("holder");
        SubscriptionOptions durable = SubscriptionOptions.newOnly("ledger").durable("D").limits(1, Duration.ofSeconds(30));
        List<ReceivedMessage> first = Collections.synchronizedList(new ArrayList<>());
        StreamingSubscription subscription = client.subscribe(durable, message -> {
            first.add(message);
            if (message.sequence() < 3) {
                message.ack();
            }
        });
        publish(client, "ledger", 1, 3);
        Await.until(WAIT, "three messages", () -> first.size() == 3);
        subscription.close();
        publish(client, "ledger", 4, 5);

        Recorder resumed = new Recorder();
        // The start position is ignored on resume.
        StreamingSubscription again = client.subscribe(durable.startingAt(StartPosition.LAST_RECEIVED, 0, null, null), resumed);
        Await.until(WAIT, "3, 4 and 5", () -> resumed.received.size() == 3);
        assertEquals(List.of(3L, 4L, 5L), resumed.sequences());
        assertTrue(resumed.received.get(0).isRedelivered());

        StreamingException duplicate = assertThrows(StreamingException.class, () -> client.subscribe(durable, new Recorder()));
        assertEquals("stan: duplicate durable registration", duplicate.getMessage());

        again.unsubscribe();
        Recorder fresh = new Recorder();
        client.subscribe(durable.startingAt(StartPosition.LAST_RECEIVED, 0, null, null), fresh);
        Await.until(WAIT, "the last message only", () -> fresh.received.size() == 1);
        assertEquals(List.of(5L), fresh.sequences());
    }

    @Test
    void aDurableOfAClientThatDiedIsResumedByItsSuccessorUnderTheSameId() throws Exception {
        Connection doomed = nats();
        StreamingClient first = StreamingClient.connect(doomed, StreamingClientOptions.of(CLUSTER, "phoenix"), timer, executor);
        Recorder before = new Recorder();
        first.subscribe(SubscriptionOptions.newOnly("phoenix.log").durable("D")
                .startingAt(StartPosition.ALL, 0, null, null), before);
        StreamingClient publisher = client("phoenix-publisher");
        publish(publisher, "phoenix.log", 1, 3);
        Await.until(WAIT, "three messages", () -> before.received.size() == 3);
        doomed.close(); // the process dies: no close request, the server still has the client
        publish(publisher, "phoenix.log", 4, 6);

        StreamingClient second = client("phoenix");
        Recorder after = new Recorder();
        second.subscribe(SubscriptionOptions.newOnly("phoenix.log").durable("D")
                .startingAt(StartPosition.ALL, 0, null, null), after);
        Await.until(WAIT, "4 to 6", () -> after.received.size() >= 3);
        assertEquals(List.of(4L, 5L, 6L), after.sequences());
    }

    @Test
    void aQueueGroupDeliversEachMessageToOneMember() throws Exception {
        StreamingClient one = client("member-1");
        StreamingClient two = client("member-2");
        Recorder first = new Recorder();
        Recorder second = new Recorder();
        one.subscribe(SubscriptionOptions.newOnly("jobs").queue("workers"), first);
        two.subscribe(SubscriptionOptions.newOnly("jobs").queue("workers"), second);
        publish(one, "jobs", 1, 40);
        Await.until(WAIT, "40 messages", () -> first.received.size() + second.received.size() == 40);
        Set<Long> union = ConcurrentHashMap.newKeySet();
        union.addAll(first.sequences());
        union.addAll(second.sequences());
        assertEquals(40, union.size());
        assertFalse(first.received.isEmpty() || second.received.isEmpty(),
                "both members got messages: " + first.received.size() + "/" + second.received.size());
    }

    @Test
    void serverRefusalsAndBadInputAreClearErrors() throws Exception {
        StreamingClient client = client("picky");
        StreamingException duplicateId = assertThrows(StreamingException.class, () -> client("picky"));
        assertEquals("stan: clientID already registered", duplicateId.getMessage());
        assertThrows(IllegalArgumentException.class, () -> client.publish("foo.*", bytes("x")));
        assertThrows(IllegalArgumentException.class, () -> client.publish("foo..bar", bytes("x")));
        assertThrows(IllegalArgumentException.class, () -> SubscriptionOptions.newOnly("a").limits(1, Duration.ofMillis(500)));
        assertThrows(IllegalArgumentException.class, () -> SubscriptionOptions.newOnly("a").queue("q").durable("x:y"));
        assertThrows(IllegalArgumentException.class, () -> StreamingClientOptions.of(CLUSTER, "bad id"));

        StreamingException noServer = assertThrows(StreamingException.class,
                () -> client(StreamingClientOptions.of("no-such-cluster", "lonely")));
        assertTrue(noServer.getMessage().contains("no streaming server of cluster 'no-such-cluster'"), noServer.getMessage());

        client.close();
        assertThrows(NatsConnectionClosedException.class, () -> client.publish("orders", bytes("late")));
        // The id is free again once closed.
        assertNotNull(client("picky"));
    }

    @Test
    void aDurableResumesWithoutLossAfterTheServerDroppedTheClientDuringANatsOutage() throws Exception {
        server.close();
        server = TestStreamingServer.startForgetful(broker, CLUSTER, Duration.ofMillis(300));
        StreamingClient client = client("survivor");
        Recorder recorder = new Recorder();
        client.subscribe(SubscriptionOptions.newOnly("audit").durable("keeper"), recorder);
        publish(client, "audit", 1, 3);
        Await.until(WAIT, "three messages", () -> recorder.received.size() == 3);

        broker.stop(); // both the streaming server and the client lose NATS; the server's heartbeats fail
        Thread.sleep(1_000); // long enough for the server's one missed heartbeat to drop the client
        broker.restart();

        // A publisher of its own: these messages are stored while the client may not be subscribed yet.
        StreamingClient publisher = clientOnceServerIsBack("publisher");
        publish(publisher, "audit", 4, 6);
        Await.until(WAIT, "the messages published after the outage", () -> recorder.sequences().containsAll(List.of(4L, 5L, 6L)));
        assertTrue(client.sessionsOpened() >= 2, "the session was set up again: " + client.sessionsOpened());
        assertEquals(Set.of(1L, 2L, 3L, 4L, 5L, 6L), Set.copyOf(recorder.sequences()));
    }

    @Test
    void aPlainSubscriptionContinuesAfterTheStreamingServerRestarted() throws Exception {
        StreamingClient client = client("steady");
        Recorder recorder = new Recorder();
        client.subscribe(SubscriptionOptions.newOnly("news"), recorder);
        publish(client, "news", 1, 2);
        Await.until(WAIT, "two messages", () -> recorder.received.size() == 2);
        server.stop();
        server.restart(); // a new memory store: this client is unknown now
        Await.until(WAIT, "the session to be set up again", () -> client.sessionsOpened() >= 2);
        StreamingClient publisher = clientOnceServerIsBack("newsroom");
        Await.until(WAIT, "a message published after the restart", () -> {
            publisher.publish("news", bytes("after"));
            return recorder.payloads().contains("after");
        });
    }

    @Test
    void closingFailsUnacknowledgedPublishes() throws Exception {
        server.stop(); // nobody acknowledges
        assertThrows(StreamingException.class, () -> client("early"));
        server.restart();
        StreamingClient client = client("closer");
        server.stop();
        CompletableFuture<String> pending = client.publishAsync("orders", bytes("x"));
        client.close();
        ExecutionException failure = assertThrows(ExecutionException.class, () -> pending.get(5, TimeUnit.SECONDS));
        assertInstanceOf(NatsConnectionClosedException.class, failure.getCause());
    }
}
