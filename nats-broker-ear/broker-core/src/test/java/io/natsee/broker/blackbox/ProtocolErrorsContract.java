package io.natsee.broker.blackbox;

import static io.natsee.broker.support.Frames.hpub;
import static io.natsee.broker.support.Frames.headers;
import static io.natsee.broker.support.Frames.msg;
import static io.natsee.broker.support.Frames.pub;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import io.natsee.broker.support.Await;
import io.natsee.broker.support.ProtocolClient;
import io.natsee.broker.support.ServerTestBase;
import io.natsee.broker.support.TestServer;

/**
 * Reference section A.5: every -ERR text byte for byte, which errors close the connection, which
 * keep it, and the closes that send nothing at all.
 */
public abstract class ProtocolErrorsContract extends ServerTestBase {

    // ------------------------------------------------------------------ closing errors

    @Test
    void unknownVerbIsUnknownProtocolOperationAndCloses() {
        ProtocolClient client = quiet(startServer());
        client.send("FOO BAR\r\n");
        client.expect("-ERR 'Unknown Protocol Operation'\r\n");
        client.expectClosed();
    }

    @Test
    void verbWithoutArgumentsIsUnknownProtocolOperation() {
        TestServer server = startServer();
        ProtocolClient pubClient = quiet(server);
        pubClient.send("PUB\r\n").expect("-ERR 'Unknown Protocol Operation'\r\n");
        pubClient.expectClosed();
        ProtocolClient unsubClient = quiet(server);
        unsubClient.send("UNSUB\r\n").expect("-ERR 'Unknown Protocol Operation'\r\n");
        unsubClient.expectClosed();
    }

    @Test
    void payloadNotFollowedByCrlfIsUnknownProtocolOperation() {
        TestServer server = startServer();
        ProtocolClient extraByte = quiet(server);
        extraByte.send("PUB foo 2\r\nhiX\r\n").expect("-ERR 'Unknown Protocol Operation'\r\n");
        extraByte.expectClosed();
        ProtocolClient bareLf = quiet(server);
        bareLf.send("PUB foo 2\r\nhi\n").expect("-ERR 'Unknown Protocol Operation'\r\n");
        bareLf.expectClosed();
    }

    @Test
    void payloadOverMaxPayloadIsRejectedOnTheControlLineAndCloses() {
        TestServer server = startServer(TestServer.Options.defaults().withMaxPayload(16));
        ProtocolClient client = quiet(server);
        String exactly16 = "0123456789abcdef";
        client.send("SUB foo 1\r\n" + pub("foo", null, exactly16) + "PING\r\n");
        client.expect(msg("foo", "1", null, exactly16) + "PONG\r\n");
        // No payload follows: the size on the control line is enough to refuse it.
        client.send("PUB foo 17\r\n");
        client.expect("-ERR 'Maximum Payload Violation'\r\n");
        client.expectClosed();
    }

    @Test
    void hpubTotalOverMaxPayloadIsAViolation() {
        TestServer server = startServer(TestServer.Options.defaults().withMaxPayload(16));
        ProtocolClient client = quietWithHeaders(server);
        client.send("HPUB foo 12 17\r\n");
        client.expect("-ERR 'Maximum Payload Violation'\r\n");
        client.expectClosed();
    }

    @Test
    void controlLineLimitCountsTheArgumentsAfterTheVerb() {
        // max_control_line 64: the 64 argument bytes after "SUB " pass, 65 are refused.
        TestServer server = startServer(TestServer.Options.defaults().withMaxControlLine(64));
        ProtocolClient ok = quiet(server);
        ok.send("SUB " + "a".repeat(62) + " 1\r\nPING\r\n").expect("PONG\r\n");
        ProtocolClient over = quiet(server);
        over.send("SUB " + "a".repeat(63) + " 1\r\n");
        over.expect("-ERR 'maximum control line exceeded'\r\n");
        over.expectClosed();
    }

    @Test
    void controlLineLimitAppliesBeforeTheLineEnds() {
        TestServer server = startServer(TestServer.Options.defaults().withMaxControlLine(64));
        ProtocolClient client = quiet(server);
        client.send("SUB " + "a".repeat(200));
        client.expect("-ERR 'maximum control line exceeded'\r\n");
        client.expectClosed();
    }

    @Test
    void controlLineLimitAppliesAcrossSplitReads() {
        TestServer server = startServer(TestServer.Options.defaults().withMaxControlLine(64));
        ProtocolClient sync = quiet(server);
        ProtocolClient client = quiet(server);
        client.send("SUB " + "a".repeat(59));
        sync.ping();
        client.send("a".repeat(5) + " 1\r\n");
        client.expect("-ERR 'maximum control line exceeded'\r\n");
        client.expectClosed();
    }

    @Test
    void connectionOverMaxConnectionsGetsInfoThenErrorAndClose() {
        TestServer server = startServer(TestServer.Options.defaults().withMaxConnections(2));
        ProtocolClient first = quiet(server);
        quiet(server);
        ProtocolClient third = track(ProtocolClient.openRaw(server.host(), server.port()));
        third.readInfo();
        third.expect("-ERR 'maximum connections exceeded'\r\n");
        third.expectClosed();

        first.close();
        Await.until(Duration.ofSeconds(10), "a slot to free up after a client left", () -> {
            try (ProtocolClient next = ProtocolClient.open(server)) {
                next.send("CONNECT {\"verbose\":false}\r\nPING\r\n");
                String line = next.readLine();
                return line.equals("PONG");
            } catch (AssertionError e) {
                return false;
            }
        });
    }

