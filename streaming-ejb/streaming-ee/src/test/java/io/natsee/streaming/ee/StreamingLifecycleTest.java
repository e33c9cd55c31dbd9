package io.natsee.streaming.ee;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.natsee.broker.Broker;
import io.natsee.broker.BrokerOptions;
import io.natsee.streaming.server.StreamingServer;
import java.net.InetAddress;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.h2.jdbcx.JdbcDataSource;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The managed start: wait for the stack's broker, then serve on the given threads; fail clearly otherwise. */
class StreamingLifecycleTest {

    private final AtomicInteger created = new AtomicInteger();
    private final ThreadFactory threads = task -> {
        created.incrementAndGet();
        Thread thread = new Thread(task, "managed-streaming-test");
        thread.setDaemon(true);
        return thread;
    };

    @Test
    void itWaitsForTheBrokerThenServesOnTheFactorysThreads() throws Exception {
        int port = freePort();
        Broker broker = new Broker(BrokerOptions.builder().host("127.0.0.1").port(port).httpPort(0).build(), threads);
        StreamingConfiguration.Settings settings = StreamingConfiguration.settings(
                Map.of("nats.port", Integer.toString(port), "cluster_id", "managed", "broker_wait", "20s"));
        // The broker comes up a little after the streaming WAR starts, as in an EAR started out of order.
        CompletableFuture<StreamingServer> started = CompletableFuture.supplyAsync(() -> StreamingLifecycle.startServer(settings, threads));
        Thread.sleep(300);
        broker.start();
        StreamingServer server = started.get(30, TimeUnit.SECONDS);
        try {
            assertEquals("nats://127.0.0.1:" + port, server.natsUrl());
            assertEquals("managed", server.monitor().serverz().cluster_id());
            assertEquals(0, server.monitor().serverz().clients());
            assertNotNull(StreamingMetrics.serverz(server));
            assertTrue(created.get() > 0, "the engine and timers run on the container's threads");
            assertTrue(broker.statistics().connections() >= 1, "the streaming server is a client of the broker");
        } finally {
            server.close();
            broker.close();
        }
    }

    @Test
    void noBrokerWithinTheWaitFailsNamingTheUrlAndTheKey() throws Exception {
        int port = freePort();
        StreamingConfiguration.Settings settings = StreamingConfiguration.settings(
                Map.of("nats_server", "nats://127.0.0.1:" + port, "broker_wait", "300ms"));
        long start = System.nanoTime();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> StreamingLifecycle.startServer(settings, threads));
        assertTrue(e.getMessage().contains("no NATS server accepts on nats://127.0.0.1:" + port), e.getMessage());
        assertTrue(e.getMessage().contains("streaming.nats_server"), e.getMessage());
        assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() < 5_000);
    }

    @Test
    void theSqlStoreServesFromTheDataSourceTheContainerBindsAndHoldsTheFtLockThere() throws Exception {
        int port = freePort();
        Broker broker = new Broker(BrokerOptions.builder().host("127.0.0.1").port(port).httpPort(0).build(), threads);
        broker.start();
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:lifecycle-" + port + ";DB_CLOSE_DELAY=-1");
        List<String> looked = new ArrayList<>();
        StreamingConfiguration.Settings settings = StreamingConfiguration.settings(Map.of("nats.port",
                Integer.toString(port), "cluster_id", "managed", "store", "SQL", "sql_datasource", "jdbc/streaming",
                "ft_group", "managed-ft", "broker_wait", "10s"), name -> {
                    looked.add(name);
                    return h2;
                });
        StreamingServer server = StreamingLifecycle.startServer(settings, threads);
        try {
            assertEquals(List.of("jdbc/streaming"), looked);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!"FT_ACTIVE".equals(server.stateName()) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertEquals("FT_ACTIVE", server.stateName(), "alone in its FT group, the server takes the lock");
            try (Connection connection = h2.getConnection(); Statement statement = connection.createStatement()) {
                try (ResultSet info = statement.executeQuery("SELECT cluster_id FROM natsee_server_info")) {
                    assertTrue(info.next(), "the store was created in the container's database");
                    assertEquals("managed", info.getString(1));
                }
                try (ResultSet lock = statement.executeQuery(
                        "SELECT owner FROM natsee_store_lock WHERE name = 'managed-ft'")) {
                    assertTrue(lock.next(), "the FT lock row is in the same database");
                    assertFalse(lock.getString(1).isEmpty());
                }
            }
        } finally {
            server.close();
            broker.close();
        }
    }

    @Test
    void anActiveThatLosesItsFtLockStandsByAgainAndTakesTheLockBackOnceItIsFree() throws Exception {
        int port = freePort();
        Broker broker = new Broker(BrokerOptions.builder().host("127.0.0.1").port(port).httpPort(0).build(), threads);
        broker.start();
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:lifecycle-lost-" + port + ";DB_CLOSE_DELAY=-1");
        StreamingConfiguration.Settings settings = StreamingConfiguration.settings(Map.of("nats.port", Integer.toString(port),
                "store", "SQL", "sql_datasource", "jdbc/streaming", "ft_group", "lost-ft", "broker_wait", "10s"), name -> h2);
        StreamingLifecycle lifecycle = new StreamingLifecycle();
        lifecycle.serve(settings, threads);
        try {
            StreamingServer first = lifecycle.server();
            awaitState(lifecycle, "FT_ACTIVE", 20);
            // Another owner takes the row, as a standby does after a stalled tick: the next tick finds it lost.
            try (Connection connection = h2.getConnection(); Statement statement = connection.createStatement()) {
                assertEquals(1, statement.executeUpdate("UPDATE natsee_store_lock SET owner = 'intruder', token = token + 1"
                        + " WHERE name = 'lost-ft'"));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (lifecycle.server() == first && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertTrue(lifecycle.server() != first, "the server that lost its lock was replaced");
            assertEquals(null, first.natsUrl(), "the old server is closed");
            assertEquals("FT_STANDBY", lifecycle.server().stateName(), "the new one stands by");
            assertNotNull(lifecycle.server().natsUrl(), "connected, listening for heartbeats");
            // The intruder never ticks: after the takeover timeout the new standby takes the lock and serves.
            awaitState(lifecycle, "FT_ACTIVE", 20);
            try (Connection connection = h2.getConnection(); Statement statement = connection.createStatement();
                 ResultSet lock = statement.executeQuery("SELECT owner, token FROM natsee_store_lock WHERE name = 'lost-ft'")) {
                assertTrue(lock.next());
                assertEquals(lifecycle.server().serverId(), lock.getString(1));
                assertEquals(3, lock.getLong(2), "the token of the intruder's and the new standby's takeovers");
            }
        } finally {
            lifecycle.stop();
            broker.close();
        }
        assertEquals(null, lifecycle.server());
    }

    private static void awaitState(StreamingLifecycle lifecycle, String state, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while ((lifecycle.server() == null || !state.equals(lifecycle.server().stateName())) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(state, lifecycle.server() == null ? null : lifecycle.server().stateName());
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
