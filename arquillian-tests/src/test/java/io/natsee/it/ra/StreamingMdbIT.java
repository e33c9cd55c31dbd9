package io.natsee.it.ra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Subscription;
import io.natsee.it.Deployments;
import io.natsee.it.Http;
import io.natsee.it.ItNats;
import io.natsee.it.ItStreaming;
import io.natsee.it.ra.app.Factories;
import io.natsee.it.ra.app.FlakyStreamingMdb;
import io.natsee.it.ra.app.StreamingServlet;
import io.natsee.ra.streaming.StreamingClient;
import io.natsee.ra.streaming.StreamingClientOptions;
import io.natsee.ra.streaming.SubscriptionOptions;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Timer;
import java.util.concurrent.ForkJoinPool;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Streaming inside Payara Micro: a streaming MDB that fails on every first delivery gets each
 * message again after the ack wait, flagged redelivered; a servlet publishes with
 * acknowledgement through the adapter's outbound connection, synchronously and asynchronously.
 */
@ExtendWith(ArquillianExtension.class)
class StreamingMdbIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    static {
        ItStreaming.start();
    }

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.war("streaming", Factories.class, FlakyStreamingMdb.class, StreamingServlet.class);
    }

    @ArquillianResource
    URL base;

    @Test
    void everyMessageIsProcessedAtLeastOnceAcrossABeanFailure() throws Exception {
        try (Connection client = ItNats.connect()) {
            Subscription seen = client.subscribe("seen.streaming.flaky");
            client.flush(Duration.ofSeconds(5));
            assertEquals("5", Http.get(base, "streaming", Map.of("channel", "it.streaming.flaky", "prefix", "f", "count", "5",
                    "mode", "sync")));
            Set<String> reports = new HashSet<>();
            Set<String> expected = new HashSet<>();
            for (int i = 1; i <= 5; i++) {
                expected.add("f" + i + ":false:failed");
                expected.add("f" + i + ":true:ok");
            }
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (!reports.containsAll(expected)) {
                assertTrue(System.nanoTime() < deadline, "reports so far: " + reports);
                Message report = seen.nextMessage(Duration.ofSeconds(1));
                if (report != null) {
                    reports.add(new String(report.getData(), StandardCharsets.UTF_8));
                }
            }
            // Acknowledged once processed: nothing comes back after a few more ack waits.
            List<String> late = new ArrayList<>();
            Message report;
            while ((report = seen.nextMessage(Duration.ofSeconds(4))) != null) {
                late.add(new String(report.getData(), StandardCharsets.UTF_8));
            }
            assertTrue(late.stream().noneMatch(text -> text.endsWith(":ok")), "processed twice: " + late);
        }
    }

    @Test
    void aServletPublishesWithAcknowledgementAsynchronously() throws Exception {
        Timer timer = new Timer(true);
        try (Connection connection = ItNats.connect()) {
            StreamingClient observer = StreamingClient.connect(connection,
                    StreamingClientOptions.of(ItStreaming.CLUSTER_ID, "it-async-observer"), timer, ForkJoinPool.commonPool());
            List<String> received = Collections.synchronizedList(new ArrayList<>());
            observer.subscribe(SubscriptionOptions.newOnly("it.streaming.async")
                    .startingAt(SubscriptionOptions.StartPosition.ALL, 0, null, null), message -> {
                        received.add(new String(message.data(), StandardCharsets.UTF_8));
                        message.ack();
                    });
            assertEquals("200", Http.get(base, "streaming", Map.of("channel", "it.streaming.async", "prefix", "a", "count", "200",
                    "mode", "async")));
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (received.size() < 200) {
                assertTrue(System.nanoTime() < deadline, "received " + received.size() + " of 200");
                Thread.sleep(50);
            }
            List<String> expected = new ArrayList<>();
            for (int i = 1; i <= 200; i++) {
                expected.add("a" + i);
            }
            assertEquals(expected, received);
            assertNotNull(observer.clientId());
            observer.close();
        } finally {
            timer.cancel();
        }
    }
}
