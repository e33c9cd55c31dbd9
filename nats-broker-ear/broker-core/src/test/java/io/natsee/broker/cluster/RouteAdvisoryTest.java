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
