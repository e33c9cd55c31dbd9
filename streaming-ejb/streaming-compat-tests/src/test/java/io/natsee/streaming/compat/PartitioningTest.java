package io.natsee.streaming.compat;

import io.nats.streaming.Message;
import io.nats.streaming.NatsStreaming;
import io.nats.streaming.Options;
import io.nats.streaming.StreamingConnection;
import io.nats.streaming.SubscriptionOptions;
import org.junit.jupiter.api.Assumptions;
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
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Partitioning ({@code partitioning: true} with {@code store_limits.channels}): two streaming servers with one
 * cluster id behind Debian's nats-server own disjoint channels; a Java streaming client publishes to and subscribes
 * on both; a channel nobody owns is not answered; a third server whose list overlaps is refused at start.
 */
class PartitioningTest {
    static final String CLUSTER = "part-cluster";

    @TempDir
    Path dir;

    @Test
    void twoServersOwnDisjointChannelsAndAnOverlapIsRefused() throws Exception {
        int natsPort = ServerProcess.freePort();
        try (ServerProcess nats = ServerProcess.natsServer(natsPort)) {
            Assumptions.assumeTrue(nats != null, "Debian's nats-server is not installed");
            String url = "nats://127.0.0.1:" + natsPort;
            try (ServerProcess orders = server(url, "orders", "\"orders.*\": {}, \"audit\": {max_msgs: 5}");
                 ServerProcess billing = server(url, "billing", "\"billing.>\": {}")) {
                Options options = new Options.Builder().natsUrl(url).connectWait(Duration.ofSeconds(10))
                        .pubAckWait(Duration.ofSeconds(2)).build();
                try (StreamingConnection connection = NatsStreaming.connect(CLUSTER, "part-client", options)) {
                    connection.publish("orders.new", "o1".getBytes(StandardCharsets.UTF_8));
                    connection.publish("billing.eu.invoice", "b1".getBytes(StandardCharsets.UTF_8));
                    connection.publish("audit", "a1".getBytes(StandardCharsets.UTF_8));
                    List<String> got = new CopyOnWriteArrayList<>();
                    SubscriptionOptions all = new SubscriptionOptions.Builder().deliverAllAvailable().build();
                    connection.subscribe("orders.new", (Message m) -> got.add(text(m)), all);
                    connection.subscribe("billing.eu.invoice", (Message m) -> got.add(text(m)), all);
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                    while (got.size() < 2 && System.nanoTime() < deadline) {
                        Thread.sleep(20);
                    }
                    assertEquals(List.of("b1", "o1"), got.stream().sorted().toList());
                    // Nobody owns "other": no server answers, the client's ack wait runs out.
                    Exception refused = assertThrows(Exception.class,
                            () -> connection.publish("other", "x".getBytes(StandardCharsets.UTF_8)));
                    assertTrue(String.valueOf(refused.getMessage()).contains("timeout"), refused.toString());
                }
                assertTrue(orders.printed("Streaming Server is ready") && billing.printed("Streaming Server is ready"));

                ServerProcess overlap = ServerProcess.startStreaming(args(url, "overlap", "\"orders.new\": {}"));
                assertEquals(1, overlap.awaitExit(30));
                assertTrue(overlap.printed("channel \"orders.new\" causes conflict with channels on server \""),
                        overlap.output().toString());
            }
            ServerProcess none = ServerProcess.startStreaming("-ns", url, "-cid", CLUSTER, "-sc",
                    config("none", "").toString());
            assertEquals(1, none.awaitExit(30));
            assertTrue(none.printed("stan: no configured channel"), none.output().toString());
        }
    }

    /**
     * Two streaming servers with overlapping lists start behind two separate nats-servers, so each start check finds
     * nobody; then one nats-server is given a route to the other (its configuration reloaded with SIGHUP). The
     * clients learn the new server, each streaming server sends its list again, and the overlap stops one of them
     * with the reference's fatal error.
     */
    @Test
    void anOverlapFoundAfterTheNatsClusterGrowsStopsAServer() throws Exception {
        int portA = ServerProcess.freePort();
        int portB = ServerProcess.freePort();
        int routeA = ServerProcess.freePort();
        int routeB = ServerProcess.freePort();
        Path configA = dir.resolve("nats-a.conf");
        Path configB = dir.resolve("nats-b.conf");
        Files.writeString(configA, "cluster { name: part, listen: 127.0.0.1:" + routeA + " }\n");
        Files.writeString(configB, "cluster { name: part, listen: 127.0.0.1:" + routeB + " }\n");
        try (ServerProcess natsA = ServerProcess.natsServer(portA, "-c", configA.toString());
             ServerProcess natsB = ServerProcess.natsServer(portB, "-c", configB.toString())) {
            Assumptions.assumeTrue(natsA != null && natsB != null, "Debian's nats-server is not installed");
            try (ServerProcess first = server("nats://127.0.0.1:" + portA, "first", "\"orders.*\": {}");
                 ServerProcess second = server("nats://127.0.0.1:" + portB, "second", "\"orders.new\": {}")) {
                Files.writeString(configB, "cluster { name: part, listen: 127.0.0.1:" + routeB
                        + ", routes: [\"nats-route://127.0.0.1:" + routeA + "\"] }\n");
                Process reload = new ProcessBuilder("kill", "-HUP", String.valueOf(natsB.pid())).start();
                assertEquals(0, reload.waitFor());
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (first.isAlive() && second.isAlive() && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                ServerProcess stopped = first.isAlive() ? second : first;
                assertTrue(!stopped.isAlive(), "one of the overlapping servers stopped: " + first.output() + "\n"
                        + second.output());
                assertEquals(1, stopped.awaitExit(5));
                assertTrue(stopped.printed("Partitioning error: channel \"orders.new\" causes conflict with channels"
                        + " on server \""), stopped.output().toString());
            }
        }
    }

    private static String text(Message message) {
        return new String(message.getData(), StandardCharsets.UTF_8);
    }

    private ServerProcess server(String url, String name, String channels) throws Exception {
        return ServerProcess.streaming(args(url, name, channels));
    }

    private String[] args(String url, String name, String channels) throws Exception {
        return new String[] {"-ns", url, "-cid", CLUSTER, "-sc", config(name, channels).toString()};
    }

    private Path config(String name, String channels) throws Exception {
        Path file = dir.resolve(name + ".conf");
        Files.writeString(file, "streaming {\n  partitioning: true\n  store_limits {\n    channels {" + channels
                + "}\n  }\n}\n", StandardCharsets.UTF_8);
        return file;
    }
}
