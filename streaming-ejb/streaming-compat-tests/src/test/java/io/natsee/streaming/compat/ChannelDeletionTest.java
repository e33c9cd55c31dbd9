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
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The operator's delete-channel action ({@code POST /streaming/channelsz/delete}, ours: the reference has none) on
 * the launcher's monitoring port: who may use it, and what a deletion does to the channel, its messages and the
 * subscriptions still on it, seen by the Java streaming client and the monitoring endpoints.
 */
class ChannelDeletionTest {
    static final String CLUSTER = "deletion-cluster";
    static final String TOKEN = "deletion-token";
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    static ServerProcess server;
    static Monitor monitor;
    static int httpPort;
    static String url;

    @BeforeAll
    static void start() throws Exception {
        int port = ServerProcess.freePort();
        httpPort = ServerProcess.freePort();
        server = ServerProcess.streaming(Map.of("NATSEE_ADMIN_TOKEN", TOKEN), "-a", "127.0.0.1",
                "-p", String.valueOf(port), "-m", String.valueOf(httpPort), "-cid", CLUSTER);
        url = "nats://127.0.0.1:" + port;
        monitor = new Monitor(httpPort);
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

    static HttpResponse<String> send(int port, String method, String query, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/streaming/channelsz/delete" + query)).timeout(Duration.ofSeconds(5))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void onlyAPostWithTheTokenNamingAnExistingChannelDeletes() throws Exception {
        try (StreamingConnection connection = connect("guarded")) {
            connection.publish("guarded", new byte[1]);
            assertEquals(401, send(httpPort, "POST", "?channel=guarded", null).statusCode());
            assertEquals(401, send(httpPort, "POST", "?channel=guarded", "Bearer wrong").statusCode());
            assertEquals(401, send(httpPort, "POST", "?channel=guarded", TOKEN).statusCode());
            HttpResponse<String> get = send(httpPort, "GET", "?channel=guarded", "Bearer " + TOKEN);
            assertEquals(405, get.statusCode());
            assertEquals("POST", get.headers().firstValue("Allow").orElse(null));
            assertEquals(400, send(httpPort, "POST", "", "Bearer " + TOKEN).statusCode());
            HttpResponse<String> unknown = send(httpPort, "POST", "?channel=nope", "Bearer " + TOKEN);
            assertEquals(404, unknown.statusCode());
            assertEquals("Channel nope not found", unknown.body());
            assertEquals(200, monitor.get("/streaming/channelsz?channel=guarded").status(), "refusals delete nothing");
        }
    }

    @Test
    void aDeletedChannelLosesItsMessagesAndSubscriptionsAndStartsAnewOnTheNextPublish() throws Exception {
        try (StreamingConnection connection = connect("deleter")) {
            for (int i = 0; i < 3; i++) {
                connection.publish("doomed", new byte[] {(byte) i});
            }
            connection.publish("kept", new byte[1]);
            BlockingQueue<Message> plain = new LinkedBlockingQueue<>();
            Subscription plainSubscription = connection.subscribe("doomed", plain::add,
                    new SubscriptionOptions.Builder().deliverAllAvailable().build());
            connection.subscribe("doomed", m -> { },
                    new SubscriptionOptions.Builder().durableName("dur").deliverAllAvailable().build());
            connection.subscribe("doomed", "workers", m -> { }, new SubscriptionOptions.Builder().build());
            for (int i = 0; i < 3; i++) {
                assertNotNull(plain.poll(5, TimeUnit.SECONDS), "message " + i + " before the deletion");
            }
            assertEquals(3, monitor.get("/streaming/clientsz?client=deleter&subs=1").number("subs_count"));

            HttpResponse<String> deleted = send(httpPort, "POST", "?channel=doomed", "Bearer " + TOKEN);
            assertEquals(200, deleted.statusCode(), deleted.body());
            assertEquals("{\"deleted\":\"doomed\",\"subscriptions\":3}", deleted.body());

            Monitor.Answer gone = monitor.get("/streaming/channelsz?channel=doomed");
            assertEquals(404, gone.status());
            assertEquals("Channel doomed not found", gone.body());
            assertEquals(200, monitor.get("/streaming/channelsz?channel=kept").status(), "other channels stay");
            assertEquals(0, monitor.get("/streaming/clientsz?client=deleter&subs=1").number("subs_count"),
                    "the client's subscriptions on the channel ended");
            assertEquals(0, monitor.get("/streaming/serverz").number("subscriptions"));
            assertTrue(server.printed("Channel \"doomed\" has been deleted by an operator (3 subscriptions ended)"),
                    String.join("\n", server.output()));

            connection.publish("doomed", new byte[] {9});
            assertNull(plain.poll(500, TimeUnit.MILLISECONDS), "an ended subscription receives nothing more");
            Monitor.Answer anew = monitor.get("/streaming/channelsz?channel=doomed");
            assertEquals(200, anew.status());
            assertEquals(1, anew.number("first_seq"));
            assertEquals(1, anew.number("last_seq"));
            assertEquals(1, anew.number("msgs"));
            IOException invalid = assertThrows(IOException.class, plainSubscription::unsubscribe);
            assertTrue(invalid.getMessage().contains("stan: invalid subscription"), invalid.getMessage());
        }
    }

    @Test
    void withoutATokenTheActionIsNotServed() throws Exception {
        int port = ServerProcess.freePort();
        int http = ServerProcess.freePort();
        try (ServerProcess plain = ServerProcess.streaming("-a", "127.0.0.1", "-p", String.valueOf(port),
                "-m", String.valueOf(http), "-cid", CLUSTER)) {
            HttpResponse<String> answer = send(http, "POST", "?channel=x", "Bearer " + TOKEN);
            assertEquals(404, answer.statusCode());
            assertEquals("404 page not found\n", answer.body());
        }
    }
}
