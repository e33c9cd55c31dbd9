package io.natsee.streaming.compat;

import io.nats.streaming.Message;
import io.nats.streaming.NatsStreaming;
import io.nats.streaming.Options;
import io.nats.streaming.StreamingConnection;
import io.nats.streaming.Subscription;
import io.nats.streaming.SubscriptionOptions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fault tolerance ({@code --ft_group}): two streaming server processes share one store (a file store directory, or
 * one PostgreSQL database) behind Debian's nats-server. The active one is killed with SIGKILL while a Java streaming
 * client publishes with acks; the standby takes over, and every acknowledged message is in the channel exactly
 * once. The failover time, from the kill to the first acknowledgement after it, is printed and must stay under 5 s.
 */
class FaultToleranceTest {
    static final String CLUSTER = "ft-cluster";
    static final String GROUP = "ft-group";
    static final String CHANNEL = "ft.orders";

    @TempDir
    Path dir;

    @Test
    void fileStoreStandbyTakesOverAfterKillNine() throws Exception {
        failover("FILE", "-st", "FILE", "--dir", dir.resolve("store").toString());
    }

    @Test
    void postgresStandbyTakesOverAfterKillNine() throws Exception {
        try (PostgresDatabase database = PostgresDatabase.create("natsee_ft")) {
            failover("SQL", "-st", "SQL", "--sql_driver", "postgres", "--sql_source", database.jdbcSource());
        }
    }

    @Test
    void memoryStoreIsRefusedInAnFtGroup() throws Exception {
        ServerProcess server = ServerProcess.startStreaming("-a", "127.0.0.1", "-p", "0", "-st", "MEMORY",
                "--ft_group", GROUP);
        assertEquals(1, server.awaitExit(30));
        assertTrue(server.printed("ft: only FILE or SQL stores supported in FT mode"), server.output().toString());
    }

    private void failover(String type, String... storeArgs) throws Exception {
        int natsPort = ServerProcess.freePort();
        int natsMonitor = ServerProcess.freePort();
        try (ServerProcess nats = ServerProcess.natsServer(natsPort, "-m", String.valueOf(natsMonitor))) {
            Assumptions.assumeTrue(nats != null, "Debian's nats-server is not installed");
            String url = "nats://127.0.0.1:" + natsPort;
            int httpA = ServerProcess.freePort();
            int httpB = ServerProcess.freePort();
            ServerProcess active = ServerProcess.streaming(args(url, httpA, storeArgs));
            ServerProcess standby = ServerProcess.startStreaming(args(url, httpB, storeArgs));
            try {
                Monitor monitorA = new Monitor(httpA);
                Monitor monitorB = new Monitor(httpB);
                awaitPrinted(standby, "Starting in standby mode");
                assertEquals("FT_STANDBY", state(monitorB.await("/streaming/serverz", Duration.ofSeconds(30),
                        answer -> answer.status() == 200)));
                assertEquals(204, monitorB.get("/streaming/isFTActive").status());
                assertEquals(200, monitorA.get("/streaming/isFTActive").status());
                assertEquals("FT_ACTIVE", state(monitorA.get("/streaming/serverz")));
                // The standby is silent: only one NATS connection listens on the streaming subjects.
                String connz = new Monitor(natsMonitor).get("/connz?subs=1").body();
                assertEquals(1, count(connz, "\"_STAN.discover." + CLUSTER + "\""), connz);

                Result result = publishAcrossKill(url, active);
                assertTrue(standby.printed("Streaming Server is ready") || monitorB.await("/streaming/isFTActive",
                        Duration.ofSeconds(10), answer -> answer.status() == 200).status() == 200);
                assertEquals("FT_ACTIVE", state(monitorB.get("/streaming/serverz")));
                List<Long> stored = readAll(url, monitorB.get("/streaming/channelsz?channel=" + CHANNEL)
                        .number("last_seq"));
                Map<Long, Integer> copies = new HashMap<>();
                for (long id : stored) {
                    copies.merge(id, 1, Integer::sum);
                }
                List<Long> wrong = new ArrayList<>();
                for (long id : result.acknowledged) {
                    if (copies.getOrDefault(id, 0) != 1) {
                        wrong.add(id);
                    }
                }
                assertEquals(List.of(), wrong.stream().limit(10).toList(),
                        wrong.size() + " acknowledged messages not stored exactly once");
                assertTrue(copies.values().stream().allMatch(n -> n == 1), "a message stored twice");
                System.out.printf("FaultToleranceTest %s: %d acknowledged (%d before the kill), %d stored, "
                                + "failover (kill to first ack) %d ms%n", type, result.acknowledged.size(),
                        result.beforeKill, stored.size(), result.failoverMillis);
                assertTrue(result.beforeKill > 0, "acks before the kill");
                assertTrue(result.failoverMillis >= 0 && result.failoverMillis < 5000,
                        "failover in " + result.failoverMillis + " ms");
            } finally {
                active.close();
                standby.close();
            }
        }
    }

