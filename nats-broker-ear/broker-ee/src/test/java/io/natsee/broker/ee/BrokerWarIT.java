package io.natsee.broker.ee;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.ErrorListener;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The broker WAR, as built, inside Payara Micro 6.2025.10: plain jnats clients publish,
 * subscribe and send requests; undeploying closes the clients cleanly and frees the client port;
 * deploying again serves on the same port. (This container adapter runs one Payara Micro process
 * per deployment, so undeploy stops that process; the in-process restart with thread and port
 * release is BrokerConfigurationTest#startedAndStoppedTwiceOnTheGivenThreadsWithNothingLeft.)
 */
@ExtendWith(ArquillianExtension.class)
class BrokerWarIT {

    private static final int PORT = Integer.getInteger("it.broker.port", 4222);
    private static final int MONITOR_PORT = Integer.getInteger("it.monitor.port", 8222);
    private static final int HTTP_PORT = Integer.getInteger("it.http.port", 8080);

    @ArquillianResource
    Deployer deployer;

    @Deployment(name = "broker", managed = false, testable = false)
    static WebArchive broker() {
        return ShrinkWrap.createFromZipFile(WebArchive.class, new File(System.getProperty("it.war", "target/natsee-broker.war")));
    }

    @Test
    void clientsUseTheDeployedBrokerAndSeeACleanCloseOnUndeployThenItServesAgain() throws Exception {
        for (int round = 1; round <= 2; round++) {
            deployer.deploy("broker");
            CountDownLatch closed = new CountDownLatch(1);
            AtomicInteger errors = new AtomicInteger();
            Options options = new Options.Builder().server("nats://127.0.0.1:" + PORT).noReconnect()
                    .connectionListener((connection, event) -> {
                        if (event == ConnectionListener.Events.CLOSED) {
                            closed.countDown();
                        }
                    })
                    .errorListener(new ErrorListener() {
                        @Override
                        public void errorOccurred(Connection conn, String error) {
                            errors.incrementAndGet();
                        }
                    }).build();
            Connection nc = Nats.connect(options);
            try {
                Subscription sub = nc.subscribe("it.>");
                for (int i = 0; i < 100; i++) {
                    nc.publish("it.n", Integer.toString(i).getBytes(StandardCharsets.UTF_8));
                }
                for (int i = 0; i < 100; i++) {
                    Message got = sub.nextMessage(Duration.ofSeconds(5));
                    assertNotNull(got, "message " + i);
                    assertEquals(Integer.toString(i), new String(got.getData(), StandardCharsets.UTF_8));
                }
                try (Connection responder = Nats.connect("nats://127.0.0.1:" + PORT)) {
                    responder.createDispatcher(msg -> responder.publish(msg.getReplyTo(),
                            ("hello, " + new String(msg.getData(), StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8)))
                            .subscribe("it.greet", "greeters");
                    responder.flush(Duration.ofSeconds(2));
                    Message reply = nc.request("it.greet", ("round " + round).getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(5));
                    assertEquals("hello, round " + round, new String(reply.getData(), StandardCharsets.UTF_8));
                }
                if (round == 1) {
                    monitoringPortAndMicroProfileAnswer(nc);
                }

                deployer.undeploy("broker");
                assertTrue(closed.await(30, TimeUnit.SECONDS), "the client saw its connection closed");
                assertEquals(0, errors.get(), "no -ERR before the close");
                assertFalse(accepts(PORT), "client port still open after undeploy");
                assertFalse(accepts(MONITOR_PORT), "monitoring port still open after undeploy");
            } finally {
                nc.close();
            }
        }
    }

    /**
     * nats-server's monitoring port, served by the broker itself, counts what the clients did;
     * the container's MicroProfile Health and Metrics endpoints report the broker.
     */
    private static void monitoringPortAndMicroProfileAnswer(Connection nc) throws Exception {
        nc.flush(Duration.ofSeconds(2));
        HttpClient http = HttpClient.newHttpClient();
        String monitor = "http://127.0.0.1:" + MONITOR_PORT;
        HttpResponse<String> connz = get(http, monitor + "/connz?subs=1");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!connz.body().contains("\"num_connections\": 1,") && System.nanoTime() < deadline) {
            Thread.sleep(50);   // the responder's close reaches the broker
            connz = get(http, monitor + "/connz?subs=1");
        }
        assertEquals(200, connz.statusCode());
        assertTrue(connz.body().contains("\"num_connections\": 1,"), connz.body());
        assertTrue(connz.body().contains("\"it.\\u003e\""), "Go's encoder escapes '>': " + connz.body());
        HttpResponse<String> varz = get(http, monitor + "/varz");
        assertEquals(200, varz.statusCode());
        assertTrue(varz.body().contains("\"port\": " + PORT + ","), varz.body());
        assertTrue(varz.body().contains("\"http_port\": " + MONITOR_PORT + ","), varz.body());
        assertTrue(varz.body().contains("\"in_msgs\": 102,"), "100 publishes, a request and its reply: " + varz.body());
        assertEquals("{\"status\":\"ok\"}", get(http, monitor + "/healthz").body());
        assertTrue(get(http, monitor + "/metrics").body().contains("gnatsd_varz_in_msgs"));
        // The JAX-RS paths stay for the container's users.
        HttpResponse<String> jaxrs = get(http, "http://127.0.0.1:" + HTTP_PORT + "/natsee-broker/varz");
        assertEquals(200, jaxrs.statusCode(), jaxrs.body());
        // connz, subsz, routez and accountz there too, from the same data methods as the port.
        String resource = "http://127.0.0.1:" + HTTP_PORT + "/natsee-broker";
        HttpResponse<String> connzThere = get(http, resource + "/connz?subs=1");
        assertEquals(200, connzThere.statusCode(), connzThere.body());
        assertTrue(connzThere.body().contains("\"num_connections\": 1,"), connzThere.body());
        assertTrue(connzThere.body().contains("\"it.\\u003e\""), connzThere.body());
        for (String path : List.of("/subsz", "/subscriptionsz?subs=1", "/routez", "/accountz", "/connz?sort=bogus",
                "/subsz?offset=x")) {
            HttpResponse<String> port = get(http, monitor + path);
            HttpResponse<String> there = get(http, resource + path);
            assertEquals(port.statusCode(), there.statusCode(), path + ": " + there.body());
            assertEquals(withoutNow(port.body()), withoutNow(there.body()), path);
        }

        String container = "http://127.0.0.1:" + HTTP_PORT;
        HttpResponse<String> live = get(http, container + "/health/live");
        assertEquals(200, live.statusCode(), live.body());
        assertTrue(live.body().contains("\"nats-broker\""), live.body());
        HttpResponse<String> ready = get(http, container + "/health/ready");
        assertEquals(200, ready.statusCode(), ready.body());
        assertTrue(ready.body().contains("\"nats-broker\""), ready.body());
        HttpResponse<String> metrics = get(http, container + "/metrics");
        assertEquals(200, metrics.statusCode(), metrics.body());
        assertTrue(metrics.body().matches("(?s).*nats_broker_in_msgs\\{[^}]*mp_scope=\"application\"[^}]*\\} 102(\\.0)?\\n.*"), metrics.body());
        assertTrue(metrics.body().matches("(?s).*nats_broker_connections\\{[^}]*\\} 1(\\.0)?\\n.*"), metrics.body());
    }

    /** The body without its {@code "now"} line, the one field that differs between two requests. */
    private static String withoutNow(String body) {
        return body.replaceAll("(?m)^\\s*\"now\": .*\n", "");
    }

    private static HttpResponse<String> get(HttpClient http, String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