    @Test
    void invalidClientProtocolCloses() {
        TestServer server = startServer();
        for (String protocol : new String[] {"2", "-1"}) {
            ProtocolClient client = open(server);
            client.send("CONNECT {\"verbose\":false,\"protocol\":" + protocol + "}\r\n");
            client.expect("-ERR 'invalid client protocol'\r\n");
            client.expectClosed();
        }
    }

    @Test
    void noRespondersWithoutHeadersCloses() {
        ProtocolClient client = open(startServer());
        client.send("CONNECT {\"verbose\":false,\"no_responders\":true}\r\n");
        client.expect("-ERR 'no responders requires headers support'\r\n");
        client.expectClosed();
    }

    @Test
    void staleConnectionAfterPingMaxUnansweredPings() {
        TestServer server = startServer(TestServer.Options.defaults()
                .withPingInterval(Duration.ofSeconds(1)).withPingMax(2));
        ProtocolClient client = quiet(server).answerServerPings(false).timeout(Duration.ofSeconds(6));
        client.expect("PING\r\n");
        client.expect("PING\r\n");
        client.expect("-ERR 'Stale Connection'\r\n");
        client.expectClosed();
    }

    @Test
    void answeredPingsKeepTheConnection() {
        TestServer server = startServer(TestServer.Options.defaults()
                .withPingInterval(Duration.ofSeconds(1)).withPingMax(2));
        ProtocolClient client = quiet(server).answerServerPings(false).timeout(Duration.ofSeconds(6));
        for (int i = 0; i < 4; i++) {
            client.expect("PING\r\n");
            client.send("PONG\r\n");
        }
        client.ping();
    }

    // ------------------------------------------------------------------ silent closes

    @Test
    void pubWithNonNumericSizeClosesSilently() {
        ProtocolClient client = quiet(startServer());
        client.send("PUB x abc\r\n");
        client.expectClosed();
    }

    @Test
    void subWithTooManyArgumentsClosesSilently() {
        ProtocolClient client = quiet(startServer());
        client.send("SUB a q1 q2 5\r\n");
        client.expectClosed();
    }

    @Test
    void subAndPubWithTooFewArgumentsCloseSilently() {
        TestServer server = startServer();
        ProtocolClient sub = quiet(server);
        sub.send("SUB foo\r\n");
        sub.expectClosed();
        ProtocolClient pub = quiet(server);
        pub.send("PUB foo\r\n");
        pub.expectClosed();
    }

    @Test
    void hpubWithoutHeadersSupportClosesSilently() {
        ProtocolClient client = quiet(startServer());
        client.send(hpub("foo", null, headers(), "hi"));
        client.expectClosed();
    }

    @Test
    void malformedConnectClosesSilently() {
        TestServer server = startServer();
        ProtocolClient badJson = open(server);
        badJson.send("CONNECT {\"verbose\":false\r\n");
        badJson.expectClosed();
        ProtocolClient noJson = open(server);
        noJson.send("CONNECT\r\n");
        noJson.expectClosed();
    }

    @Test
    void slowConsumerIsClosedSilentlyAndOthersAreStillServed() {
        TestServer server = startServer(TestServer.Options.defaults()
                .withMaxPending(64 * 1024).withMaxPayload(64 * 1024));
        ProtocolClient slow = track(ProtocolClient.openRaw(server.host(), server.port(), 4096));
        slow.readInfo();
        slow.send("CONNECT {\"verbose\":false}\r\nSUB big 1\r\nPING\r\n").expect("PONG\r\n");
        ProtocolClient publisher = quiet(server);

        String frame = pub("big", null, "x".repeat(32 * 1024));
        String batch = frame.repeat(32);
        long published = 0;
        for (int i = 0; i < 32; i++) {
            publisher.send(batch);
            publisher.ping();
            published += 32L * 32 * 1024;
        }

        AtomicBoolean sawError = new AtomicBoolean();
        byte[] tail = new byte[0];
        final byte[][] carry = {tail};
        long received = slow.drainUntilClosed(Duration.ofSeconds(15), chunk -> {
            byte[] joined = Arrays.copyOf(carry[0], carry[0].length + chunk.length);
            System.arraycopy(chunk, 0, joined, carry[0].length, chunk.length);
            if (new String(joined, StandardCharsets.ISO_8859_1).contains("-ERR")) {
                sawError.set(true);
            }
            carry[0] = Arrays.copyOfRange(joined, Math.max(0, joined.length - 8), joined.length);
        });
        assertTrue(received < published, "the slow consumer should have lost messages: " + received + " of "
                + published + " bytes arrived");
        assertFalse(sawError.get(), "nats-server 2.9 closes a slow consumer without any -ERR");

        publisher.ping();
        ProtocolClient other = quiet(server);
        other.send("SUB big 2\r\nPING\r\n").expect("PONG\r\n");
        publisher.send(pub("big", null, "still here"));
        other.expect(msg("big", "2", null, "still here"));
    }

    // ------------------------------------------------------------------ errors that keep the connection

    @Test
    void maxSubscriptionsExceededKeepsTheConnection() {
        TestServer server = startServer(TestServer.Options.defaults().withMaxSubscriptions(3));
        ProtocolClient client = open(server);
        client.send("CONNECT {}\r\nSUB a 1\r\nSUB b 2\r\nSUB c 3\r\nSUB d 4\r\nPING\r\n");
        client.expect("+OK\r\n+OK\r\n+OK\r\n+OK\r\n-ERR 'maximum subscriptions exceeded'\r\nPONG\r\n");
        client.send(pub("c", null, "1") + pub("d", null, "2") + "PING\r\n");
        client.expect("+OK\r\n" + msg("c", "3", null, "1") + "+OK\r\nPONG\r\n");
        client.send("UNSUB 1\r\nSUB e 5\r\nPING\r\n").expect("+OK\r\n+OK\r\nPONG\r\n");
    }
}
