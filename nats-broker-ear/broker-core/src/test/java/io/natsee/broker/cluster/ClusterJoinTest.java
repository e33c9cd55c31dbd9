package io.natsee.broker.cluster;

import static io.natsee.broker.cluster.ClusterTestSupport.WAIT;
import static io.natsee.broker.cluster.ClusterTestSupport.awaitMesh;
import static io.natsee.broker.cluster.ClusterTestSupport.awaitRemoteInterest;
import static io.natsee.broker.cluster.ClusterTestSupport.clientUrl;
import static io.natsee.broker.cluster.ClusterTestSupport.closeAll;
import static io.natsee.broker.cluster.ClusterTestSupport.connect;
import static io.natsee.broker.cluster.ClusterTestSupport.routeUrl;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.natsee.broker.Broker;
import io.natsee.broker.monitor.Routez;
import io.natsee.broker.monitor.Varz;
import io.natsee.broker.support.Await;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Discovery at run time: a fourth server that knows one seed joins the whole mesh (and B→D,
 * C→D delivery proves the direct routes, since routed messages take one hop), clients learn it
 * by asynchronous INFO, /routez and /varz show the routes, and a jnats client fails over when its
 * server goes away.
 */
@Timeout(60)
class ClusterJoinTest {

    @Test
    void fourthServerJoinsThroughOneSeedAndClientsLearnIt() throws Exception {
        Broker a = null;
        Broker b = null;
        Broker c = null;
        Broker d = null;
        try {
            a = ClusterTestSupport.start("A", "join", List.of());
            b = ClusterTestSupport.start("B", "join", List.of(routeUrl(a)));
            c = ClusterTestSupport.start("C", "join", List.of(routeUrl(a)));
            awaitMesh(a, b, c);
            try (Connection watcher = connect(a); Connection onB = connect(b); Connection onC = connect(c)) {
                long joinStart = System.nanoTime();
                d = ClusterTestSupport.start("D", "join", List.of(routeUrl(b)));
                awaitMesh(a, b, c, d);
                long joinMillis = (System.nanoTime() - joinStart) / 1_000_000;
                System.out.println("ClusterJoinTest: a fourth server joined a three-server mesh in " + joinMillis + " ms");
                String dUrl = clientUrl(d);
                Await.until(WAIT, "jnats on A learns D by async INFO",
                        () -> watcher.getServers().stream().anyMatch(url -> url.endsWith(":" + dUrlPort(dUrl))));
                try (Connection onD = connect(d)) {
                    Subscription atD = onD.subscribe("join.d");
                    onD.flush(WAIT);
                    awaitRemoteInterest(b, "join.d", 1);
                    awaitRemoteInterest(c, "join.d", 1);
                    onB.publish("join.d", "b".getBytes(StandardCharsets.UTF_8));
                    onC.publish("join.d", "c".getBytes(StandardCharsets.UTF_8));
                    onB.flush(WAIT);
                    onC.flush(WAIT);
                    assertNotNull(atD.nextMessage(WAIT));
                    assertNotNull(atD.nextMessage(WAIT));
                    assertNull(atD.nextMessage(Duration.ofMillis(200)));
                }
                Routez routez = d.monitor().routez(key -> key.equals("subs") ? "1" : null);
                assertEquals(3, routez.numRoutes());
                assertEquals(d.server().serverId(), routez.serverId());
                Varz varz = d.monitor().varz();
                assertEquals(3, varz.routes());
                assertEquals("join", varz.cluster().name());
                assertEquals(d.routes().port(), varz.cluster().clusterPort());
                assertEquals(4, varz.connectUrls().size(), String.valueOf(varz.connectUrls()));
                Broker bRef = b;
                long fromB = routez.routes().stream().filter(r -> r.remoteId().equals(serverId(bRef)))
                        .mapToLong(Routez.Route::inMsgs).sum();
                assertTrue(fromB >= 1, "D counted the message from B on the route to B");
            }
        } finally {
            closeAll(d, c, b, a);
        }
    }

    @Test
    void jnatsFailsOverWhenItsServerGoesAway() throws Exception {
        Broker a = ClusterTestSupport.start("A", "failover", List.of());
        Broker b = ClusterTestSupport.start("B", "failover", List.of(routeUrl(a)));
        try {
            awaitMesh(a, b);
            AtomicInteger received = new AtomicInteger();
            try (Connection subscriber = connect(b);
                 Connection publisher = Nats.connect(new Options.Builder().server(clientUrl(a))
                         .connectionTimeout(WAIT).reconnectWait(Duration.ofMillis(50)).maxReconnects(-1).build())) {
                subscriber.createDispatcher(m -> received.incrementAndGet()).subscribe("failover.count");
                subscriber.flush(WAIT);
                awaitRemoteInterest(a, "failover.count", 1);
                Await.until(WAIT, "the publisher learns B", () -> publisher.getServers().size() >= 2);
                long stop = System.nanoTime();
                a.close();
                Await.until(WAIT, "the publisher reconnects to B", () -> publisher.getStatus() == Connection.Status.CONNECTED
                        && publisher.getConnectedUrl() != null && publisher.getConnectedUrl().endsWith(":" + b.port()));
                System.out.println("ClusterJoinTest: jnats failed over in " + (System.nanoTime() - stop) / 1_000_000 + " ms");
                int before = received.get();
                for (int i = 0; i < 500; i++) {
                    publisher.publish("failover.count", new byte[8]);
                }
                publisher.flush(WAIT);
                Await.until(WAIT, "every message after the reconnect", () -> received.get() - before >= 500);
                subscriber.flush(WAIT);
                assertEquals(500, received.get() - before, "nothing published after the reconnect is lost or doubled");
            }
        } finally {
            closeAll(b, a);
        }
    }

    private static String dUrlPort(String url) {
        return url.substring(url.lastIndexOf(':') + 1);
    }

    private static String serverId(Broker broker) {
        return broker.server().serverId();
    }
}
