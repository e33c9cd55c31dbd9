package io.natsee.broker.blackbox;

import static io.natsee.broker.support.Frames.headers;
import static io.natsee.broker.support.Frames.hmsg;
import static io.natsee.broker.support.Frames.hpub;
import static io.natsee.broker.support.Frames.msg;
import static io.natsee.broker.support.Frames.pub;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.natsee.broker.support.ProtocolClient;
import io.natsee.broker.support.ServerTestBase;
import io.natsee.broker.support.TestServer;

/**
 * Reference sections A.1-A.4: INFO, CONNECT defaults, verbs, separators, exact PUB/HPUB/SUB/UNSUB/
 * MSG/HMSG framing and PING/PONG, byte for byte as nats-server 2.9.10 sends them.
 */
public abstract class ProtocolFramingContract extends ServerTestBase {

    // ------------------------------------------------------------------ INFO (A.3)

    @Test
    void infoLineEndsWithSpaceBeforeCrlfLikeNatsServer() {
        TestServer server = startServer();
        ProtocolClient client = open(server);
        assertTrue(client.infoLine().matches("INFO \\{.*\\} "),
                "nats-server writes 'INFO {json} \\r\\n' (one space before CRLF); got '"
                        + ProtocolClient.escape(client.infoLine()) + "'");
    }

    @Test
    void infoCarriesTheRequiredFields() {
        TestServer server = startServer(TestServer.Options.defaults().withMaxPayload(2048));
        String json = open(server).infoJson();
        assertField(json, "server_id", "\"[A-Z0-9]+\"");
        assertField(json, "server_name", "\"[^\"]+\"");
        assertField(json, "version", "\"\\d+\\.\\d+\\.\\d+[^\"]*\"");
        assertField(json, "proto", "1");
        assertField(json, "go", "\"[^\"]+\"");
        assertField(json, "host", "\"127\\.0\\.0\\.1\"");
        assertField(json, "port", Integer.toString(server.port()));
        assertField(json, "headers", "true");
        assertField(json, "max_payload", "2048");
        assertField(json, "client_id", "\\d+");
        assertField(json, "client_ip", "\"127\\.0\\.0\\.1\"");
        for (String omitted : new String[] {"auth_required", "tls_required", "tls_verify", "nonce", "ldm"}) {
            assertFalse(json.contains("\"" + omitted + "\""), omitted + " must be omitted when false/empty: " + json);
        }
    }

    @Test
    void infoDefaultMaxPayloadIsOneMegabyte() {
        assertField(open(startServer()).infoJson(), "max_payload", "1048576");
    }

    @Test
    void clientIdsDifferPerConnection() {
        TestServer server = startServer();
        String first = field(open(server).infoJson(), "client_id");
        String second = field(open(server).infoJson(), "client_id");
        assertNotEquals(first, second);
    }

    // ------------------------------------------------------------------ CONNECT (A.4)

    @Test
    void verboseDefaultsToTrueWhenAbsent() {
        ProtocolClient client = open(startServer());
        client.send("CONNECT {}\r\n").expect("+OK\r\n");
        client.send("SUB foo 1\r\n").expect("+OK\r\n");
        client.send(pub("foo", null, "hi")).expect("+OK\r\n" + msg("foo", "1", null, "hi"));
        client.send("UNSUB 1\r\n").expect("+OK\r\n");
        client.send("PING\r\n").expect("PONG\r\n");
        client.send("PONG\r\n").send("PING\r\n").expect("PONG\r\n");
    }

    @Test
    void verboseAcknowledgesEveryOpInOrderWhenPipelined() {
        ProtocolClient client = open(startServer());
        client.send("CONNECT {\"verbose\":true}\r\nSUB foo 1\r\n" + pub("foo", "r", "x") + "UNSUB 1\r\n"
                + pub("foo", null, "y") + "PING\r\n");
        client.expect("+OK\r\n+OK\r\n+OK\r\n" + msg("foo", "1", "r", "x") + "+OK\r\n+OK\r\nPONG\r\n");
    }

    @Test
    void verboseFalseSendsNoOk() {
        ProtocolClient client = open(startServer());
        client.send("CONNECT {\"verbose\":false}\r\nSUB foo 1\r\n" + pub("foo", null, "hi") + "UNSUB 1\r\nPING\r\n");
        client.expect(msg("foo", "1", null, "hi") + "PONG\r\n");
    }

    @Test
    void sizeFieldsAreCopiedAsTheClientWroteThem() {
        // nats-server copies the PUB/HPUB size fields verbatim into MSG/HMSG, leading zeros included.
        ProtocolClient client = open(startServer());
        client.send("CONNECT {\"verbose\":false,\"headers\":true}\r\nSUB a 1\r\n"
                + "PUB a 005\r\nhello\r\nHPUB a 012 0014\r\nNATS/1.0\r\n\r\nxx\r\nPING\r\n");
        client.expect("MSG a 1 005\r\nhello\r\nHMSG a 1 012 0014\r\nNATS/1.0\r\n\r\nxx\r\nPONG\r\n");
    }

