package io.natsee.it.ra;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Subscription;
import io.natsee.it.Deployments;
import io.natsee.it.ItNats;
import io.natsee.it.ItStreaming;
import io.natsee.it.ra.app.DurableStreamingMdb;
import io.natsee.it.ra.app.Factories;
import io.natsee.ra.streaming.StreamingClient;
import io.natsee.ra.streaming.StreamingClientOptions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.Timer;
import java.util.concurrent.ForkJoinPool;
import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A durable streaming MDB across a restart of the container: the Payara Micro instance is
 * stopped (undeploy) while messages are published, started again (deploy), and the bean resumes
 * where it acknowledged, with no message lost.
 */
@ExtendWith(ArquillianExtension.class)
class DurableStreamingMdbIT {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String DEPLOYMENT = "durable-streaming";

    static {
        ItStreaming.start();
    }

    @Deployment(name = DEPLOYMENT, managed = false, testable = false)
    static WebArchive deployment() {
        return Deployments.war("durable", Factories.class, DurableStreamingMdb.class);
    }

    @ArquillianResource
    Deployer deployer;

    private static void awaitReports(Subscription seen, Set<String> into, Set<String> expected) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!into.containsAll(expected)) {
            assertTrue(System.nanoTime() < deadline, "reports so far: " + into + "; server: "
                    + ItStreaming.describe("it.streaming.durable"));
            Message report = seen.nextMessage(Duration.ofSeconds(1));
            if (report != null) {
                into.add(new String(report.getData(), StandardCharsets.UTF_8));
            }
        }
    }

    /** Waits until no Payara Micro process started by this JVM is alive. */
    private static void awaitContainerGone() throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (ProcessHandle.current().descendants().anyMatch(process -> process.isAlive()
                && process.info().commandLine().map(line -> line.contains("payara-micro")).orElse(false))) {
            assertTrue(System.nanoTime() < deadline, "the container did not stop");
            Thread.sleep(200);
        }
    }

    private static Set<String> range(int from, int to) {
        Set<String> names = new HashSet<>();
        for (int i = from; i <= to; i++) {
            names.add("d" + i);
        }
        return names;
    }

    @Test
    void aDurableBeanResumesAfterTheContainerRestartedWithNoLoss() throws Exception {
        Timer timer = new Timer(true);
        try (Connection client = ItNats.connect()) {
            Subscription seen = client.subscribe("seen.streaming.durable");
            client.flush(Duration.ofSeconds(5));
            StreamingClient publisher = StreamingClient.connect(client,
                    StreamingClientOptions.of(ItStreaming.CLUSTER_ID, "it-durable-publisher"), timer, ForkJoinPool.commonPool());
            for (int i = 1; i <= 5; i++) {
                publisher.publish("it.streaming.durable", ("d" + i).getBytes(StandardCharsets.UTF_8));
            }

            deployer.deploy(DEPLOYMENT);
            Set<String> before = new HashSet<>();
            awaitReports(seen, before, range(1, 5));
            Thread.sleep(3_000); // lets the last acknowledgement go out before the container stops
            deployer.undeploy(DEPLOYMENT);

            awaitContainerGone(); // undeploy signals the process; it may still be delivering for a moment
            Message straggler;
            while ((straggler = seen.nextMessage(Duration.ofMillis(200))) != null) {
                before.add(new String(straggler.getData(), StandardCharsets.UTF_8));
            }
            for (int i = 6; i <= 10; i++) {
                publisher.publish("it.streaming.durable", ("d" + i).getBytes(StandardCharsets.UTF_8));
            }
            assertTrue(seen.nextMessage(Duration.ofSeconds(2)) == null, "a report came while no container ran");

            deployer.deploy(DEPLOYMENT);
            Set<String> after = new HashSet<>();
            awaitReports(seen, after, range(6, 10));
            deployer.undeploy(DEPLOYMENT);
            // Resumed, not started over: the durable's startPosition=all would have replayed d1..d4.
            assertTrue(range(5, 10).containsAll(after), "after the restart: " + after);
            publisher.close();
        } finally {
            timer.cancel();
        }
    }
}
