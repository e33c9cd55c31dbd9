package io.natsee.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Subscription;
import io.natsee.streaming.protocol.Ack;
import io.natsee.streaming.protocol.CloseRequest;
import io.natsee.streaming.protocol.CloseResponse;
import io.natsee.streaming.protocol.ConnectRequest;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The streaming server inside Payara Micro on the SQL store, served by a Payara JDBC connection
 * pool on PostgreSQL, as docs/streaming.md tells users to set it up: the pool and its resource
 * come from the user's post-boot commands ({@code --postboot}), the driver from {@code --addlibs},
 * and {@code streaming.store=SQL}, {@code streaming.sql_driver=postgres},
 * {@code streaming.sql_datasource} from system properties. Acknowledged publishes are rows of that
 * database, and a restarted stack delivers every one of them again from it.
 *
 * <p>PostgreSQL as the JDBC store's tests find it ({@code natsee.pg.url}, {@code natsee.pg.user},
 * {@code natsee.pg.password} or {@code NATSEE_PG_*}; CI starts Debian's); the test creates its own
 * database and drops it. {@code -Dnatsee.pg.skip=true} skips it.
 */
class StackSqlStoreIT {

    private static final String CLUSTER_ID = "test-cluster";
    private static final int MESSAGES = 300;

    @Test
    void theStreamingServerKeepsItsStoreInAPayaraPoolOnPostgresAndServesItAfterARestart() throws Exception {
        Assumptions.assumeFalse(Boolean.getBoolean("natsee.pg.skip"), "PostgreSQL tests skipped (-Dnatsee.pg.skip=true)");
        String adminUrl = setting("natsee.pg.url", "NATSEE_PG_URL", "jdbc:postgresql://127.0.0.1:5432/postgres");
        String user = setting("natsee.pg.user", "NATSEE_PG_USER", "natsee");
        String password = setting("natsee.pg.password", "NATSEE_PG_PASSWORD", "natsee");
        URI server = URI.create(adminUrl.substring("jdbc:".length()));
        String database = "natsee_stack_" + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36);
        String databaseUrl = "jdbc:postgresql://" + server.getHost() + ":" + (server.getPort() < 0 ? 5432 : server.getPort()) + "/" + database;
        try (java.sql.Connection admin = DriverManager.getConnection(adminUrl, user, password); Statement statement = admin.createStatement()) {
            statement.execute("CREATE DATABASE " + database);
        }
        try {
            Path work = Files.createTempDirectory("stack-sql-it");
            Path postboot = Files.writeString(work.resolve("pool.asadmin"),
                    "create-jdbc-connection-pool --datasourceclassname org.postgresql.ds.PGSimpleDataSource"
                            + " --restype javax.sql.DataSource --steadypoolsize 2 --maxpoolsize 8"
                            + " --property user=" + user + ":password=" + password + ":serverName=" + server.getHost()
                            + ":portNumber=" + (server.getPort() < 0 ? 5432 : server.getPort()) + ":databaseName=" + database
                            + " natsee-streaming-pool\n"
                            + "create-jdbc-resource --connectionpoolid natsee-streaming-pool jdbc/natsee-streaming\n");
            Path driver = Path.of(org.postgresql.Driver.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            int natsPort = StackProcess.freePort();
            int httpPort = StackProcess.freePort();
            List<String> arguments = List.of("-p", Integer.toString(natsPort), "--http-port", Integer.toString(httpPort),
                    "-m", "0", "--no-sample", "--postboot", postboot.toString(), "--addlibs", driver.toString());
            Map<String, String> environment = StackProcess.env(
                    "NATSEE_ADMIN_USERS", work.resolve("admin-users.txt").toString(),
                    "NATSEE_STACK_JAVA_OPTS", "-Dstreaming.store=SQL -Dstreaming.sql_driver=postgres"
                            + " -Dstreaming.sql_datasource=jdbc/natsee-streaming");
            String url = "nats://127.0.0.1:" + natsPort;
            HttpClient http = HttpClient.newHttpClient();

            List<String> sent = new ArrayList<>();
            StackProcess first = StackProcess.start(arguments, environment);
            try {
                String storez = get(http, "http://127.0.0.1:" + httpPort + "/streaming/storez");
                assertTrue(storez.contains("\"type\": \"SQL\""), storez);
                try (Connection nc = Nats.connect(url)) {
                    ConnectResponse session = connect(nc, "stack-sql-publisher");
                    for (int i = 0; i < MESSAGES; i++) {
                        String payload = "order " + i;
                        PubMsg publish = PubMsg.newBuilder().setClientID("stack-sql-publisher").setGuid("guid-" + i)
                                .setSubject("orders").setData(ByteString.copyFromUtf8(payload))
                                .setConnID(ByteString.copyFromUtf8("conn-stack-sql-publisher")).build();
                        Message reply = nc.request(session.getPubPrefix() + ".orders", publish.toByteArray(), Duration.ofSeconds(10));
                        assertNotNull(reply, "no PubAck for message " + i);
                        PubAck ack = PubAck.parseFrom(reply.getData());
                        assertEquals("guid-" + i, ack.getGuid());
                        assertEquals("", ack.getError(), "message " + i);
                        sent.add(payload);
                    }
                    close(nc, session, "stack-sql-publisher");
                }
            } finally {
                assertEquals(0, first.stop(), "the first stack stopped cleanly");
            }
            assertNoSevere(first);

            // Every acknowledged message is a row of the pool's database, in order.
            try (java.sql.Connection db = DriverManager.getConnection(databaseUrl, user, password);
                 Statement statement = db.createStatement();
                 ResultSet rows = statement.executeQuery("SELECT m.seq, m.data FROM natsee_messages m"
                         + " JOIN natsee_channels c ON c.id = m.channel_id WHERE c.name = 'orders' ORDER BY m.seq")) {
                List<String> stored = new ArrayList<>();
                long expected = 1;
                while (rows.next()) {
                    assertEquals(expected++, rows.getLong(1));
                    stored.add(new String(rows.getBytes(2), StandardCharsets.UTF_8));
                }
                assertEquals(sent, stored, "the rows of channel orders in " + database);
            }

            // A new stack on the same pool's database delivers all of them from the first.
            StackProcess second = StackProcess.start(arguments, environment);
            try (Connection nc = Nats.connect(url)) {
                ConnectResponse session = connect(nc, "stack-sql-reader");
                String inbox = nc.createInbox();
                Subscription deliveries = nc.subscribe(inbox);
                nc.flush(Duration.ofSeconds(5));
                SubscriptionRequest subscribe = SubscriptionRequest.newBuilder().setClientID("stack-sql-reader")
                        .setSubject("orders").setInbox(inbox).setMaxInFlight(1024).setAckWaitInSecs(30)
                        .setStartPosition(StartPosition.First).build();
                SubscriptionResponse subscribed = SubscriptionResponse.parseFrom(
                        nc.request(session.getSubRequests(), subscribe.toByteArray(), Duration.ofSeconds(10)).getData());
                assertEquals("", subscribed.getError());
                List<String> received = new ArrayList<>();
                for (int i = 0; i < MESSAGES; i++) {
                    Message delivered = deliveries.nextMessage(Duration.ofSeconds(10));
                    assertNotNull(delivered, "message " + (i + 1) + " of " + MESSAGES + " was not delivered");
                    MsgProto message = MsgProto.parseFrom(delivered.getData());
                    assertEquals(i + 1, message.getSequence());
                    received.add(message.getData().toStringUtf8());
                    nc.publish(subscribed.getAckInbox(), Ack.newBuilder().setSubject("orders")
                            .setSequence(message.getSequence()).build().toByteArray());
                }
                assertEquals(sent, received);
                close(nc, session, "stack-sql-reader");
            } finally {
                assertEquals(0, second.stop(), "the second stack stopped cleanly");
            }
            assertNoSevere(second);
        } finally {
            try (java.sql.Connection admin = DriverManager.getConnection(adminUrl, user, password); Statement statement = admin.createStatement()) {
                statement.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            }
        }
    }

