package io.natsee.broker.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.natsee.broker.Broker;
import io.natsee.broker.BrokerOptions;
import io.natsee.broker.support.Await;
import io.natsee.broker.support.ReferenceServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The protocol trace ({@code -DV}, {@code max_traced_msg_len}) against Debian's nats-server
 * 2.9.10 run with the same flags: one scripted client session on each, and the {@code [TRC]}
 * lines compared one by one after the address and cid (which differ by nature). The only
 * intended difference is the {@code auth_token} value, which we redact and 2.9.10 does not.
 */
@Timeout(60)
class ProtocolTraceReferenceTest {

    private static final String HOST = "127.0.0.1";
    private static final int MAX_TRACED = 5;
    /** {@code <address>:<port> - cid:<n> - } at the start of every connection's line. */
    private static final Pattern CONNECTION = Pattern.compile("^\\S+:\\d+ - cid:\\d+ - ");

    private static final String CONNECT = "{\"verbose\":true,\"pedantic\":false,\"user\":\"u\",\"pass\":\"secretpw\","
            + "\"auth_token\":\"tok123\",\"name\":\"app\",\"lang\":\"java\",\"version\":\"2.1\",\"protocol\":1,"
            + "\"headers\":true}";
    private static final String SESSION = "CONNECT " + CONNECT + "\r\n"
            + "SUB foo 1\r\n"
            + "SUB bar q 2\r\n"
            + "PUB foo 11\r\nhello world\r\n"
            + "PUB foo reply 3\r\nabc\r\n"
            + "HPUB foo 12 23\r\nNATS/1.0\r\n\r\nhello world\r\n"
            + "PUB foo 4\r\na\r\nb\r\n"
            + "PUB foo 7\r\nxy\r\nzzz\r\n"
            + "PUB foo 6\r\n\u00e9\u00e9\u00e9\r\n"
            + "PUB bar 0\r\n\r\n"
            + "UNSUB 2\r\n"
            + "UNSUB 1 100\r\n"
            + "PING\r\n";
    /** A client without a name, passwords the pattern finds oddly, and an operation that closes it. */
    private static final String FAILING_SESSION = "CONNECT {\"verbose\":false,\"lang\":\"java\",\"version\":\"2.1\","
            + "\"protocol\":1,\"pass\":\"p\\\"x\",\"password\":\"zz\"}\r\n"
            + "SUB foo 1\r\n"
            + "PUB foo 2\r\n\u0001\u007f\r\n"
            + "FOO\r\n";

    private final Logger natsee = Logger.getLogger("io.natsee");
    private final List<String> records = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (record.getLevel().intValue() < Level.FINE.intValue()) {
                records.add(record.getMessage());
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private Level previousLevel;

    @BeforeEach
    void captureLogs() {
        previousLevel = natsee.getLevel();
        natsee.setLevel(Level.ALL);
        capture.setLevel(Level.ALL);
        natsee.addHandler(capture);
    }

    @AfterEach
    void restoreLogs() {
        natsee.removeHandler(capture);
        natsee.setLevel(previousLevel);
    }

    @Test
    void traceLinesMatchNatsServer() throws Exception {
        List<String> ours = natseeTrace(SESSION, "PONG\r\n");
        List<String> reference = referenceTrace(SESSION, "PONG\r\n");
        List<String> expected = new ArrayList<>();
        for (String line : reference) {
            expected.add(line.replace("\"auth_token\":\"tok123\"", "\"auth_token\":\"[REDACTED]\""));
        }
        assertTrue(expected.get(0).contains("\"pass\":\"[REDACTED]\""), expected.get(0));
        assertEquals(String.join("\n", expected), String.join("\n", ours));
    }

    @Test
    void errorsAndOddPasswordsMatchNatsServer() throws Exception {
        String end = "-ERR 'Unknown Protocol Operation'\r\n";
        List<String> ours = natseeTrace(FAILING_SESSION, end);
        List<String> reference = referenceTrace(FAILING_SESSION, end);
        assertTrue(reference.get(0).contains("\"pass\":\"[REDACTED]\"x\""), reference.get(0));
        assertEquals(String.join("\n", reference), String.join("\n", ours));
    }

    private List<String> natseeTrace(String session, String end) throws Exception {
        BrokerOptions options = BrokerOptions.builder().host(HOST).port(-1).trace(true)
                .maxTracedMsgLen(MAX_TRACED).build();
        try (Broker broker = new Broker(options)) {
            broker.start();
            runSession(broker.port(), session, end);
            return collect(() -> List.copyOf(records));
        }
    }

    private List<String> referenceTrace(String session, String end) throws Exception {
        Path binary = ReferenceServer.binary().orElse(null);
        Assumptions.assumeTrue(binary != null, "nats-server is not installed");
        Path log = Files.createTempFile("nats-trace-", ".log");
        int port = freePort();
        Process process = new ProcessBuilder(binary.toString(), "-a", HOST, "-p", Integer.toString(port), "-DV",
                "--max_traced_msg_len", Integer.toString(MAX_TRACED))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            Await.until(Duration.ofSeconds(10), "nats-server to start",
                    () -> !process.isAlive() || read(log).contains("Server is ready"));
            runSession(port, session, end);
            return collect(() -> {
                List<String> lines = new ArrayList<>();
                for (String line : read(log).split("\n")) {
                    int tag = line.indexOf("[TRC] ");
                    if (tag >= 0) {
                        lines.add(line.substring(tag + 6));
                    }
                }
                return lines;
            });
        } finally {
            process.destroy();
            process.waitFor();
            Files.deleteIfExists(log);
        }
    }

    /** Waits for the session's last line (the DELSUB at close), then strips the connection prefix. */
    private static List<String> collect(Supplier<List<String>> lines) {
        Await.until(Duration.ofSeconds(10), "the trace of the closed connection",
                () -> lines.get().stream().anyMatch(line -> line.endsWith("<-> [DELSUB 1]")));
        List<String> stripped = new ArrayList<>();
        for (String line : lines.get()) {
            Matcher matcher = CONNECTION.matcher(line);
            if (matcher.find()) {
                stripped.add(line.substring(matcher.end()));
            }
        }
        return stripped;
    }

    /** Sends the session, waits for the line that ends it, and closes the socket. */
    private static void runSession(int port, String session, String end) throws IOException {
        try (Socket socket = new Socket(HOST, port)) {
            socket.setSoTimeout(10_000);
            InputStream in = socket.getInputStream();
            readUntil(in, "\r\n");
            socket.getOutputStream().write(session.getBytes(StandardCharsets.UTF_8));
            readUntil(in, end);
        }
    }

    private static void readUntil(InputStream in, String end) throws IOException {
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        while (!seen.toString(StandardCharsets.ISO_8859_1).endsWith(end)) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed before " + end + ": " + seen);
            }
            seen.write(b);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        }
    }
}
