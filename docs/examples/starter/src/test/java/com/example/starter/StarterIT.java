package com.example.starter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Subscription;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.EmptyAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The starter in Payara Micro with nats-ra.rar: the REST resource publishes and requests through
 * the pooled factory, the message listener receives, the request listener answers a plain jnats
 * client.
 */
@ExtendWith(ArquillianExtension.class)
class StarterIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    static {
        TestNats.start();
    }

    @Deployment(testable = false)
    static WebArchive deployment() {
        return ShrinkWrap.create(WebArchive.class, "starter.war")
                .addClasses(StarterApplication.class, OrderResource.class, OrderLog.class, OrderCreatedListener.class, PriceService.class)
                .addAsWebInfResource(EmptyAsset.INSTANCE, "beans.xml");
    }

    @ArquillianResource
    URL base;

    private final HttpClient http = HttpClient.newHttpClient();

    /**
     * {@code path} under the application: the server of the injected URL and the context root of starter.war. Payara
     * Micro's Arquillian container now and then injects the server's root without the context root (seen in a CI run:
     * {@code http://localhost:8233}), so the context root is not taken from it.
     */
    private URI uri(String path) {
        return URI.create(base.getProtocol() + "://" + base.getHost() + ":" + base.getPort() + "/starter/" + path);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Polls {@code condition} every 100 ms until it holds or {@link #WAIT} passes. */
    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(100);
        }
    }

    @Test
    void aPostedOrderIsPublishedAndReceivedByTheMessageListener() throws Exception {
        try (Connection client = Nats.connect(TestNats.url())) {
            Subscription observer = client.subscribe("orders.created");
            client.flush(Duration.ofSeconds(5));
            // The listener's activation may still be connecting: post until it has received one.
            String[] listed = {""};
            await("the listener to receive a posted order", () -> {
                try {
                    HttpResponse<String> posted = http.send(HttpRequest.newBuilder(uri("api/orders"))
                            .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("two apples")).build(),
                            HttpResponse.BodyHandlers.ofString());
                    assertEquals(202, posted.statusCode(), posted.body());
                    listed[0] = get("api/orders").body();
                    return listed[0].contains("orders.created: two apples");
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            Message seen = observer.nextMessage(Duration.ofSeconds(5));
            assertNotNull(seen, "a plain client sees the publish too");
            assertEquals("two apples", new String(seen.getData(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void theRequestListenerAnswersAPlainClientAndTheResource() throws Exception {
        try (Connection client = Nats.connect(TestNats.url())) {
            Message[] reply = {null};
            await("the request listener to answer", () -> {
                try {
                    reply[0] = client.request("prices.lookup", "pear".getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(2));
                } catch (Exception noRespondersYet) {
                    reply[0] = null;
                }
                return reply[0] != null;
            });
            String answer = new String(reply[0].getData(), StandardCharsets.UTF_8);
            assertTrue(answer.startsWith("pear costs "), answer);
            HttpResponse<String> viaResource = get("api/orders/price/pear");
            assertEquals(200, viaResource.statusCode(), viaResource.body());
            assertEquals(answer, viaResource.body(), "the same answer through the pooled factory");
        }
    }
}