    /** Connects a streaming client (its heartbeats answered) and returns the server's subjects. */
    private static ConnectResponse connect(Connection nc, String clientId) throws Exception {
        String heartbeats = nc.createInbox();
        nc.createDispatcher(beat -> nc.publish(beat.getReplyTo(), new byte[0])).subscribe(heartbeats);
        ConnectRequest request = ConnectRequest.newBuilder().setClientID(clientId).setHeartbeatInbox(heartbeats)
                .setProtocol(1).setConnID(ByteString.copyFromUtf8("conn-" + clientId)).setPingInterval(5).setPingMaxOut(3).build();
        Message reply = nc.request("_STAN.discover." + CLUSTER_ID, request.toByteArray(), Duration.ofSeconds(10));
        assertNotNull(reply, "the streaming server answered the connect");
        ConnectResponse response = ConnectResponse.parseFrom(reply.getData());
        assertEquals("", response.getError());
        return response;
    }

    private static void close(Connection nc, ConnectResponse session, String clientId) throws Exception {
        Message closed = nc.request(session.getCloseRequests(), CloseRequest.newBuilder().setClientID(clientId).build().toByteArray(),
                Duration.ofSeconds(10));
        assertEquals("", CloseResponse.parseFrom(closed.getData()).getError());
    }

    /** Payara logged nothing SEVERE (such as a pool connection enlisted in a container transaction it cannot commit). */
    private static void assertNoSevere(StackProcess stack) {
        String output = stack.output();
        int severe = output.indexOf("[SEVERE]");
        assertTrue(severe < 0, "Payara logged: " + (severe < 0 ? "" : output.substring(severe, Math.min(output.length(), severe + 600))));
    }

    private static String get(HttpClient http, String url) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), url + ": " + response.body());
        return response.body();
    }

    private static String setting(String property, String variable, String fallback) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            value = System.getenv(variable);
        }
        return value == null || value.isBlank() ? fallback : value;
    }
}
