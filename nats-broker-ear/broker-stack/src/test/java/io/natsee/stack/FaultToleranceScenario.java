package io.natsee.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import io.natsee.streaming.protocol.Ack;
import io.natsee.streaming.protocol.ConnectResponse;
import io.natsee.streaming.protocol.MsgProto;
import io.natsee.streaming.protocol.PubAck;
import io.natsee.streaming.protocol.PubMsg;
import io.natsee.streaming.protocol.StartPosition;
import io.natsee.streaming.protocol.SubscriptionRequest;
import io.natsee.streaming.protocol.SubscriptionResponse;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fault tolerance between two application servers on one database, as docs/streaming.md tells
 * users to run it, whatever the servers are (two Payara Micro stacks, two WildFly servers with the
 * EAR): each runs a broker and a streaming server; the brokers are one NATS cluster (routes to each
 * other), the streaming servers one FT group on the SQL store, each through its own server's pool on
 * the same PostgreSQL database. Exactly one is active; a client publishing with acks through the
 * active member's broker sees that member's JVM killed with {@code kill -9}, reconnects to the
 * other broker, and the standby takes over: the time from the kill to the first acknowledgement
 * of a message published after it stays under 5 s, every acknowledged message is in the channel
 * exactly once (read back by a durable subscription from the first message, and as rows of the
 * database), the servers log nothing severe, and the survivor's clean stop frees the lock row.
 */
public final class FaultToleranceScenario {

    /** The cluster id the servers run with (the default). */
    public static final String CLUSTER_ID = "test-cluster";
    private static final String CHANNEL = "ft.orders";
    /** The target and docs/streaming.md's figure for the SQL store: kill to first ack under 5 s. */
    private static final long FAILOVER_BOUND_MILLIS = 5_000;

    /** One of the two application servers, started, with its broker and its streaming server. */
    public interface Member {
        /** Its name in messages. */
        String name();

        /** Its broker's client URL. */
        String natsUrl();

        /** A URL of its HTTP port: {@code /broker/...} and {@code /streaming/...}. */
        String http(String path);

        /** {@code kill -9} of its JVM; returns {@link System#nanoTime()} just before the signal, once the JVM is gone. */
        long kill() throws Exception;

        /** Stops it cleanly; returns the exit status (0 for a clean stop). */
        int stop() throws Exception;

        /** Fails when the server logged something severe; {@code what} names it in the failure. */
        void assertNothingSevere(String what) throws Exception;
    }

    private FaultToleranceScenario() {
    }

    /**
     * Runs the scenario on two started members of FT group {@code group} on {@code database}.
     *
     * @param label the prefix of what it prints
     * @param server what kind of server a member is, in messages ("Payara Micro", "WildFly")
     */
    public static void run(String label, String server, PoolDatabase database, String group, Member a, Member b)
            throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        // The brokers are one cluster; the streaming servers one FT group with exactly one active.
        for (Member node : List.of(a, b)) {
            await(Duration.ofSeconds(30), "a route on " + node.name(),
                    () -> number(get(http, node.http("/broker/routez")).body(), "num_routes") == 1);
        }
        await(Duration.ofSeconds(30), "one FT_ACTIVE and one FT_STANDBY",
                () -> List.of(state(http, a), state(http, b)).containsAll(List.of("FT_ACTIVE", "FT_STANDBY")));
        Member active = state(http, a).equals("FT_ACTIVE") ? a : b;
        Member standby = active == a ? b : a;
        assertEquals("FT_STANDBY", state(http, standby));
        assertEquals(200, get(http, active.http("/streaming/isFTActive")).statusCode());
        assertEquals(204, get(http, standby.http("/streaming/isFTActive")).statusCode());
        // The standby is silent: only the active's connection subscribes to the streaming subjects.
        int discoverSubscriptions = 0;
        for (Member node : List.of(a, b)) {
            discoverSubscriptions += count(get(http, node.http("/broker/connz?subs=1")).body(), "\"_STAN.discover." + CLUSTER_ID + "\"");
        }
        assertEquals(1, discoverSubscriptions, "connections subscribed to the discover subject on both brokers");
        System.out.println(label + " " + active.name() + " is active, " + standby.name() + " stands by");

