package io.natsee.broker.blackbox;

import static io.natsee.broker.support.Frames.headers;
import static io.natsee.broker.support.Frames.hmsg;
import static io.natsee.broker.support.Frames.hpub;
import static io.natsee.broker.support.Frames.msg;
import static io.natsee.broker.support.Frames.pub;

import org.junit.jupiter.api.Test;

import io.natsee.broker.support.ProtocolClient;
import io.natsee.broker.support.ServerTestBase;
import io.natsee.broker.support.TestServer;

/**
 * Frames that reach the server in several TCP segments, cut at awkward places. Between two pieces
 * another connection completes a PING round trip, so the server has read the first piece on its
 * own before the next arrives.
 */
public abstract class SplitWritesContract extends ServerTestBase {

    private TestServer server;
    private ProtocolClient sync;

    private ProtocolClient subscriberOf(String subject, String sid, boolean headers) {
        if (server == null) {
            server = startServer();
            sync = quiet(server);
        }
        ProtocolClient client = headers ? quietWithHeaders(server) : quiet(server);
        client.send("SUB " + subject + " " + sid + "\r\nPING\r\n").expect("PONG\r\n");
        return client;
    }

    private void sendInPieces(ProtocolClient client, String... pieces) {
        for (String piece : pieces) {
            client.send(piece);
            sync.ping();
        }
    }

    @Test
    void splitInsideTheVerb() {
        ProtocolClient client = subscriberOf("foo", "1", false);
        sendInPieces(client, "P", "U", "B foo 2\r\nhi\r\n");
        client.expect(msg("foo", "1", null, "hi"));
        sendInPieces(client, "PI", "NG\r\n");
        client.expect("PONG\r\n");
    }

    @Test
    void splitInsideTheSubjectAndTheReply() {
        ProtocolClient client = subscriberOf("foo.bar", "1", false);
        sendInPieces(client, "PUB fo", "o.b", "ar rep", "ly 2\r\nhi\r\n");
        client.expect(msg("foo.bar", "1", "reply", "hi"));
    }

    @Test
    void splitInsideTheSize() {
        ProtocolClient client = subscriberOf("foo", "1", false);
        sendInPieces(client, "PUB foo 1", "2\r\nhello world!\r\n");
        client.expect(msg("foo", "1", null, "hello world!"));
    }

    @Test
    void splitInsideThePayload() {
        ProtocolClient client = subscriberOf("foo", "1", false);
        sendInPieces(client, "PUB foo 12\r\nhel", "lo\r\n", "worl", "d\r\n");
        client.expect(msg("foo", "1", null, "hello\r\nworld"));
    }

    @Test
    void splitBetweenCrAndLf() {
        ProtocolClient client = subscriberOf("foo", "1", false);
        sendInPieces(client, "PUB foo 2\r", "\nhi\r", "\nPING\r", "\n");
        client.expect(msg("foo", "1", null, "hi") + "PONG\r\n");
    }

    @Test
    void splitInsideSubAndUnsub() {
        ProtocolClient client = subscriberOf("unused", "0", false);
        sendInPieces(client, "SU", "B ba", "r 4", "2\r", "\n");
        sendInPieces(client, pub("bar", null, "x"));
        client.expect(msg("bar", "42", null, "x"));
        sendInPieces(client, "UNS", "UB 4", "2\r", "\n" + pub("bar", null, "y") + "PING\r\n");
        client.expect("PONG\r\n");
    }

    @Test
    void splitInsideHpubHeaders() {
        ProtocolClient client = subscriberOf("h", "1", true);
        String frame = hpub("h", "r", headers("Key: value"), "body");
        int headerStart = frame.indexOf("NATS/1.0");
        sendInPieces(client, frame.substring(0, 3), frame.substring(3, headerStart + 4),
                frame.substring(headerStart + 4, headerStart + 17), frame.substring(headerStart + 17));
        client.expect(hmsg("h", "1", "r", headers("Key: value"), "body"));
    }

    @Test
    void everySplitPointOfAPubFrame() {
        ProtocolClient client = subscriberOf("a.b", "7", false);
        String frame = pub("a.b", "rep", "x\r\ny");
        for (int cut = 1; cut < frame.length(); cut++) {
            sendInPieces(client, frame.substring(0, cut), frame.substring(cut));
            client.expect(msg("a.b", "7", "rep", "x\r\ny"));
        }
    }

    @Test
    void everySplitPointOfAnHpubFrame() {
        ProtocolClient client = subscriberOf("a.b", "7", true);
        String frame = hpub("a.b", null, headers("K: v"), "pl");
        for (int cut = 1; cut < frame.length(); cut++) {
            sendInPieces(client, frame.substring(0, cut), frame.substring(cut));
            client.expect(hmsg("a.b", "7", null, headers("K: v"), "pl"));
        }
    }

    @Test
    void oneByteAtATime() {
        ProtocolClient client = subscriberOf("slow.bytes", "3", false);
        String frames = pub("slow.bytes", null, "drip") + "PING\r\n";
        for (int i = 0; i < frames.length(); i++) {
            client.send(frames.substring(i, i + 1));
        }
        client.expect(msg("slow.bytes", "3", null, "drip") + "PONG\r\n");
    }

    @Test
    void manyFramesInOneWrite() {
        ProtocolClient client = subscriberOf("burst", "1", false);
        StringBuilder frames = new StringBuilder();
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 500; i++) {
            frames.append(pub("burst", null, "m" + i));
            expected.append(msg("burst", "1", null, "m" + i));
        }
        client.send(frames + "PING\r\n");
        client.expect(expected + "PONG\r\n");
    }

    @Test
    void largePayloadAcrossManySegments() {
        ProtocolClient client = subscriberOf("large", "1", false);
        String payload = "0123456789".repeat(50_000);
        client.send(pub("large", null, payload) + "PING\r\n");
        ProtocolClient.Msg m = client.readMsg();
        org.junit.jupiter.api.Assertions.assertEquals(payload, m.payloadText());
        client.expect("PONG\r\n");
    }
}
