package io.natsee.broker.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.natsee.broker.Broker;
import io.natsee.broker.BrokerOptions;
import io.natsee.broker.support.TraceCapture;
import java.io.InputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Redaction, Go quoting and the payload cut, by example; and no trace line at all while tracing is off. */
@Timeout(30)
class ProtocolTraceTest {

    @Test
    void passwordIsRedactedAsNatsServerDoes() {
        assertEquals("{\"user\":\"u\",\"pass\":\"[REDACTED]\",\"name\":\"n\"}",
                ConnectRedaction.redact("{\"user\":\"u\",\"pass\":\"s3cret\",\"name\":\"n\"}"));
        // Only the first pass... key: nats-server 2.9 stops after one.
        assertEquals("{\"password\":\"[REDACTED]\",\"pass\":\"two\"}",
                ConnectRedaction.redact("{\"password\":\"one\",\"pass\":\"two\"}"));
        // Spaces around the colon, as a hand-written CONNECT may have them.
        assertEquals("{\"pass\" : \"[REDACTED]\"}", ConnectRedaction.redact("{\"pass\" : \"abc\"}"));
        assertEquals("{\"user\":\"u\"}", ConnectRedaction.redact("{\"user\":\"u\"}"));
    }

    @Test
    void tokenIsRedactedToo() {
        assertEquals("{\"auth_token\":\"[REDACTED]\",\"pass\":\"[REDACTED]\"}",
                ConnectRedaction.redact("{\"auth_token\":\"t0k\",\"pass\":\"pw\"}"));
    }

    @Test
    void payloadsAreGoQuotedAndCut() {
        assertEquals("[\"hello world\"]", payload("hello world", 0));
        assertEquals("[\"hello...\"]", payload("hello world", 5));
        assertEquals("[\"hello\"]", payload("hello", 5));
        assertEquals("[\"tab\\there \\\"q\\\" \\\\ \\x00\\x7f\"]", payload("tab\there \"q\" \\ \u0000\u007f", 0));
        assertEquals("[\"\u00e9\u20ac\"]", payload("\u00e9\u20ac", 0));
        // Invalid UTF-8 (a lone continuation byte) as a hex byte, an unprintable character as its code.
        assertEquals("[\"\\x80\"]", quoted(new byte[] {(byte) 0x80}, 0));
        assertEquals("[\"\\u200b\"]", payload("\u200b", 0));
    }

    @Test
    void nothingIsTracedWhileTracingIsOff() throws Exception {
        try (TraceCapture capture = TraceCapture.start();
             Broker broker = new Broker(BrokerOptions.builder().host("127.0.0.1").port(-1).build());
             Socket socket = new Socket()) {
            List<String> traced = capture.lines();
            broker.start();
            socket.connect(new java.net.InetSocketAddress("127.0.0.1", broker.port()));
            socket.getOutputStream().write("CONNECT {\"verbose\":false}\r\nSUB a 1\r\nPUB a 1\r\nx\r\nPING\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            StringBuilder seen = new StringBuilder();
            socket.setSoTimeout(5000);
            while (!seen.toString().endsWith("PONG\r\n")) {
                seen.append((char) in.read());
            }
            assertTrue(seen.toString().contains("MSG a 1 1\r\nx\r\n"), seen.toString());
            assertEquals(List.of(), traced);
        }
    }

    @Test
    void aReloadSwitchesTraceOnForNewConnections() throws Exception {
        BrokerOptions off = BrokerOptions.builder().host("127.0.0.1").port(-1).build();
        try (TraceCapture capture = TraceCapture.start(); Broker broker = new Broker(off)) {
            List<String> traced = capture.lines();
            broker.start();
            pingPong(broker.port());
            assertEquals(List.of(), traced);
            broker.reload(off.toBuilder().trace(true).build());
            pingPong(broker.port());
            io.natsee.broker.support.Await.until(java.time.Duration.ofSeconds(5), "the traced PING",
                    () -> traced.stream().anyMatch(line -> line.endsWith(" - <<- [PING]")));
            assertTrue(traced.stream().anyMatch(line -> line.endsWith(" - ->> [PONG]")), traced.toString());
        }
    }

    @Test
    void aReloadSwitchesTraceForOpenConnectionsToo() throws Exception {
        BrokerOptions off = BrokerOptions.builder().host("127.0.0.1").port(-1).build();
        try (TraceCapture capture = TraceCapture.start(); Broker broker = new Broker(off);
             io.natsee.broker.support.ProtocolClient client = openClient(broker)) {
            List<String> traced = capture.lines();
            client.send("PUB before 1\r\nx\r\nPING\r\n").expect("PONG\r\n");
            assertEquals(List.of(), traced);

            broker.reload(off.toBuilder().trace(true).build());
            client.send("PUB traced 1\r\ny\r\nPING\r\n").expect("PONG\r\n");
            io.natsee.broker.support.Await.until(java.time.Duration.ofSeconds(5), "the traced PONG",
                    () -> traced.stream().anyMatch(line -> line.endsWith(" - ->> [PONG]")));
            assertTrue(traced.stream().anyMatch(line -> line.endsWith(" - <<- [PUB traced 1]")), traced.toString());

            broker.reload(off);
            client.send("PUB after 1\r\nz\r\nPING\r\n").expect("PONG\r\n");
            client.send("PING\r\n").expect("PONG\r\n");
            assertTrue(traced.stream().noneMatch(line -> line.contains("after")), traced.toString());
            assertEquals(1, traced.stream().filter(line -> line.endsWith(" - ->> [PONG]")).count(), traced.toString());
        }
    }

    private static io.natsee.broker.support.ProtocolClient openClient(Broker broker) throws Exception {
        broker.start();
        io.natsee.broker.support.ProtocolClient client =
                io.natsee.broker.support.ProtocolClient.openRaw("127.0.0.1", broker.port());
        client.readInfo();
        client.send("CONNECT {\"verbose\":false}\r\nPING\r\n").expect("PONG\r\n");
        return client;
    }

    private static void pingPong(int port) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write("CONNECT {\"verbose\":false}\r\nPING\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            StringBuilder seen = new StringBuilder();
            while (!seen.toString().endsWith("PONG\r\n")) {
                int b = in.read();
                if (b < 0) {
                    throw new java.io.IOException("closed: " + seen);
                }
                seen.append((char) b);
            }
        }
    }

    private static String payload(String text, int max) {
        return quoted(text.getBytes(StandardCharsets.UTF_8), max);
    }

    private static String quoted(byte[] bytes, int max) {
        return ProtocolTrace.payloadText(ByteBuffer.wrap(bytes), 0, bytes.length, max);
    }
}
