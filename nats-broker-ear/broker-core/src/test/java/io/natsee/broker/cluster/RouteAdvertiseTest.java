package io.natsee.broker.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.natsee.broker.Broker;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code cluster_advertise}: the route INFO names the advertised address in {@code host},
 * {@code port} and {@code ip} ({@code nats-route://host:port/}) instead of the bound one, as
 * nats-server 2.9.10 does; without it, the bound address and no {@code ip}.
 */
@Timeout(30)
class RouteAdvertiseTest {

    private static JsonNode routeInfo(Broker broker) throws Exception {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", broker.routes().port()), 2000);
            socket.setSoTimeout(5000);
            String line = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))
                    .readLine();
            assertTrue(line.startsWith("INFO {"), line);
            return new ObjectMapper().readTree(line.substring(5));
        }
    }

    private static Broker start(String advertise) throws Exception {
        return ClusterTestSupport.start("adv", ClusterOptions.of(ClusterOptions.RANDOM_PORT)
                .withListen("127.0.0.1", ClusterOptions.RANDOM_PORT).withName("adv").withRoutes(List.of())
                .withAdvertise(advertise));
    }

    @Test
    void advertisedHostAndPortReplaceTheBoundAddress() throws Exception {
        try (Broker broker = start("10.20.30.40:7777")) {
            JsonNode info = routeInfo(broker);
            assertEquals("10.20.30.40", info.path("host").asText());
            assertEquals(7777, info.path("port").asInt());
            assertEquals("nats-route://10.20.30.40:7777/", info.path("ip").asText());
        }
    }

    @Test
    void anAdvertisedHostWithoutPortTakesTheBoundPort() throws Exception {
        try (Broker broker = start("routes.example")) {
            JsonNode info = routeInfo(broker);
            int bound = broker.routes().port();
            assertEquals("routes.example", info.path("host").asText());
            assertEquals(bound, info.path("port").asInt());
            assertEquals("nats-route://routes.example:" + bound + "/", info.path("ip").asText());
        }
    }

    @Test
    void withoutAdvertiseTheBoundAddressAndNoIp() throws Exception {
        try (Broker broker = start(null)) {
            JsonNode info = routeInfo(broker);
            assertEquals("127.0.0.1", info.path("host").asText());
            assertEquals(broker.routes().port(), info.path("port").asInt());
            assertFalse(info.has("ip"), info.toString());
        }
    }
}
