package io.natsee.broker.monitor;

import com.fasterxml.jackson.databind.JsonNode;
import io.natsee.broker.Broker;
import io.natsee.broker.BrokerOptions;
import io.natsee.broker.support.Await;
import io.natsee.broker.support.ProtocolClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code $SYS} advisories against nats-server 2.9.10's system events: a client connects,
 * publishes two messages (5 and 3 bytes) and leaves; a watcher subscribed to
 * {@code $SYS.ACCOUNT.<account>.>} receives the same events, with the same members in the same
 * order and the same deterministic values. The reference runs with an account {@code APP} for the
 * client and {@code SYS} as system account; ours has one account ({@code $G}) and
 * {@code system_account: SYS}. Without a system account neither server sends a client anything.
 */
class SystemEventsTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path directory;

    private record Observed(List<String> subjects, List<JsonNode> events) {
    }

    @Test
    void connectAndDisconnectAdvisoriesMatchTheReference() throws IOException {
        Path conf = directory.resolve("sys.conf");
        Files.writeString(conf, "accounts {\n  SYS { users [ {user: sys, password: sys} ] }\n"
                + "  APP { users [ {user: app, password: app} ] }\n}\nsystem_account: SYS\n");
        Observed expected;
        try (MonitorTargets reference = MonitorTargets.reference("-c", conf.toString())) {
            expected = observe(reference, "{\"verbose\":false,\"user\":\"sys\",\"pass\":\"sys\"}", "APP",
                    ",\"user\":\"app\",\"pass\":\"app\"");
        }
        Observed actual;
        try (MonitorTargets ours = MonitorTargets.ours(BrokerOptions.builder().systemAccount("SYS"))) {
            actual = observe(ours, "{\"verbose\":false}", "$G", ",\"user\":\"app\",\"pass\":\"app\"");
        }
        assertEquals(List.of("SERVER.CONNS", "CONNECT", "SERVER.CONNS", "DISCONNECT"), expected.subjects());
        assertEquals(expected.subjects(), actual.subjects());
        for (int i = 0; i < expected.events().size(); i++) {
            JsonNode e = expected.events().get(i);
            JsonNode a = actual.events().get(i);
            String where = expected.subjects().get(i);
            if (e.has("client") && !a.path("client").has("rtt")) {
                // Both leave out an unmeasured round trip; nats-server pings right after CONNECT, we within 2 s.
                ((com.fasterxml.jackson.databind.node.ObjectNode) e.get("client")).remove("rtt");
            }
            MonitorReferenceTest.assertSameShape(e, a, where);
            assertEquals(e.path("type"), a.path("type"), where);
            assertEquals(22, a.path("id").asText().length(), where + " id");
            assertEquals(e.path("server").path("ver"), a.path("server").path("ver"), where);
            assertEquals(e.path("server").path("jetstream"), a.path("server").path("jetstream"), where);
            for (String member : List.of("host", "user", "name", "lang", "ver", "kind", "client_type")) {
                assertEquals(e.path("client").path(member), a.path("client").path(member), where + " client." + member);
            }
            for (String member : List.of("sent", "received", "reason", "leafnodes", "slow_consumers")) {
                // nats-server adds a closing client's counters to its account after the count event, or before.
                if (!where.equals("SERVER.CONNS") || !(member.equals("sent") || member.equals("received"))) {
                    assertEquals(e.path(member), a.path(member), where + " " + member);
                }
            }
        }
        // The disconnect carries what the client sent (two messages, 8 bytes) and was sent.
        JsonNode disconnect = actual.events().get(3);
        assertEquals(2, disconnect.path("sent").path("msgs").asInt());
        assertEquals(8, disconnect.path("sent").path("bytes").asInt());
        assertEquals("Client Closed", disconnect.path("reason").asText());
        // Ours counts the watcher too: everyone is in $G.
        assertEquals(2, actual.events().get(0).path("conns").asInt());
        assertEquals(1, actual.events().get(2).path("conns").asInt());
    }

    /** Watches {@code $SYS.ACCOUNT.<account>.>} while a client connects, publishes twice and leaves. */
    private static Observed observe(MonitorTargets server, String watcherConnect, String account, String credentials) {
        try (ProtocolClient watcher = ProtocolClient.openRaw(MonitorTargets.HOST, server.port())) {
            watcher.readInfo();
            watcher.send("CONNECT " + watcherConnect + "\r\nSUB $SYS.ACCOUNT." + account + ".> 1\r\nPING\r\n")
                    .expect("PONG\r\n");
            try (ProtocolClient client = ProtocolClient.openRaw(MonitorTargets.HOST, server.port())) {
                client.readInfo();
                client.send("CONNECT {\"verbose\":false,\"name\":\"cli\",\"lang\":\"java\",\"version\":\"9\""
                        + credentials + "}\r\nPUB a 5\r\nhello\r\nPUB a 3\r\nabc\r\nPING\r\n").expect("PONG\r\n");
            }
            List<String> subjects = new ArrayList<>();
            List<JsonNode> events = new ArrayList<>();
            String prefix = "$SYS.ACCOUNT." + account + ".";
            for (int i = 0; i < 4; i++) {
                // nats-server writes its internal messages with an empty reply: "MSG <subject> <sid>  <size>".
                String[] line = watcher.readLine().split(" +");
                assertEquals("MSG", line[0]);
                assertTrue(line[1].startsWith(prefix), line[1]);
                subjects.add(line[1].substring(prefix.length()));
                events.add(MonitorTargets.JSON.readTree(watcher.readBytes(Integer.parseInt(line[3]))));
                watcher.expect("\r\n");
            }
            return new Observed(subjects, events);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void withoutASystemAccountNoClientSeesAnAdvisory() {
        for (boolean reference : new boolean[] {true, false}) {
            try (MonitorTargets server = reference ? MonitorTargets.reference() : MonitorTargets.ours(BrokerOptions.builder());
                 ProtocolClient watcher = ProtocolClient.openRaw(MonitorTargets.HOST, server.port())) {
                watcher.readInfo();
                watcher.send("CONNECT {\"verbose\":false}\r\nSUB $SYS.> 1\r\nSUB > 2\r\nPING\r\n").expect("PONG\r\n");
                try (ProtocolClient client = ProtocolClient.openRaw(MonitorTargets.HOST, server.port())) {
                    client.readInfo();
                    client.send("CONNECT {\"verbose\":false}\r\nPING\r\n").expect("PONG\r\n");
                }
                Await.until(WAIT, () -> server.json("/connz?state=closed").path("num_connections").asInt() == 1);
                watcher.send("PUB done 0\r\n\r\nPING\r\n").expect("MSG done 2 0\r\n\r\nPONG\r\n");
            }
        }
    }

    @Test
    void slowConsumerAndRouteAdvisories() {
        Broker broker = new Broker(BrokerOptions.builder().host(MonitorTargets.HOST).port(-1).systemAccount("SYS")
                .maxPending(64 * 1024).maxPayload(64 * 1024).build());
        try (broker) {
            broker.start();
            ProtocolClient watcher = ProtocolClient.openRaw(MonitorTargets.HOST, broker.port());
            watcher.readInfo();
            watcher.send("CONNECT {\"verbose\":false}\r\nSUB $SYS.ACCOUNT.$G.SLOW_CONSUMER 1\r\n"
                    + "SUB $SYS.SERVER.*.ROUTE.* 2\r\nPING\r\n").expect("PONG\r\n");

            broker.server().systemEvents().routeConnected(7, "NREMOTE", "127.0.0.2", 6222, true);
            broker.server().systemEvents().routeDisconnected(7, "NREMOTE", "127.0.0.2", 6222, true, "Stale Connection");
            ProtocolClient.Msg up = watcher.readMsg();
            assertEquals("$SYS.SERVER." + broker.serverId() + ".ROUTE.CONNECT", up.subject());
            JsonNode upEvent = MonitorTargets.JSON.readTree(up.payload());
            assertEquals("io.natsee.advisory.v1.route_connect", upEvent.path("type").asText());
            assertEquals("NREMOTE", upEvent.path("route").path("remote_id").asText());
            JsonNode downEvent = MonitorTargets.JSON.readTree(watcher.readMsg().payload());
            assertEquals("Stale Connection", downEvent.path("reason").asText());

            try (ProtocolClient slow = ProtocolClient.openRaw(MonitorTargets.HOST, broker.port(), 4096);
                 ProtocolClient publisher = ProtocolClient.openRaw(MonitorTargets.HOST, broker.port())) {
                slow.readInfo();
                slow.send("CONNECT {\"verbose\":false,\"name\":\"slow\"}\r\nSUB big 1\r\nPING\r\n").expect("PONG\r\n");
                publisher.readInfo();
                publisher.send("CONNECT {\"verbose\":false}\r\nPING\r\n").expect("PONG\r\n");
                String batch = ("PUB big 32768\r\n" + "x".repeat(32 * 1024) + "\r\n").repeat(32);
                for (int i = 0; i < 8 && broker.statistics().slowConsumers() == 0; i++) {
                    publisher.send(batch).ping();
                }
                ProtocolClient.Msg msg = watcher.readMsg();
                assertEquals("$SYS.ACCOUNT.$G.SLOW_CONSUMER", msg.subject());
                JsonNode event = MonitorTargets.JSON.readTree(msg.payload());
                assertEquals("io.natsee.advisory.v1.slow_consumer", event.path("type").asText());
                assertEquals("slow", event.path("client").path("name").asText());
                assertEquals("Slow Consumer (Pending Bytes)", event.path("reason").asText());
            }
            watcher.close();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