    @Test
    void protocolZeroAndOneAreAccepted() {
        TestServer server = startServer();
        open(server).send("CONNECT {\"verbose\":false,\"protocol\":0}\r\nPING\r\n").expect("PONG\r\n");
        open(server).send("CONNECT {\"verbose\":false,\"protocol\":1}\r\nPING\r\n").expect("PONG\r\n");
    }

    @Test
    void pingIsAnsweredBeforeConnect() {
        open(startServer()).send("PING\r\n").expect("PONG\r\n");
    }

    @Test
    void connectSentInPiecesIsAssembled() {
        TestServer server = startServer();
        ProtocolClient sync = quiet(server);
        ProtocolClient client = open(server);
        for (String piece : new String[] {"CON", "NECT {\"verb", "ose\":tr", "ue,\"pedantic\":false}", "\r", "\n"}) {
            client.send(piece);
            sync.ping();
        }
        client.expect("+OK\r\n");
        client.send("PING\r\n").expect("PONG\r\n");
    }

    // ------------------------------------------------------------------ verbs and separators (A.1)

    @Test
    void verbsAreCaseInsensitive() {
        ProtocolClient client = open(startServer(), "{\"verbose\":false,\"headers\":true}");
        client.send("sub foo 1\r\n" + pub("foo", null, "a").replace("PUB", "pub") + "ping\r\n");
        client.expect(msg("foo", "1", null, "a") + "PONG\r\n");
        client.send("Sub bar 2\r\n" + pub("bar", null, "b").replace("PUB", "PuB") + "PiNg\r\n");
        client.expect(msg("bar", "2", null, "b") + "PONG\r\n");
        client.send(hpub("foo", null, headers("K: v"), "c").replace("HPUB", "hPuB") + "pInG\r\n");
        client.expect(hmsg("foo", "1", null, headers("K: v"), "c") + "PONG\r\n");
        client.send("unsub 1\r\nUnSuB 2\r\n" + pub("foo", null, "d") + pub("bar", null, "e") + "ping\r\n");
        client.expect("PONG\r\n");
        client.send("pong\r\nconnect {\"verbose\":true}\r\nping\r\n").expect("+OK\r\nPONG\r\n");
    }

    @Test
    void tabsAndRepeatedSpacesSeparateFields() {
        ProtocolClient client = quiet(startServer());
        client.send("SUB\tfoo\t 1\r\nSUB  bar   q  2\r\n");
        client.send("PUB\tfoo\t\treply\t2\r\nhi\r\n");
        client.send("PUB   bar \t 3\r\nabc\r\nPING\r\n");
        client.expect(msg("foo", "1", "reply", "hi") + msg("bar", "2", null, "abc") + "PONG\r\n");
        client.send("UNSUB\t1\r\nUNSUB \t2\r\nPUB foo 1\r\nx\r\nPING\r\n").expect("PONG\r\n");
    }

    // ------------------------------------------------------------------ PUB / SUB / MSG framing (A.2)

    @Test
    void msgFramingWithAndWithoutReply() {
        ProtocolClient client = quiet(startServer());
        client.send("SUB foo.bar 42\r\n");
        client.send("PUB foo.bar 5\r\nhello\r\nPUB foo.bar my.reply 5\r\nworld\r\nPING\r\n");
        client.expect("MSG foo.bar 42 5\r\nhello\r\nMSG foo.bar 42 my.reply 5\r\nworld\r\nPONG\r\n");
    }

    @Test
    void zeroLengthPayloadStillEndsWithCrlf() {
        ProtocolClient client = quiet(startServer());
        client.send("SUB foo 1\r\nPUB foo 0\r\n\r\nPUB foo r 0\r\n\r\nPING\r\n");
        client.expect("MSG foo 1 0\r\n\r\nMSG foo 1 r 0\r\n\r\nPONG\r\n");
    }

    @Test
    void payloadBytesAreOpaqueIncludingCrlfAndBinary() {
        ProtocolClient client = quiet(startServer());
        String payload = "a\r\nPING\r\n\u0000\u00ff\u0080 MSG\t";
        client.send("SUB bin 1\r\n" + pub("bin", null, payload) + "PING\r\n");
        ProtocolClient.Msg m = client.readMsg();
        assertEquals("MSG bin 1 " + payload.length(), m.line());
        assertEquals(payload, m.payloadText());
        client.expect("PONG\r\n");
    }

    @Test
    void sidIsAnOpaqueToken() {
        ProtocolClient client = quiet(startServer());
        client.send("SUB foo abc.DEF-1\r\n" + pub("foo", null, "x") + "PING\r\n");
        client.expect(msg("foo", "abc.DEF-1", null, "x") + "PONG\r\n");
    }

