package io.natsee.broker.hostile;

import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.api.SilentCloseable;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.natsee.broker.Broker;
import io.natsee.broker.BrokerOptions;
import io.natsee.broker.auth.AuthOptions;
import io.natsee.broker.support.Await;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;

/**
 * Coverage-guided fuzzing of the whole client path: parser, {@code ClientConnection}, auth,
 * permissions-free routing and the outbound writer, through an in-process {@link Broker} over a
 * real socket. Each input is sent in fuzzer-chosen pieces on a new connection to one of two
 * brokers (without and with user/password auth, small limits), then the client half-closes and
 * reads until the server closes. Findings: the server logs an internal error (a
 * RuntimeException escaped the connection), sends anything but well-formed protocol lines or an
 * -ERR text nats-server does not have, does not close within a bound after the client's EOF, or
 * leaves the connection registered.
 */
class ClientConnectionFuzzTest {

    private static final String HOST = "127.0.0.1";
    private static final Set<String> ERRORS = Set.of("Authorization Violation", "Authentication Timeout",
            "Unknown Protocol Operation", "Maximum Payload Violation", "maximum control line exceeded",
            "invalid client protocol", "no responders requires headers support", "Invalid Subject",
            "Invalid Publish Subject", "maximum subscriptions exceeded", "Stale Connection");
    private static final Pattern LINE = Pattern.compile(
            "INFO \\{.*\\} ?|\\+OK|PING|PONG|-ERR '([^']*)'|MSG ([^ \\t]+) ([^ \\t]+) (?:([^ \\t]+) )?(\\d+)"
                    + "|HMSG ([^ \\t]+) ([^ \\t]+) (?:([^ \\t]+) )?(\\d+) (\\d+)");
    // Fields are split on space and tab only, as nats-server does: a sid may hold other control bytes.

    private static Broker open;
    private static Broker authenticated;
    private static final InternalErrors INTERNAL_ERRORS = new InternalErrors();

    @BeforeAll
    static void startBrokers() {
        Logger.getLogger("io.natsee.broker.server.ClientConnection").addHandler(INTERNAL_ERRORS);
        open = start(BrokerOptions.builder().maxPayload(1024).maxControlLine(256).maxSubscriptions(50));
        authenticated = start(BrokerOptions.builder().maxPayload(1024).maxControlLine(256)
                .authorization(new AuthOptions("user", "pass", null, List.of(), null, Duration.ofSeconds(2))));
    }

    private static Broker start(BrokerOptions.Builder builder) {
        Broker broker = new Broker(builder.host(HOST).port(-1).eventLoops(1).build());
        try {
            broker.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return broker;
    }

    @AfterAll
    static void closeBrokers() {
        Logger.getLogger("io.natsee.broker.server.ClientConnection").removeHandler(INTERNAL_ERRORS);
        if (open != null) {
            open.close();
        }
        if (authenticated != null) {
            authenticated.close();
        }
    }

    @FuzzTest(maxDuration = "30s")
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void clientSession(FuzzedDataProvider data) throws IOException {
        // Jazzer's SSRF detector refuses sockets unless told; only the loopback brokers are allowed.
        // Without Jazzer's agent (regression mode in some setups) there is no detector to tell.
        try (SilentCloseable loopbackOnly = allowLoopback()) {
            session(data);
        }
    }

    private static SilentCloseable allowLoopback() {
        try {
            return BugDetectors.allowNetworkConnections((host, port) -> HOST.equals(host) || "localhost".equals(host));
        } catch (IllegalStateException noAgent) {
            return () -> { };
        }
    }

    private static void session(FuzzedDataProvider data) throws IOException {
        Broker broker = data.consumeBoolean() ? authenticated : open;
        int cuts = data.consumeInt(0, 4);
        int[] cutPoints = new int[cuts];
        for (int i = 0; i < cuts; i++) {
            cutPoints[i] = data.consumeInt(0, 2048);
        }
        java.util.Arrays.sort(cutPoints);
        byte[] input = data.consumeRemainingAsBytes();
        int before = INTERNAL_ERRORS.count();
        byte[] received;
        try (Socket socket = new Socket()) {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(HOST, broker.port()), 5000);
            OutputStream out = socket.getOutputStream();
            int from = 0;
            try {
                for (int i = 0; i <= cuts; i++) {
                    int to = i < cuts ? Math.min(input.length, Math.max(from, cutPoints[i])) : input.length;
                    out.write(input, from, to - from);
                    out.flush();
                    from = to;
                }
                socket.shutdownOutput();
            } catch (IOException closedByServer) {
                // the server may close before everything was written
            }
            received = readUntilClosed(socket, Duration.ofSeconds(5));
        }
        checkReplies(received);
        if (INTERNAL_ERRORS.count() != before) {
            throw new AssertionError("the server logged an internal error: " + INTERNAL_ERRORS.last);
        }
        Await.until(Duration.ofSeconds(5), "connection unregistered", () -> broker.statistics().connections() == 0);
    }

    private static byte[] readUntilClosed(Socket socket, Duration bound) throws IOException {
        long deadline = System.nanoTime() + bound.toNanos();
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        InputStream in = socket.getInputStream();
        byte[] chunk = new byte[8192];
        while (true) {
            long remaining = (deadline - System.nanoTime()) / 1_000_000;
            if (remaining <= 0) {
                throw new AssertionError("the server did not close within " + bound.toMillis()
                        + " ms of the client's EOF; received " + received.size() + " bytes");
            }
            socket.setSoTimeout((int) remaining);
            int n;
            try {
                n = in.read(chunk);
            } catch (SocketTimeoutException e) {
                continue;
            } catch (SocketException reset) {
                return received.toByteArray();
            }
            if (n < 0) {
                return received.toByteArray();
            }
            received.write(chunk, 0, n);
        }
    }

    /** Every complete line is a protocol line we may send; MSG payloads are skipped by their size. */
    private static void checkReplies(byte[] received) {
        String text = new String(received, StandardCharsets.ISO_8859_1);
        int at = 0;
        boolean first = true;
        while (at < text.length()) {
            int end = text.indexOf("\r\n", at);
            if (end < 0) {
                return; // cut by a reset
            }
            String line = text.substring(at, end);
            Matcher m = LINE.matcher(line);
            if (!m.matches() || (first && !line.startsWith("INFO {"))) {
                throw new AssertionError("unexpected line from the server: '" + line + "'");
            }
            first = false;
            at = end + 2;
            if (m.group(1) != null && !ERRORS.contains(m.group(1))
                    && !m.group(1).startsWith("Permissions Violation")) {
                throw new AssertionError("unknown -ERR text: '" + m.group(1) + "'");
            }
            String size = m.group(5) != null ? m.group(5) : m.group(10);
            if (size != null) {
                at += Integer.parseInt(size) + 2;
            }
        }
    }

    /** Counts ERROR records of the connection's logger: "internal error on ..., closing it". */
    private static final class InternalErrors extends Handler {
        private final java.util.concurrent.atomic.AtomicInteger count = new java.util.concurrent.atomic.AtomicInteger();
        volatile String last;

        int count() {
            return count.get();
        }

        @Override
        public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.SEVERE.intValue()) {
                last = record.getMessage() + (record.getThrown() == null ? "" : ": " + record.getThrown());
                count.incrementAndGet();
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }
}