        Result result = publishAcrossKill(label, server, active, standby);
        System.out.printf(label + " failover (kill -9 of %s's " + server + " to the first ack of a message published after it)"
                        + " %d ms; %d published, %d acknowledged (%d before the kill), %d answered with an error,"
                        + " %d with no responders%n", active.name(), result.failoverMillis, result.published,
                result.acknowledged.size(), result.beforeKill, result.errors, result.noResponders);
        assertTrue(result.beforeKill > 0, "acknowledgements before the kill");
        assertTrue(result.failoverMillis >= 0, "no message published after the kill was acknowledged");
        assertTrue(result.failoverMillis < FAILOVER_BOUND_MILLIS, "failover took " + result.failoverMillis + " ms");
        assertEquals(List.of(), result.ackedTwice, "messages acknowledged twice");
        // The publisher's registration survived the failover (the new active recovered it from the store).
        assertEquals(0, result.errors, "PubAcks with an error");

        assertEquals("FT_ACTIVE", state(http, standby));
        assertEquals(200, get(http, standby.http("/streaming/isFTActive")).statusCode());
        long last = number(get(http, standby.http("/streaming/channelsz?channel=" + CHANNEL)).body(), "last_seq");
        List<String> delivered = readAll(standby, last);
        List<String> rows = rows(database);
        assertEquals(rows, delivered, "the durable reader got the rows of channel " + CHANNEL + " in order");

        Map<Long, Integer> copies = new TreeMap<>();
        for (String payload : delivered) {
            copies.merge(Long.parseLong(payload.substring("order ".length())), 1, Integer::sum);
        }
        List<Long> notOnce = new ArrayList<>();
        for (long id : result.acknowledged) {
            if (copies.getOrDefault(id, 0) != 1) {
                notOnce.add(id);
            }
        }
        assertEquals(List.of(), notOnce.stream().limit(20).toList(), notOnce.size() + " acknowledged messages not stored exactly once");
        List<Long> duplicated = copies.entrySet().stream().filter(entry -> entry.getValue() != 1).map(Map.Entry::getKey).toList();
        assertEquals(List.of(), duplicated, "messages stored more than once");
        System.out.printf(label + " %d messages stored (%d acknowledged, %d stored but not acknowledged), every acknowledged one exactly once%n",
                delivered.size(), result.acknowledged.size(), delivered.size() - result.acknowledged.size());

        active.assertNothingSevere(active.name() + " before the kill");
        standby.assertNothingSevere(standby.name());

