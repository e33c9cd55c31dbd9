package io.natsee.admin.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.natsee.admin.NatsServerCluster;
import io.natsee.admin.monitor.HttpMonitorClient;
import io.natsee.admin.monitor.ServerEndpoint;
import io.nats.client.Connection;
import io.nats.client.Nats;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The cluster page's bean over HTTP against three Debian nats-servers (the reference) in a full mesh on
 * 127.0.0.1: every node, edge, member and route it shows comes from their real {@code /varz} and {@code /routez}.
 */
class ClusterBeanRealClusterTest {

    @Test
    void threeReferenceServersAreAMeshOfThreeNodesAndThreeEdgesWithTheirRoutesTraffic() throws Exception {
        Assumptions.assumeTrue(NatsServerCluster.available(), "Debian's nats-server is not installed");
        try (NatsServerCluster cluster = new NatsServerCluster("pic", List.of(0, 0, 0))) {
            List<ServerEndpoint> servers = new ArrayList<>();
            for (int i = 0; i < cluster.size(); i++) {
                servers.add(new ServerEndpoint(cluster.name(i), cluster.monitorUrl(i), null));
            }
            HttpMonitorClient client = new HttpMonitorClient(servers, cluster.monitorUrl(0), Duration.ofSeconds(3));
            ClusterBean bean = new ClusterBean(client);
            bean.refresh();
            long before = outFromAToB(bean);
            // Traffic over the routes: a subscriber on b, a publisher on a.
            try (Connection subscriber = Nats.connect(cluster.natsUrl(1)); Connection publisher = Nats.connect(cluster.natsUrl(0))) {
                subscriber.subscribe("pic.load");
                subscriber.flush(Duration.ofSeconds(5));
                Thread.sleep(300); // the interest crosses the route (RS+) asynchronously
                for (int i = 0; i < 100; i++) {
                    publisher.publish("pic.load", "x".getBytes(StandardCharsets.UTF_8));
                }
                publisher.flush(Duration.ofSeconds(5));
                subscriber.flush(Duration.ofSeconds(5));
            }
            bean.refresh();

            assertTrue(bean.getProblems().isEmpty(), bean.getProblems().toString());
            assertFalse(bean.isSingleServer());
            assertTrue(bean.isRoutezServed());
            assertEquals(List.of("pic-a", "pic-b", "pic-c"), bean.getNodes().stream().map(MeshLayout.Node::label).toList());
            assertTrue(bean.getNodes().stream().allMatch(MeshLayout.Node::watched));
            assertEquals(3, bean.getEdges().size(), "a full mesh of three servers has three routes between pairs");
            Set<Set<String>> pairs = bean.getEdges().stream().map(e -> Set.of(e.from(), e.to())).collect(Collectors.toSet());
            assertEquals(3, pairs.size());
            assertEquals(6, bean.getRoutes().size(), "each server reports its two routes");
            Set<String> ids = bean.getNodes().stream().map(MeshLayout.Node::id).collect(Collectors.toSet());
            Set<String> remotes = new HashSet<>();
            for (ClusterBean.RouteRow row : bean.getRoutes()) {
                assertTrue(ids.contains(row.route().remoteId()), "the remote is one of the three: " + row);
                assertEquals("127.0.0.1", row.route().ip());
                remotes.add(row.server() + ">" + row.route().remoteId());
            }
            assertEquals(6, remotes.size(), "no route listed twice");
            // nats-server counts its own few internal messages on a route too (one more, seen on 2.9.10).
            long sent = outFromAToB(bean) - before;
            assertTrue(sent >= 100 && sent <= 110, "the 100 messages published on a went out over its route to b: " + sent);
            assertEquals(3, bean.getMembers().size());
            for (ClusterBean.Member member : bean.getMembers()) {
                assertEquals("pic", member.cluster());
                assertTrue(member.listen().startsWith("127.0.0.1:"), member.listen());
                assertEquals(2, member.configuredRoutes().size());
                assertEquals(2, member.routes());
            }
        }
    }

    /** What a's route to b counts as sent. */
    private static long outFromAToB(ClusterBean bean) {
        String b = bean.getNodes().stream().filter(n -> n.label().equals("pic-b")).findFirst().orElseThrow().id();
        return bean.getRoutes().stream().filter(r -> r.server().equals("pic-a") && b.equals(r.route().remoteId()))
                .mapToLong(r -> r.route().outMsgs()).sum();
    }
}