    @Test
    void everyMatchingSubscriptionOfAConnectionGetsItsOwnMsg() {
        ProtocolClient client = quiet(startServer());
        client.send("SUB foo.bar 1\r\nSUB foo.* 2\r\nSUB > 3\r\nSUB foo.> 4\r\nSUB foo.baz 5\r\n");
        client.send(pub("foo.bar", null, "x") + "PING\r\n");
        Set<String> received = new HashSet<>();
        for (int i = 0; i < 4; i++) {
            ProtocolClient.Msg m = client.readMsg();
            assertEquals("x", m.payloadText());
            assertTrue(received.add(m.line()), "duplicate " + m.line());
        }
        assertEquals(Set.of("MSG foo.bar 1 1", "MSG foo.bar 2 1", "MSG foo.bar 3 1", "MSG foo.bar 4 1"), received);
        client.expect("PONG\r\n");
    }

    @Test
    void hpubIsDeliveredAsHmsgWithExactCounts() {
        ProtocolClient client = quietWithHeaders(startServer());
        String block = headers("A: b", "A: c", "Mixed-Case: Value");
        client.send("SUB foo.> 5\r\n" + hpub("foo.bar", "reply.x", block, "hello") + "PING\r\n");
        client.expect(hmsg("foo.bar", "5", "reply.x", block, "hello") + "PONG\r\n");
        client.send(hpub("foo.bar", null, headers(), "") + "PING\r\n");
        client.expect("HMSG foo.bar 5 12 12\r\nNATS/1.0\r\n\r\n\r\nPONG\r\n");
    }

    @Test
    void hmsgFramingParsesBackToTheSameHeadersAndPayload() {
        ProtocolClient client = quietWithHeaders(startServer());
        String block = headers("X-Id: 1");
        client.send("SUB h 9\r\n" + hpub("h", "r", block, "payload\r\nwith crlf") + "PING\r\n");
        ProtocolClient.Msg m = client.readMsg();
        assertEquals("HMSG", m.verb());
        assertEquals("r", m.reply());
        assertEquals(block, m.headersText());
        assertEquals("payload\r\nwith crlf", m.payloadText());
        client.expect("PONG\r\n");
    }

    // ------------------------------------------------------------------ UNSUB (A.2)

    @Test
    void unsubscribeStopsDelivery() {
        ProtocolClient client = quiet(startServer());
        client.send("SUB foo 1\r\n" + pub("foo", null, "a") + "UNSUB 1\r\n" + pub("foo", null, "b") + "PING\r\n");
        client.expect(msg("foo", "1", null, "a") + "PONG\r\n");
    }

    @Test
    void unsubscribeOfUnknownSidIsAcceptedWithOk() {
        ProtocolClient client = open(startServer());
        client.send("CONNECT {}\r\n").expect("+OK\r\n");
        client.send("UNSUB 99\r\nUNSUB 98 5\r\nPING\r\n").expect("+OK\r\n+OK\r\nPONG\r\n");
    }

    @Test
    void unsubscribeWithMaxIsAnAutoUnsubscribe() {
        ProtocolClient client = quiet(startServer());
        client.send("SUB foo 1\r\nUNSUB 1 2\r\n");
        client.send(pub("foo", null, "a") + pub("foo", null, "b") + pub("foo", null, "c") + "PING\r\n");
        client.expect(msg("foo", "1", null, "a") + msg("foo", "1", null, "b") + "PONG\r\n");
        client.send(pub("foo", null, "d") + "PING\r\n").expect("PONG\r\n");
    }

    @Test
    void autoUnsubscribeCountsOnlyLaterDeliveries() {
        ProtocolClient client = quiet(startServer());
        client.send("SUB foo 1\r\n" + pub("foo", null, "a") + "UNSUB 1 2\r\n");
        client.send(pub("foo", null, "b") + pub("foo", null, "c") + "PING\r\n");
        // nats-server counts the message delivered before UNSUB: max 2 allows exactly one more.
        client.expect(msg("foo", "1", null, "a") + msg("foo", "1", null, "b") + "PONG\r\n");
    }

    // ------------------------------------------------------------------ PING / PONG

    @Test
    void pingPongAndIgnoredClientPong() {
        ProtocolClient client = quiet(startServer());
        client.send("PING\r\nPING\r\n").expect("PONG\r\nPONG\r\n");
        client.send("PONG\r\nPING\r\n").expect("PONG\r\n");
    }

    @Test
    void serverSendsFirstPingSoonAfterConnect() {
        // nats-server 2.9 pings a new client about 2 s after CONNECT (RTT measurement), even with
        // the default 2 minute ping_interval.
        ProtocolClient client = quiet(startServer()).answerServerPings(false).timeout(Duration.ofSeconds(6));
        client.expect("PING\r\n");
        client.send("PONG\r\nPING\r\n").expect("PONG\r\n");
    }

    // ------------------------------------------------------------------ helpers

    static void assertField(String json, String name, String valueRegex) {
        Pattern p = Pattern.compile("[{,]\"" + Pattern.quote(name) + "\":" + valueRegex + "[,}]");
        assertTrue(p.matcher(json).find(), "INFO field " + name + " should match " + valueRegex + " in " + json);
    }

    static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(name) + "\":(\"[^\"]*\"|[^,}]*)").matcher(json);
        assertTrue(m.find(), "no field " + name + " in " + json);
        return m.group(1);
    }
}
