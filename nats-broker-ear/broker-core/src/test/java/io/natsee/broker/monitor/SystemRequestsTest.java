package io.natsee.broker.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.natsee.broker.BrokerOptions;
import io.natsee.broker.support.ProtocolClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server requests on {@code $SYS} ({@code $SYS.REQ.SERVER.PING}, {@code .PING.<endpoint>},
 * {@code .<server id>.<endpoint>}) against nats-server 2.9.10: the same envelope
 * ({@code server}, then {@code statsz}, {@code data} or {@code error}) and, for STATSZ, HEALTHZ and
 * ROUTEZ, the same members with the same types. The reference runs its system account {@code SYS}
 * with a user in it; ours has {@code system_account: SYS} and one account.
 */
class SystemRequestsTest {

    @TempDir
    Path directory;

    private record Response(String subject, JsonNode body) {
    }

    @Test
    void serverRequestsAreAnsweredAsTheReferenceAnswersThem() throws IOException {
        Path conf = Files.writeString(directory.resolve("sys.conf"),
                "accounts {\n  SYS { users [ {user: sys, password: sys} ] }\n}\nsystem_account: SYS\n");
        List<Response> expected;
        try (MonitorTargets reference = MonitorTargets.reference("-c", conf.toString())) {
            expected = askAll(reference, ",\"user\":\"sys\",\"pass\":\"sys\"");
        }
        List<Response> actual;
        try (MonitorTargets ours = MonitorTargets.ours(BrokerOptions.builder().systemAccount("SYS"))) {
            actual = askAll(ours, "");
        }
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            JsonNode e = expected.get(i).body();
            JsonNode a = actual.get(i).body();
            String where = actual.get(i).subject();
            assertEquals(names(e), names(a), where);
            MonitorReferenceTest.assertSameShape(e.get("server"), a.get("server"), where + " server");
            if (e.has("statsz") || where.endsWith("HEALTHZ") || where.endsWith("ROUTEZ") || e.has("error")) {
                MonitorReferenceTest.assertSameShape(e, a, where);
            }
        }
        // What ours answered, value by value.
        JsonNode statsz = actual.get(0).body().get("statsz");
        assertEquals(1, statsz.get("connections").asInt(), statsz.toString());
        assertEquals(1, statsz.get("active_servers").asInt());
        assertTrue(statsz.get("mem").asLong() > 0, statsz.toString());
        JsonNode varz = actual.get(3).body().get("data");
        assertEquals(actual.get(3).body().get("server").get("id"), varz.get("server_id"));
        assertEquals(1, varz.get("connections").asInt());
        JsonNode connz = actual.get(4).body().get("data");
        assertEquals(1, connz.get("num_connections").asInt(), connz.toString());
        assertEquals(List.of("_INBOX.answers"), subjects(connz.get("connections").get(0).get("subscriptions_list")));
        assertEquals("ok", actual.get(5).body().get("data").get("status").asText());
        assertEquals(400, actual.get(8).body().get("error").get("code").asInt());
        assertEquals(400, expected.get(8).body().get("error").get("code").asInt());
    }

    @Test
    void withoutASystemAccountNothingAnswers() {
        try (MonitorTargets ours = MonitorTargets.ours(BrokerOptions.builder());
             ProtocolClient client = ProtocolClient.openRaw(MonitorTargets.HOST, ours.port())) {
            client.readInfo();
            client.send("CONNECT {\"verbose\":false,\"headers\":true,\"no_responders\":true}\r\nSUB _INBOX.answers 1\r\n"
                    + "PUB $SYS.REQ.SERVER.PING _INBOX.answers 0\r\n\r\nPING\r\n");
            // No server answer: the no-responders status is all the requester gets.
            String line = client.readLine();
            assertTrue(line.startsWith("HMSG _INBOX.answers 1 "), line);
        }
    }

    private static List<String> subjects(JsonNode list) {
        List<String> subjects = new ArrayList<>();
        list.forEach(node -> subjects.add(node.asText()));
        return subjects;
    }

    private static List<String> names(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** Asks every request of the script in turn, on one connection subscribed to the answers. */
    private static List<Response> askAll(MonitorTargets server, String credentials) throws IOException {
        try (ProtocolClient client = ProtocolClient.openRaw(MonitorTargets.HOST, server.port())) {
            client.readInfo();
            String id = MonitorTargets.JSON.readTree(client.infoJson()).get("server_id").asText();
            client.send("CONNECT {\"verbose\":false" + credentials + "}\r\nSUB _INBOX.answers 1\r\nPING\r\n").expect("PONG\r\n");
            String[][] script = {
                {"$SYS.REQ.SERVER.PING", ""},
                {"$SYS.REQ.SERVER.PING.STATSZ", ""},
                {"$SYS.REQ.SERVER." + id + ".STATSZ", ""},
                {"$SYS.REQ.SERVER." + id + ".VARZ", ""},
                {"$SYS.REQ.SERVER.PING.CONNZ", "{\"subscriptions\":true}"},
                {"$SYS.REQ.SERVER." + id + ".HEALTHZ", ""},
                {"$SYS.REQ.SERVER." + id + ".SUBSZ", "{\"limit\":5}"},
                {"$SYS.REQ.SERVER." + id + ".ROUTEZ", ""},
                {"$SYS.REQ.SERVER.PING.CONNZ", "{bad"},
            };
            List<Response> responses = new ArrayList<>();
            for (String[] request : script) {
                byte[] body = request[1].getBytes(StandardCharsets.UTF_8);
                client.send("PUB " + request[0] + " _INBOX.answers " + body.length + "\r\n" + request[1] + "\r\n");
                // nats-server writes its internal messages with an empty reply: "MSG <subject> <sid>  <size>".
                String[] line = client.readLine().split(" +");
                assertEquals("MSG", line[0], request[0]);
                assertEquals("_INBOX.answers", line[1], request[0]);
                byte[] payload = client.readBytes(Integer.parseInt(line[line.length - 1]));
                client.expect("\r\n");
                responses.add(new Response(request[0].replace(id, "<id>"), MonitorTargets.JSON.readTree(payload)));
            }
            return responses;
        }
    }
}