    private static void awaitPrinted(ServerProcess server, String text) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!server.printed(text) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertTrue(server.printed(text), "printed " + text + ": " + server.output());
    }

    private static String[] args(String url, int http, String... storeArgs) {
        List<String> args = new ArrayList<>(List.of("-ns", url, "-cid", CLUSTER, "--ft_group", GROUP, "-a",
                "127.0.0.1", "-m", String.valueOf(http)));
        args.addAll(List.of(storeArgs));
        return args.toArray(String[]::new);
    }

    private static String state(Monitor.Answer serverz) {
        java.util.regex.Matcher matcher = java.util.regex.Pattern.compile("\"state\"\\s*:\\s*\"([A-Z_]+)\"")
                .matcher(serverz.body());
        return matcher.find() ? matcher.group(1) : serverz.body();
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
            n++;
        }
        return n;
    }

    record Result(List<Long> acknowledged, int beforeKill, long failoverMillis) {
    }

    /**
     * Publishes ids 0, 1, 2... with acks (256 in flight, 1 s ack wait), kills the active server after 1.5 s, goes on
     * until 2 s of acks came after the kill (at most 20 s), then waits for the last acks.
     */
    private static Result publishAcrossKill(String url, ServerProcess active) throws Exception {
        Map<Long, Long> ackedAt = new ConcurrentHashMap<>();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong killedAt = new AtomicLong(Long.MAX_VALUE);
        AtomicLong firstAckAfterKill = new AtomicLong(Long.MAX_VALUE);
        StreamingConnection connection = NatsStreaming.connect(CLUSTER, "ft-publisher", new Options.Builder()
                .natsUrl(url).connectWait(Duration.ofSeconds(10)).pubAckWait(Duration.ofSeconds(1))
                .maxPubAcksInFlight(256).build());
        Thread publisher = new Thread(() -> {
            long n = 0;
            try {
                while (!stop.get()) {
                    long id = n++;
                    connection.publish(CHANNEL, ByteBuffer.allocate(8).putLong(id).array(), (guid, error) -> {
                        if (error == null) {
                            long now = System.nanoTime();
                            ackedAt.put(id, now);
                            if (now > killedAt.get()) {
                                firstAckAfterKill.accumulateAndGet(now, Math::min);
                            }
                        }
                    });
                    if (n % 64 == 0) {
                        Thread.sleep(1); // about 50k/s at most: a steady load, not a flood
                    }
                }
            } catch (Exception e) {
                // publishing ends with the test
            }
        }, "ft-publisher");
        publisher.setDaemon(true);
        publisher.start();
        Thread.sleep(1500);
        killedAt.set(System.nanoTime());
        active.kill();
        int beforeKill = ackedAt.size();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline && (firstAckAfterKill.get() == Long.MAX_VALUE
                || System.nanoTime() - firstAckAfterKill.get() < TimeUnit.SECONDS.toNanos(2))) {
            Thread.sleep(50);
        }
        stop.set(true);
        publisher.join(10_000);
        Thread.sleep(1500); // the last acks, or their timeouts
        connection.close();
        List<Long> acknowledged = new ArrayList<>(ackedAt.keySet());
        acknowledged.sort(null);
        long failover = firstAckAfterKill.get() == Long.MAX_VALUE ? -1
                : TimeUnit.NANOSECONDS.toMillis(firstAckAfterKill.get() - killedAt.get());
        return new Result(acknowledged, beforeKill, failover);
    }

    private static List<Long> readAll(String url, long last) throws Exception {
        List<Long> ids = new ArrayList<>();
        CountDownLatch done = new CountDownLatch(last <= 0 ? 0 : 1);
        try (StreamingConnection connection = NatsStreaming.connect(CLUSTER, "ft-reader", new Options.Builder()
                .natsUrl(url).connectWait(Duration.ofSeconds(10)).build())) {
            Subscription subscription = connection.subscribe(CHANNEL, (Message message) -> {
                synchronized (ids) {
                    ids.add(ByteBuffer.wrap(message.getData()).getLong());
                }
                if (message.getSequence() == last) {
                    done.countDown();
                }
            }, new SubscriptionOptions.Builder().deliverAllAvailable().maxInFlight(8192).build());
            assertTrue(done.await(60, TimeUnit.SECONDS), "read " + ids.size() + " of " + last);
            subscription.unsubscribe();
        }
        synchronized (ids) {
            return new ArrayList<>(ids);
        }
    }
}
