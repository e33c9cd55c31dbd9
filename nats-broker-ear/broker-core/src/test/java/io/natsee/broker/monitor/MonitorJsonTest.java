package io.natsee.broker.monitor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.natsee.broker.Broker;
import io.natsee.broker.BrokerOptions;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MonitorJsonTest {

    /** The members of nats-server 2.9.10's /varz for one node without cluster, in its order. */
    static final List<String> REFERENCE_VARZ_FIELDS = List.of(
            "server_id", "server_name", "version", "proto", "go", "host", "port", "max_connections",
            "ping_interval", "ping_max", "http_host", "http_port", "http_base_path", "https_port",
            "auth_timeout", "max_control_line", "max_payload", "max_pending", "cluster", "gateway",
            "leaf", "mqtt", "websocket", "jetstream", "tls_timeout", "write_deadline", "start", "now",
            "uptime", "mem", "cores", "gomaxprocs", "cpu", "connections", "total_connections", "routes",
            "remotes", "leafnodes", "in_msgs", "out_msgs", "in_bytes", "out_bytes", "slow_consumers",
            "subscriptions", "http_req_stats", "config_load_time", "system_account");

    private final MonitorJson json = new MonitorJson();

    private static Varz varz() {
        Broker broker = new Broker(BrokerOptions.builder().host("127.0.0.1").httpPort(8222).build());
        Clock clock = Clock.fixed(Instant.parse("2026-11-28T09:21:56.244033617Z"), ZoneOffset.UTC);
        MonitorService monitor = new MonitorService(broker.monitorSource(), clock);
        monitor.countHttpRequest("/varz");
        return monitor.varz();
    }

    @Test
    void varzHasTheReferenceMembersInTheReferenceOrder() throws Exception {
        JsonNode tree = new ObjectMapper().readTree(json.pretty(varz()));
        List<String> names = new ArrayList<>();
        tree.fieldNames().forEachRemaining(names::add);
        assertEquals(REFERENCE_VARZ_FIELDS, names);
    }

    @Test
    void varzIsIndentedAsGoMarshalIndent() {
        String text = json.prettyString(varz());
        assertTrue(text.startsWith("{\n  \"server_id\": \"N"), text);
        assertTrue(text.contains("\n  \"version\": \"2.9.10\",\n  \"proto\": 1,\n"), text);
        assertTrue(text.contains("\n  \"host\": \"127.0.0.1\",\n"), text);
        assertTrue(text.contains("\n  \"max_connections\": 65536,\n  \"ping_interval\": 120000000000,\n  \"ping_max\": 2,\n"), text);
        assertTrue(text.contains("\n  \"http_host\": \"127.0.0.1\",\n  \"http_port\": 8222,\n  \"http_base_path\": \"\",\n  \"https_port\": 0,\n"), text);
        assertTrue(text.contains("\n  \"auth_timeout\": 2,\n  \"max_control_line\": 4096,\n  \"max_payload\": 1048576,\n  \"max_pending\": 67108864,\n"), text);
        assertTrue(text.contains("\n  \"cluster\": {},\n  \"gateway\": {},\n  \"leaf\": {},\n  \"mqtt\": {},\n  \"websocket\": {},\n  \"jetstream\": {},\n"), text);
        assertTrue(text.contains("\n  \"tls_timeout\": 2,\n  \"write_deadline\": 10000000000,\n"), text);
        assertTrue(text.contains("\n  \"now\": \"2026-11-28T09:21:56.244033617Z\",\n"), text);
        assertTrue(text.contains("\n  \"http_req_stats\": {\n    \"/varz\": 1\n  },\n"), text);
        assertTrue(text.endsWith(",\n  \"system_account\": \"$SYS\"\n}"), text);
        assertFalse(text.contains(" :"), "no space before colons: " + text);
    }

    @Test
    void startAndConfigLoadTimeAreTheSameBeforeStart() throws Exception {
        JsonNode tree = new ObjectMapper().readTree(json.pretty(varz()));
        assertEquals(tree.get("start").asText(), tree.get("config_load_time").asText());
        assertEquals("2026-11-28T09:21:56.244033617Z", tree.get("start").asText());
        assertEquals("0s", tree.get("uptime").asText());
    }

    @Test
    void healthzIsCompact() {
        assertEquals("{\"status\":\"ok\"}", json.compactString(Healthz.ok()));
        assertEquals("{\"status\":\"unavailable\",\"error\":\"not ready\"}", json.compactString(Healthz.unavailable("not ready")));
    }

    @Test
    void nestedArraysAndObjectsAreIndentedAndEmptyOnesCollapsed() {
        Map<String, Object> value = new TreeMap<>(Map.of(
                "list", List.of(1, 2),
                "empty_list", List.of(),
                "map", Map.of("a", Map.of("b", 0.5))));
        assertEquals("""
                {
                  "empty_list": [],
                  "list": [
                    1,
                    2
                  ],
                  "map": {
                    "a": {
                      "b": 0.5
                    }
                  }
                }""", json.prettyString(value));
    }

    @Test
    void mapKeysAreSortedAsGoSortsThem() {
        Map<String, Object> value = new java.util.LinkedHashMap<>();
        value.put("/varz", 3);
        value.put("/healthz", 1);
        value.put("/", 2);
        assertEquals("{\"/\":2,\"/healthz\":1,\"/varz\":3}", json.compactString(value));
    }

    @Test
    void htmlCharactersAreEscapedAsGoEscapesThem() {
        assertEquals("{\"a\":\"\\u003cb\\u003e \\u0026 \\u2028\"}", json.compactString(Map.of("a", "<b> & \u2028")));
    }

    @Test
    void clusterBlockShowsOnlyWhatIsSet() throws Exception {
        Varz.ClusterVarz cluster = new Varz.ClusterVarz("east", "127.0.0.1", 6222, 2, List.of("nats://a:6222"), 0, false, false);
        JsonNode tree = new ObjectMapper().readTree(json.compact(cluster));
        Iterator<String> names = tree.fieldNames();
        List<String> seen = new ArrayList<>();
        names.forEachRemaining(seen::add);
        assertEquals(List.of("name", "addr", "cluster_port", "auth_timeout", "urls"), seen);
        assertEquals("{}", json.compactString(Varz.ClusterVarz.none()));
    }
}
