package io.natsee.streaming.compat;

import io.nats.streaming.Message;
import io.nats.streaming.NatsStreaming;
import io.nats.streaming.Options;
import io.nats.streaming.StreamingConnection;
import io.nats.streaming.Subscription;
import io.nats.streaming.SubscriptionOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The SQL store end to end ({@code -st SQL}) with the Java streaming client: publishes, a durable subscription,
 * a restart of the server on the same database, and the durable resuming after its last ack; on PostgreSQL (the
 * lib/pq key=value source, and the streaming{} config file's sql_options) and on H2.
 */
class SqlStoreTest {
    static final String CLUSTER = "sql-cluster";

    @TempDir
    Path dir;

    @Test
    void postgresWithALibPqSource() throws Exception {
        try (PostgresDatabase database = PostgresDatabase.create("natsee_sql")) {
            roundTrip("--sql_driver", "postgres", "--sql_source", database.libPqSource());
        }
    }

    @Test
    void postgresFromTheConfigFilesSqlOptions() throws Exception {
        try (PostgresDatabase database = PostgresDatabase.create("natsee_sqlconf")) {
            Path config = dir.resolve("streaming.conf");
            Files.writeString(config, "streaming {\n  store: SQL\n  sql_options {\n    driver: postgres\n"
                    + "    source: \"" + database.libPqSource() + "\"\n    max_open_conns: 4\n"
                    + "    bulk_insert_limit: 100\n  }\n}\n", StandardCharsets.UTF_8);
            roundTrip("-sc", config.toString());
        }
    }

    @Test
    void h2() throws Exception {
        roundTrip("--sql_driver", "h2", "--sql_source", "jdbc:h2:file:" + dir.resolve("h2").resolve("store"),
                "--sql_no_caching=true");
    }

    @Test
    void mysqlAndAMissingSourceAreRefused() throws Exception {
        ServerProcess mysql = ServerProcess.startStreaming("-a", "127.0.0.1", "-p", "0", "-st", "SQL",
                "--sql_driver", "mysql", "--sql_source", "user:pw@/db");
        assertEquals(1, mysql.awaitExit(30));
        assertTrue(mysql.printed("sql: driver \"mysql\" is not supported by this server"), mysql.output().toString());
        ServerProcess noSource = ServerProcess.startStreaming("-a", "127.0.0.1", "-p", "0", "-st", "SQL",
                "--sql_driver", "postgres");
        assertEquals(1, noSource.awaitExit(30));
        assertTrue(noSource.printed("sql: a source is required"), noSource.output().toString());
    }

    private void roundTrip(String... storeArgs) throws Exception {
        int port = ServerProcess.freePort();
        int http = ServerProcess.freePort();
        List<String> args = new java.util.ArrayList<>(List.of("-a", "127.0.0.1", "-p", String.valueOf(port), "-m",
                String.valueOf(http), "-cid", CLUSTER, "-st", "SQL"));
        args.addAll(List.of(storeArgs));
        String url = "nats://127.0.0.1:" + port;
        Options options = new Options.Builder().natsUrl(url).connectWait(Duration.ofSeconds(10)).build();
        List<String> received = new CopyOnWriteArrayList<>();
        try (ServerProcess server = ServerProcess.streaming(args.toArray(String[]::new))) {
            assertTrue(new Monitor(http).get("/streaming/storez").body().contains("\"type\": \"SQL\""));
            try (StreamingConnection connection = NatsStreaming.connect(CLUSTER, "sql-client", options)) {
                for (int i = 1; i <= 10; i++) {
                    connection.publish("sql.orders", ("order-" + i).getBytes(StandardCharsets.UTF_8));
                }
                Subscription durable = connection.subscribe("sql.orders", (Message message) -> {
                    if (received.size() < 6) {
                        received.add(new String(message.getData(), StandardCharsets.UTF_8));
                        try {
                            message.ack();
                        } catch (java.io.IOException e) {
                            throw new IllegalStateException(e);
                        }
                    }
                }, new SubscriptionOptions.Builder().durableName("D").deliverAllAvailable().manualAcks()
                        .maxInFlight(1).ackWait(Duration.ofSeconds(30)).build());
                awaitSize(received, 6);
                // Acks are fire-and-forget: wait until the server took the sixth (order-7 sent, only it
                // pending) before closing the durable, whose close request travels on another subject.
                Monitor monitor = new Monitor(http);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                Monitor.Answer subs = monitor.get("/streaming/channelsz?channel=sql.orders&subs=1");
                while ((subs.number("last_sent") != 7 || subs.number("pending_count") != 1) && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                    subs = monitor.get("/streaming/channelsz?channel=sql.orders&subs=1");
                }
                assertEquals(1, subs.number("pending_count"), subs.body());
                durable.close();
                assertEquals(10, new Monitor(http).get("/streaming/channelsz?channel=sql.orders").number("msgs"));
            }
        }
        // The durable's position and the messages come back from the database after a restart.
        try (ServerProcess server = ServerProcess.streaming(args.toArray(String[]::new));
             StreamingConnection connection = NatsStreaming.connect(CLUSTER, "sql-client", options)) {
            List<String> resumed = new CopyOnWriteArrayList<>();
            connection.subscribe("sql.orders", (Message message) -> resumed.add(message.isRedelivered() ? "R" + 
                    new String(message.getData(), StandardCharsets.UTF_8)
                    : new String(message.getData(), StandardCharsets.UTF_8)),
                    new SubscriptionOptions.Builder().durableName("D").startWithLastReceived().build());
            awaitSize(resumed, 4);
            assertEquals(List.of("order-1", "order-2", "order-3", "order-4", "order-5", "order-6"), received);
            // order-7 was delivered but not acked before the close: it comes first, flagged redelivered.
            assertEquals(List.of("Rorder-7", "order-8", "order-9", "order-10"), resumed.subList(0, 4));
        }
    }

    private static void awaitSize(List<String> list, int size) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (list.size() < size && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(list.size() >= size, "received " + list);
    }
}
