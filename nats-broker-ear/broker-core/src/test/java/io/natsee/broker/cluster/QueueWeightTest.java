package io.natsee.broker.cluster;

import static io.natsee.broker.cluster.ClusterTestSupport.WAIT;
import static io.natsee.broker.cluster.ClusterTestSupport.closeAll;
import static io.natsee.broker.cluster.ClusterTestSupport.connect;
import static io.natsee.broker.cluster.ClusterTestSupport.routeUrl;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.natsee.broker.Broker;
import io.natsee.broker.support.Await;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Queue weights received in RS+: a server with no local member of a group sends each message to
 * one route, in proportion to the members behind it, as nats-server 2.9.10 does (it counts a
 * remote queue subscription weight times). With three members on b and one on c, about three
 * quarters of a's messages go to b; with equal weights it would be half.
 */
@Timeout(60)
class QueueWeightTest {

    private static final int MESSAGES = 800;

    @Test
    void routesGetQueueMessagesInProportionToTheirWeight() throws Exception {
        Broker a = ClusterTestSupport.start("a", "weights", List.of());
        Broker b = null;
        Broker c = null;
        List<Connection> connections = new ArrayList<>();
        try {
            b = ClusterTestSupport.start("b", "weights", List.of(routeUrl(a)));
            c = ClusterTestSupport.start("c", "weights", List.of(routeUrl(a)));
            ClusterTestSupport.awaitMesh(a, b, c);
            AtomicInteger atB = new AtomicInteger();
            AtomicInteger atC = new AtomicInteger();
            Connection onB = connect(b);
            Connection onC = connect(c);
            connections.add(onB);
            connections.add(onC);
            // A handler per subscription: three distinct members on b (a dispatcher's own
            // subscriptions are one per subject).
            Dispatcher dispatcherB = onB.createDispatcher();
            for (int i = 0; i < 3; i++) {
                dispatcherB.subscribe("work", "q", m -> atB.incrementAndGet());
            }
            onC.createDispatcher().subscribe("work", "q", m -> atC.incrementAndGet());
            onB.flush(WAIT);
            onC.flush(WAIT);
            String bId = b.serverId();
            String cId = c.serverId();
            Await.until(WAIT, "a knows weight 3 from b and 1 from c",
                    () -> weightAt(a, bId, "work q") == 3 && weightAt(a, cId, "work q") == 1);

            Connection publisher = connect(a);
            connections.add(publisher);
            for (int i = 0; i < MESSAGES; i++) {
                publisher.publish("work", new byte[] {1});
            }
            publisher.flush(WAIT);
            Await.until(WAIT, "every queue message delivered", () -> atB.get() + atC.get() >= MESSAGES);
            Thread.sleep(200);
            assertEquals(MESSAGES, atB.get() + atC.get(), "each message delivered once in the cluster");
            double shareB = atB.get() / (double) MESSAGES;
            // Binomial(800, 0.75): sd about 0.015; 0.5 (weights ignored) is far outside.
            assertTrue(shareB > 0.66 && shareB < 0.84, "b's share " + shareB + " should be about 0.75");
        } finally {
            closeAll(connections.toArray(new AutoCloseable[0]));
            closeAll(c, b, a);
        }
    }

    @Test
    void aWeightComesDownAsMembersLeave() throws Exception {
        Broker a = ClusterTestSupport.start("a", "weights", List.of());
        Broker b = null;
        try {
            b = ClusterTestSupport.start("b", "weights", List.of(routeUrl(a)));
            ClusterTestSupport.awaitMesh(a, b);
            String bId = b.serverId();
            try (Connection onB = connect(b)) {
                List<io.nats.client.Subscription> members = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    members.add(onB.subscribe("jobs", "g"));
                }
                onB.flush(WAIT);
                Await.until(WAIT, "weight 4", () -> weightAt(a, bId, "jobs g") == 4);
                members.get(0).unsubscribe();
                members.get(1).unsubscribe();
                onB.flush(WAIT);
                Await.until(WAIT, "weight 2", () -> weightAt(a, bId, "jobs g") == 2);
            }
            Await.until(WAIT, "interest withdrawn", () -> weightAt(a, bId, "jobs g") == 0);
        } finally {
            closeAll(b, a);
        }
    }

    private static int weightAt(Broker broker, String peerId, String key) {
        for (RouteConnection route : broker.routes().routes()) {
            if (route.remote() != null && route.remote().serverId().equals(peerId)) {
                return route.remoteWeight(key);
            }
        }
        return 0;
    }

}
