package io.natsee.broker.cluster;

import static io.natsee.broker.cluster.ClusterTestSupport.WAIT;
import static io.natsee.broker.cluster.ClusterTestSupport.awaitMesh;
import static io.natsee.broker.cluster.ClusterTestSupport.awaitRemoteInterest;
import static io.natsee.broker.cluster.ClusterTestSupport.closeAll;
import static io.natsee.broker.cluster.ClusterTestSupport.connect;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.natsee.broker.Broker;
import io.natsee.broker.BrokerOptions;
import io.natsee.broker.support.Await;
import io.natsee.broker.support.TraceCapture;
import io.nats.client.Connection;
import io.nats.client.Subscription;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The protocol trace ({@code -V}) of routes, in the form nats-server 2.9.10 writes it (recorded
 * from two Debian nats-server processes with {@code -V}): {@code <<- [CONNECT ...]} with the
 * password redacted, {@code ->>}/{@code <<- [RS+ $G subject]}, {@code [RS+ $G subject queue
 * weight]}, {@code [RMSG $G subject size]}, {@code [RMSG $G subject | queue size]},
 * {@code <<- MSG_PAYLOAD: ["..."]} and {@code [RS- ...]}; INFO is not traced.
 */
@Timeout(60)
class RouteTraceTest {

    @Test
    void routesAreTracedAsNatsServerTracesThem() throws Exception {
        TraceCapture capture = TraceCapture.start();
        List<String> traced = capture.lines();
        Broker a = null;
        Broker b = null;
        Connection onA = null;
        Connection onB = null;
        try {
            a = start("A", List.of());
            b = start("B", List.of(URI.create("nats-route://127.0.0.1:" + a.routes().port())));
            awaitMesh(a, b);
            onA = connect(a);
            onB = connect(b);
            Subscription plain = onB.subscribe("foo.bar");
            Subscription queued = onB.subscribe("q.x", "g");
            onB.flush(WAIT);
            awaitRemoteInterest(a, "foo.bar", 1);
            awaitRemoteInterest(a, "q.x", 1);
            onA.publish("foo.bar", "hi".getBytes(StandardCharsets.US_ASCII));
            onA.publish("q.x", "z".getBytes(StandardCharsets.US_ASCII));
            onA.flush(WAIT);
            assertTrue(plain.nextMessage(WAIT) != null && queued.nextMessage(WAIT) != null, "delivered across the route");
            plain.unsubscribe();
            queued.unsubscribe();
            onB.flush(WAIT);

            awaitLine(traced, "<<- [RS- $G q.x g]");
            for (String line : List.of("<<- [RS+ $G foo.bar]", "<<- [RS+ $G q.x g 1]", "->> [RS+ $G foo.bar]",
                    "->> [RS+ $G q.x g 1]", "->> [RMSG $G foo.bar 2]", "->> [RMSG $G q.x | g 1]",
                    "<<- [RMSG $G foo.bar 2]", "<<- MSG_PAYLOAD: [\"hi\"]", "<<- [RMSG $G q.x | g 1]",
                    "<<- MSG_PAYLOAD: [\"z\"]", "->> [RS- $G foo.bar]", "<<- [RS- $G foo.bar]", "->> [RS- $G q.x g]")) {
                awaitLine(traced, line);
            }
            String connect = traced.stream().filter(line -> line.contains("rid:") && line.contains("<<- [CONNECT {"))
                    .findFirst().orElseThrow(() -> new AssertionError("no route CONNECT traced: " + traced));
            assertTrue(connect.contains("\"pass\":\"[REDACTED]\""), connect);
            assertFalse(traced.stream().anyMatch(line -> line.contains("rpass")), "the route password is never traced");
            assertFalse(traced.stream().anyMatch(line -> line.contains("rid:") && line.contains("[INFO")), "INFO is not traced");
        } finally {
            closeAll(onA, onB, b, a, capture);
        }
    }

    private static Broker start(String name, List<URI> routes) throws Exception {
        Broker broker = new Broker(BrokerOptions.builder()
                .host("127.0.0.1")
                .port(-1)
                .serverName(name)
                .trace(true)
                .cluster(new ClusterOptions("traced", "127.0.0.1", ClusterOptions.RANDOM_PORT, routes, "ruser", "rpass",
                        null, null, null, false, 0))
                .build());
        broker.start();
        return broker;
    }

    /** Waits for a route's trace line ending in {@code text}. */
    private static void awaitLine(List<String> traced, String text) {
        Await.until(WAIT, "a route trace line " + text,
                () -> traced.stream().anyMatch(line -> line.contains("rid:") && line.endsWith(" - " + text)));
    }
}
