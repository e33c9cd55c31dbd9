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
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The streaming server inside Payara Micro on the SQL store, served by a Payara JDBC connection
 * pool on PostgreSQL, as docs/streaming.md tells users to set it up: the pool and its resource
 * come from the user's post-boot commands ({@code --postboot}), the driver from {@code --addlibs},
 * and {@code streaming.store=SQL}, {@code streaming.sql_driver=postgres},
 * {@code streaming.sql_datasource} from system properties. Acknowledged publishes are rows of that
 * database, and a restarted stack delivers every one of them again from it.
 *
 * <p>PostgreSQL and the pool as {@link PoolDatabase} sets them up (a database of its own, dropped
 * afterwards; {@code -Dnatsee.pg.skip=true} skips the test).
 */
class StackSqlStoreIT {

    private static final String CLUSTER_ID = "test-cluster";
    private static final int MESSAGES = 300;

    @Test
    void theStreamingServerKeepsItsStoreInAPayaraPoolOnPostgresAndServesItAfterARestart() throws Exception {
        try (PoolDatabase database = PoolDatabase.create("natsee_stack_")) {
            Path work = Files.createTempDirectory("stack-sql-it");
            Path postboot = database.postboot(work, 8);
            Path driver = PoolDatabase.driver();
            int natsPort = StackProcess.freePort();
            int httpPort = StackProcess.freePort();
            List<String> arguments = List.of("-p", Integer.toString(natsPort), "--http-port", Integer.toString(httpPort),
                    "-m", "0", "--no-sample", "--postboot", postboot.toString(), "--addlibs", driver.toString());
            Map<String, String> environment = StackProcess.env(
                    "NATSEE_ADMIN_USERS", work.resolve("admin-users.txt").toString(),
                    "NATSEE_STACK_JAVA_OPTS", "-Dstreaming.store=SQL -Dstreaming.sql_driver=postgres"
                            + " -Dstreaming.sql_datasource=" + PoolDatabase.RESOURCE);
            String url = "nats://127.0.0.1:" + natsPort;
            HttpClient http = HttpClient.newHttpClient();

            List<String> sent = new ArrayList<>();
            StackProcess first = StackProcess.start(arguments, environment);
            try {
                String storez = get(http, "http://127.0.0.1:" + httpPort + "/streaming/storez");
                assertTrue(storez.contains("\"type\": \"SQL\""), storez);
                try (Connection nc = Nats.connect(url)) {
                    ConnectResponse session = StreamingSession.connect(nc, CLUSTER_ID, "stack-sql-publisher");
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
                    StreamingSession.close(nc, session, "stack-sql-publisher");
                }
            } finally {
                assertEquals(0, first.stop(), "the first stack stopped cleanly");
            }
            first.assertNoSevere("the first stack");

            // Every acknowledged message is a row of the pool's database, in order.
            try (java.sql.Connection db = database.connect();
                 Statement statement = db.createStatement();
                 ResultSet rows = statement.executeQuery("SELECT m.seq, m.data FROM natsee_messages m"
                         + " JOIN natsee_channels c ON c.id = m.channel_id WHERE c.name = 'orders' ORDER BY m.seq")) {
                List<String> stored = new ArrayList<>();
                long expected = 1;
                while (rows.next()) {
                    assertEquals(expected++, rows.getLong(1));
                    stored.add(new String(rows.getBytes(2), StandardCharsets.UTF_8));
                }
                assertEquals(sent, stored, "the rows of channel orders in " + database.name());
            }

            // A new stack on the same pool's database delivers all of them from the first.
            StackProcess second = StackProcess.start(arguments, environment);
            try (Connection nc = Nats.connect(url)) {
                ConnectResponse session = StreamingSession.connect(nc, CLUSTER_ID, "stack-sql-reader");
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
                StreamingSession.close(nc, session, "stack-sql-reader");
            } finally {
                assertEquals(0, second.stop(), "the second stack stopped cleanly");
            }
            second.assertNoSevere("the second stack");
        }
    }

    private static String get(HttpClient http, String url) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), url + ": " + response.body());
        return response.body();
    }
}
