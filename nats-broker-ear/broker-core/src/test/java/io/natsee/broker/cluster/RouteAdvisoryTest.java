package io.natsee.broker.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.natsee.broker.Broker;
import io.natsee.broker.BrokerOptions;
import io.natsee.broker.support.ProtocolClient;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * With {@code system_account} set, a server publishes {@code $SYS.SERVER.<id>.ROUTE.CONNECT}
 * when a route to another member is registered and {@code .DISCONNECT} (with the close reason)
 * when it goes away.
 */
class RouteAdvisoryTest {

    private static Broker start(String name, List<URI> routes) throws Exception {
        ClusterOptions cluster = new ClusterOptions("adv", "127.0.0.1", ClusterOptions.RANDOM_PORT, routes, null,
                null, null, null, null, false, 0);
        Broker broker = new Broker(BrokerOptions.builder().host("127.0.0.1").port(-1).serverName(name)
                .systemAccount("SYS").cluster(cluster).build());
        broker.start();
        return broker;
    }

    /** The members of nats-server 2.9.10's RouteInfo with subs=1, in its order (captured from two clustered nats-server). */
    private static final List<String> REFERENCE_ROUTE_MEMBERS = List.of("rid", "remote_id", "did_solicit",
            "is_configured", "ip", "port", "start", "last_activity", "rtt", "uptime", "idle", "pending_size",
            "in_msgs", "out_msgs", "in_bytes", "out_bytes", "subscriptions", "subscriptions_list");

    @Test
    void routezAndVarzShowTheRoute() throws Exception {
        Broker a = start("A", List.of());
        Broker b = start("B", List.of(ClusterTestSupport.routeUrl(a)));
        try (ProtocolClient subscriber = ProtocolClient.openRaw("127.0.0.1", b.port())) {
            subscriber.readInfo();
            subscriber.send("CONNECT {\"verbose\":false}\r\nSUB foo 1\r\nPING\r\n").expect("PONG\r\n");
            ClusterTestSupport.awaitRemoteInterest(a, "foo", 1);
            io.natsee.broker.monitor.Routez routez = a.monitor().routez(key -> key.equals("subs") ? "1" : null);
            assertEquals(1, routez.numRoutes());
            io.natsee.broker.monitor.Routez.Route route = routez.routes().get(0);
            assertEquals(b.serverId(), route.remoteId());
            assertTrue(route.subscriptionsList().contains("foo"), route.toString());
            JsonNode json = new ObjectMapper().readTree(new io.natsee.broker.monitor.MonitorJson().compact(routez));
            List<String> members = new java.util.ArrayList<>();
            json.path("routes").get(0).fieldNames().forEachRemaining(members::add);
            List<String> expected = new java.util.ArrayList<>(REFERENCE_ROUTE_MEMBERS);
            if (route.rtt().isEmpty()) {
                expected.remove("rtt"); // left out until measured, as nats-server's omitempty does
            }
            assertEquals(expected, members);
            assertEquals(1, a.monitor().varz().routes());
            io.natsee.broker.monitor.Routez detail = b.monitor().routez(key -> key.equals("subs") ? "detail" : null);
            assertEquals(a.serverId(), detail.routes().get(0).remoteId());
            assertTrue(detail.routes().get(0).didSolicit());
            assertTrue(detail.routes().get(0).isConfigured());
        } finally {
            ClusterTestSupport.closeAll(b, a);
        }
    }

    @Test
    void routeUpAndDownAreAnnounced() throws Exception {
        Broker a = start("A", List.of());
        Broker b = null;
        try (ProtocolClient watcher = ProtocolClient.openRaw("127.0.0.1", a.port())) {
            watcher.readInfo();
            watcher.send("CONNECT {\"verbose\":false}\r\nSUB $SYS.SERVER." + a.serverId() + ".ROUTE.* 1\r\nPING\r\n")
                    .expect("PONG\r\n");
            b = start("B", List.of(ClusterTestSupport.routeUrl(a)));
            ObjectMapper json = new ObjectMapper();
            ProtocolClient.Msg up = watcher.readMsg();
            assertEquals("$SYS.SERVER." + a.serverId() + ".ROUTE.CONNECT", up.subject());
            JsonNode upEvent = json.readTree(up.payload());
            assertEquals("io.natsee.advisory.v1.route_connect", upEvent.path("type").asText());
            assertEquals(b.serverId(), upEvent.path("route").path("remote_id").asText());
            assertEquals(false, upEvent.path("route").path("did_solicit").asBoolean());
            b.close();
            ProtocolClient.Msg down = watcher.readMsg();
            assertEquals("$SYS.SERVER." + a.serverId() + ".ROUTE.DISCONNECT", down.subject());
            JsonNode downEvent = json.readTree(down.payload());
            assertEquals(b.serverId(), downEvent.path("route").path("remote_id").asText());
            assertTrue(!downEvent.path("reason").asText().isEmpty(), downEvent.toString());
        } finally {
            ClusterTestSupport.closeAll(b, a);
        }
    }
}