        // Stopped cleanly, the new active frees the lock row, which carries the token of the one takeover.
        assertEquals(0, standby.stop(), standby.name() + " stopped cleanly");
        try (java.sql.Connection db = database.connect();
             Statement statement = db.createStatement();
             ResultSet lock = statement.executeQuery("SELECT owner, token FROM natsee_store_lock WHERE name = '" + group + "'")) {
            assertTrue(lock.next(), "the lock row of " + group);
            assertEquals("", lock.getString(1), "the lock's owner after a clean stop");
            assertEquals(2, lock.getLong(2), "the fencing token after one takeover");
        }
    }

    private record Result(List<Long> acknowledged, int beforeKill, long failoverMillis, long published, int errors, int noResponders,
                  List<Long> ackedTwice) {
    }

    /**
     * A streaming client on the active stack's broker (the standby's as its second server, for
     * reconnecting) publishes ids 0, 1, 2, ... with acks at about 1,000 a second; after 3 s the
     * active stack's Payara JVM is killed. Publishing goes on until 2 s after the first ack of a
     * message published after the kill (at most 30 s), then waits 2 s for the last acks. The
     * failover time is from the kill to that first ack.
     */
    private static Result publishAcrossKill(String label, String server, Member active, Member standby) throws Exception {
        Map<Long, Long> ackedAt = new ConcurrentHashMap<>();
        List<Long> ackedTwice = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicInteger errors = new AtomicInteger();
        AtomicInteger noResponders = new AtomicInteger();
        AtomicLong nextId = new AtomicLong();
        AtomicLong firstIdAfterKill = new AtomicLong(Long.MAX_VALUE);
        AtomicLong firstAckAfterKill = new AtomicLong(Long.MAX_VALUE);
        AtomicBoolean stop = new AtomicBoolean();
        String clientId = "ft-publisher";
        try (Connection nc = Nats.connect(new Options.Builder().servers(new String[] {active.natsUrl(), standby.natsUrl()})
                .noRandomize().maxReconnects(-1).reconnectWait(Duration.ofMillis(100)).connectionTimeout(Duration.ofSeconds(5)).build())) {
            ConnectResponse session = StreamingSession.connect(nc, CLUSTER_ID, clientId);
            String acks = nc.createInbox();
            Dispatcher ackDispatcher = nc.createDispatcher(reply -> {
                long now = System.nanoTime();
                if (reply.isStatusMessage()) {
                    // 503 no responders: the broker the client is on has no active streaming server yet
                    noResponders.incrementAndGet();
                    return;
                }
                PubAck ack;
                try {
                    ack = PubAck.parseFrom(reply.getData());
                } catch (InvalidProtocolBufferException e) {
                    errors.incrementAndGet();
                    return;
                }
                if (!ack.getError().isEmpty()) {
                    errors.incrementAndGet();
                    return;
                }
                long id = Long.parseLong(ack.getGuid().substring("guid-".length()));
                if (ackedAt.putIfAbsent(id, now) != null) {
                    ackedTwice.add(id);
                }
                if (id >= firstIdAfterKill.get()) {
                    firstAckAfterKill.accumulateAndGet(now, Math::min);
                }
            });
            ackDispatcher.subscribe(acks);
            nc.flush(Duration.ofSeconds(5));
            String subject = session.getPubPrefix() + "." + CHANNEL;
            ByteString connId = ByteString.copyFromUtf8("conn-" + clientId);
            Thread publisher = new Thread(() -> {
                while (!stop.get()) {
                    long id = nextId.get();
                    PubMsg publish = PubMsg.newBuilder().setClientID(clientId).setGuid("guid-" + id).setSubject(CHANNEL)
                            .setData(ByteString.copyFromUtf8("order " + id)).setConnID(connId).build();
                    try {
                        nc.publish(subject, acks, publish.toByteArray());
                    } catch (IllegalStateException reconnectBufferFull) {
                        // not published; the next id is tried after the pause
                    }
                    nextId.incrementAndGet();
                    if (id % 10 == 9) {
                        try {
                            Thread.sleep(10);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }
            }, "ft-publisher");
            publisher.setDaemon(true);
            publisher.start();
            Thread.sleep(3_000);
            long killedAt = active.kill();
            // Only ids published once the server is gone measure the failover: earlier ones may still have been acknowledged by it.
            firstIdAfterKill.set(nextId.get());
            int beforeKill = ackedAt.size();
            System.out.println(label + " killed " + active.name() + "'s " + server + " (kill -9) after " + beforeKill + " acknowledged publishes");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline && (firstAckAfterKill.get() == Long.MAX_VALUE
                    || System.nanoTime() - firstAckAfterKill.get() < TimeUnit.SECONDS.toNanos(2))) {
                Thread.sleep(50);
            }
            stop.set(true);
            publisher.join(10_000);
            Thread.sleep(2_000); // the last acks
            StreamingSession.close(nc, session, clientId);
            List<Long> acknowledged = new ArrayList<>(ackedAt.keySet());
            acknowledged.sort(null);
            long failover = firstAckAfterKill.get() == Long.MAX_VALUE ? -1 : TimeUnit.NANOSECONDS.toMillis(firstAckAfterKill.get() - killedAt);
            return new Result(acknowledged, beforeKill, failover, nextId.get(), errors.get(), noResponders.get(), List.copyOf(ackedTwice));
        }
    }

    /** Every message of the channel, from the first, through a durable subscription on {@code node}'s broker. */
    private static List<String> readAll(Member node, long last) throws Exception {
        String clientId = "ft-reader";
        List<String> received = new ArrayList<>();
        try (Connection nc = Nats.connect(new Options.Builder().server(node.natsUrl()).connectionTimeout(Duration.ofSeconds(5)).build())) {
            ConnectResponse session = StreamingSession.connect(nc, CLUSTER_ID, clientId);
            String inbox = nc.createInbox();
            Subscription deliveries = nc.subscribe(inbox);
            nc.flush(Duration.ofSeconds(5));
            SubscriptionRequest subscribe = SubscriptionRequest.newBuilder().setClientID(clientId).setSubject(CHANNEL)
                    .setInbox(inbox).setMaxInFlight(8192).setAckWaitInSecs(60).setDurableName("ft-audit")
                    .setStartPosition(StartPosition.First).build();
            SubscriptionResponse subscribed = SubscriptionResponse.parseFrom(
                    nc.request(session.getSubRequests(), subscribe.toByteArray(), Duration.ofSeconds(10)).getData());
            assertEquals("", subscribed.getError());
            long expected = 1;
            while (expected <= last) {
                Message delivered = deliveries.nextMessage(Duration.ofSeconds(10));
                assertNotNull(delivered, "message " + expected + " of " + last + " was not delivered");
                MsgProto message = MsgProto.parseFrom(delivered.getData());
                assertEquals(expected, message.getSequence(), "delivered in order");
                assertFalse(message.getRedelivered(), "sequence " + expected + " redelivered");
                received.add(message.getData().toStringUtf8());
                nc.publish(subscribed.getAckInbox(), Ack.newBuilder().setSubject(CHANNEL).setSequence(message.getSequence()).build().toByteArray());
                expected++;
            }
            assertEquals(null, deliveries.nextMessage(Duration.ofMillis(500)), "nothing beyond the channel's last sequence " + last);
            StreamingSession.close(nc, session, clientId);
        }
        return received;
    }

    /** The channel's messages as rows of the shared database, in sequence order (which must have no gap). */
    private static List<String> rows(PoolDatabase database) throws Exception {
        List<String> stored = new ArrayList<>();
        try (java.sql.Connection db = database.connect();
             Statement statement = db.createStatement();
             ResultSet rows = statement.executeQuery("SELECT m.seq, m.data FROM natsee_messages m"
                     + " JOIN natsee_channels c ON c.id = m.channel_id WHERE c.name = '" + CHANNEL + "' ORDER BY m.seq")) {
            long expected = 1;
            while (rows.next()) {
                assertEquals(expected++, rows.getLong(1), "sequences in the database");
                stored.add(new String(rows.getBytes(2), StandardCharsets.UTF_8));
            }
        }
        return stored;
    }

    private static String state(HttpClient http, Member node) throws Exception {
        HttpResponse<String> serverz = get(http, node.http("/streaming/serverz"));
        Matcher matcher = Pattern.compile("\"state\"\\s*:\\s*\"([A-Z_]+)\"").matcher(serverz.body());
        return matcher.find() ? matcher.group(1) : serverz.statusCode() + " " + serverz.body();
    }

    private static long number(String json, String field) {
        Matcher matcher = Pattern.compile("\"" + field + "\"\\s*:\\s*(-?\\d+)").matcher(json);
        assertTrue(matcher.find(), field + " in " + json);
        return Long.parseLong(matcher.group(1));
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
            n++;
        }
        return n;
    }

    private interface Condition {
        boolean holds() throws Exception;
    }

    private static void await(Duration timeout, String what, Condition condition) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.holds()) {
            assertTrue(System.nanoTime() < deadline, "not within " + timeout.toSeconds() + " s: " + what);
            Thread.sleep(200);
        }
    }

    private static HttpResponse<String> get(HttpClient http, String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
