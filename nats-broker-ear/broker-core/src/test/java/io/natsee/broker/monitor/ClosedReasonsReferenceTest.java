package io.natsee.broker.monitor;

import com.fasterxml.jackson.databind.JsonNode;
import io.natsee.broker.BrokerOptions;
import io.natsee.broker.auth.AuthOptions;
import io.natsee.broker.support.Await;
import io.natsee.broker.support.ProtocolClient;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The close reasons {@code /connz?state=closed} records, against nats-server 2.9.10 for the same
 * misbehaving clients: each scenario runs on both servers and the closed connection's
 * {@code reason} (and its shape) must be the same.
 */
class ClosedReasonsReferenceTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    /** What each client sends after INFO, and the reason nats-server 2.9.10 records for it. */
    private static final Map<String, String> SCENARIOS = new LinkedHashMap<>();

    static {
        SCENARIOS.put("CONNECT {\"verbose\":false}\r\nPING\r\n", "Client Closed");
        SCENARIOS.put("CONNECT {\"verbose\":false}\r\nFOO bar\r\n", "Protocol Violation");
        SCENARIOS.put("FOO\r\n", "Protocol Violation");
        SCENARIOS.put("CONNECT {\"verbose\":false}\r\nPUB foo x\r\n", "Protocol Violation");
        SCENARIOS.put("CONNECT {\"verbose\":false}\r\nPUB foo " + "a".repeat(5000) + "\r\n", "Maximum Control Line Exceeded");
        SCENARIOS.put("CONNECT {\"verbose\":false}\r\nPUB foo 2000000\r\n", "Maximum Message Payload Exceeded");
        SCENARIOS.put("CONNECT {bad json}\r\n", "Protocol Violation");
        SCENARIOS.put("CONNECT {\"verbose\":false}\r\n-ERR 'x'\r\n", "Parse Error");
        SCENARIOS.put("CONNECT {\"verbose\":false,\"protocol\":7}\r\n", "Bad Client Protocol Version");
    }

    @Test
    void reasonsMatchTheReference() {
        Map<String, JsonNode> expected;
        try (MonitorTargets reference = MonitorTargets.reference()) {
            expected = run(reference, SCENARIOS);
        }
        Map<String, JsonNode> actual;
        try (MonitorTargets ours = MonitorTargets.ours(BrokerOptions.builder())) {
            actual = run(ours, SCENARIOS);
        }
        SCENARIOS.forEach((script, reason) -> {
            String where = ProtocolClient.escape(script.length() > 60 ? script.substring(0, 60) : script);
            assertEquals(reason, expected.get(script).path("reason").asText(), "reference: " + where);
            assertEquals(reason, actual.get(script).path("reason").asText(), "ours: " + where);
            MonitorReferenceTest.assertSameShape(expected.get(script), actual.get(script), where);
        });
    }

    @Test
    void authenticationFailureMatchesTheReference() {
        Map<String, String> scenario = Map.of("CONNECT {\"verbose\":false,\"user\":\"a\",\"pass\":\"wrong\"}\r\n",
                "Authentication Failure");
        Map<String, JsonNode> expected;
        try (MonitorTargets reference = MonitorTargets.reference("--user", "a", "--pass", "b")) {
            expected = run(reference, scenario);
        }
        Map<String, JsonNode> actual;
        try (MonitorTargets ours = MonitorTargets.ours(BrokerOptions.builder()
                .authorization(new AuthOptions("a", "b", null, java.util.List.of(), null, null)))) {
            actual = run(ours, scenario);
        }
        scenario.forEach((script, reason) -> {
            assertEquals(reason, expected.get(script).path("reason").asText());
            assertEquals(reason, actual.get(script).path("reason").asText());
            MonitorReferenceTest.assertSameShape(expected.get(script), actual.get(script), "auth");
        });
    }

    /** Runs each script as its own client and returns the closed connection's /connz entry per script. */
    private static Map<String, JsonNode> run(MonitorTargets server, Map<String, String> scripts) {
        Map<String, JsonNode> closed = new LinkedHashMap<>();
        for (String script : scripts.keySet()) {
            long cid;
            try (ProtocolClient client = ProtocolClient.openRaw(MonitorTargets.HOST, server.port())) {
                client.readInfo();
                cid = MonitorTargets.JSON.readTree(client.infoJson()).path("client_id").asLong();
                client.send(script);
                if (script.endsWith("PING\r\n")) {
                    client.expect("PONG\r\n");
                } else {
                    client.drainUntilClosed(WAIT, bytes -> { });
                }
            } catch (IOException e) {
                throw new AssertionError(e);
            }
            String query = "/connz?state=closed&cid=" + cid;
            Await.until(WAIT, server + " to record cid " + cid + " as closed",
                    () -> server.json(query).path("connections").size() == 1);
            closed.put(script, server.json(query).path("connections").get(0));
        }
        return closed;
    }
}
