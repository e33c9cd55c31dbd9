package io.natsee.broker.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Subscription;
import io.natsee.broker.Broker;
import io.natsee.broker.BrokerOptions;
import io.natsee.broker.auth.AuthOptions;
import io.natsee.broker.support.Await;
import io.natsee.broker.support.ProtocolClient;
import io.natsee.broker.tls.TlsOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile input on the client port of our in-process broker, with authentication required:
 * floods before CONNECT, oversized control lines and payloads, half-open connections, a TLS
 * handshake that never ends, clients that never send CONNECT, and thousands of connections opened
 * and dropped. After each case a well-behaved client still publishes and receives within a bound,
 * every connection is gone, and the used heap (after forced collections) is back near where it
 * was before the case.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HostileInputTest {

    private static final String HOST = "127.0.0.1";
    private static final String USER = "user";
    private static final String PASSWORD = "pass";
    private static final String GOOD_CONNECT = "CONNECT {\"verbose\":false,\"user\":\"" + USER + "\",\"pass\":\""
            + PASSWORD + "\"}\r\n";
    private static final String AUTH_VIOLATION = "-ERR 'Authorization Violation'\r\n";
    private static final String AUTH_TIMEOUT = "-ERR 'Authentication Timeout'\r\n";
    /** How long a well-behaved client may take for one round trip while the server is under attack. */
    private static final Duration SERVICE_BOUND = Duration.ofSeconds(5);
    /** How much more heap than before a case may stay used after it; generous, GC is not exact. */
    private static final long HEAP_MARGIN = 48L * 1024 * 1024;
    private static final List<String> HEAP_REPORT = new ArrayList<>();

    private Broker broker;
    private long heapBefore;
    /** Set when the broker requires TLS: well-behaved clients then use it. */
    private javax.net.ssl.SSLContext clientTls;

    // ---------------------------------------------------------------- setup and after-case checks

    /** Starts a broker on 127.0.0.1 that requires user and password, and measures the heap. */
    private Broker start(Duration authTimeout) {
        return start(BrokerOptions.builder(), authTimeout);
    }

    private Broker start(BrokerOptions.Builder builder, Duration authTimeout) {
        builder.host(HOST)
                .port(-1)
                .eventLoops(Integer.getInteger("natsee.test.eventLoops", 1))
                .authorization(new AuthOptions(USER, PASSWORD, null, List.of(), null, authTimeout));
        broker = new Broker(builder.build());
        try {
            broker.start();
        } catch (IOException | RuntimeException e) {
            broker.close();
            broker = null;
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
        // Warm up the well-behaved paths so that their classes and buffers are in the baseline.
        assertWellBehavedClientsServed();
        Await.until(SERVICE_BOUND, "no connections before the case", () -> broker.statistics().connections() == 0);
        heapBefore = settledHeap();
        return broker;
    }

    @AfterEach
    void serverStillServesAndHeapIsBack(TestInfo test) {
        if (broker == null) {
            return;
        }
        try {
            assertWellBehavedClientsServed();
            Await.until(Duration.ofSeconds(10), "the connection count back to 0 (now "
                    + broker.statistics().connections() + ")", () -> broker.statistics().connections() == 0);
            long[] after = new long[1];
            long limit = heapBefore + HEAP_MARGIN;
            try {
                Await.until(Duration.ofSeconds(15), "used heap back under " + mb(limit), () -> {
                    after[0] = settledHeap();
                    return after[0] <= limit;
                });
            } finally {
                String line = String.format("%-45s heap before %7s after %7s (limit %s)",
                        test.getTestMethod().map(m -> m.getName()).orElse("?"), mb(heapBefore), mb(after[0]), mb(limit));
                synchronized (HEAP_REPORT) {
                    HEAP_REPORT.add(line);
                }
                System.out.println("[hostile] " + line);
            }
        } finally {
            broker.close();
            broker = null;
        }
    }

    @AfterAll
    static void printHeapReport() {
        HEAP_REPORT.forEach(line -> System.out.println("[hostile] " + line));
    }

    /** A jnats client and a raw-socket client both do pub/sub within {@link #SERVICE_BOUND}. */
    private void assertWellBehavedClientsServed() {
        long started = System.nanoTime();
        io.nats.client.Options options = new io.nats.client.Options.Builder()
                .server("nats://" + HOST + ":" + broker.port())
                .userInfo(USER, PASSWORD)
                .connectionTimeout(SERVICE_BOUND)
                .maxReconnects(0)
                .sslContext(clientTls)
                .build();
        try (Connection connection = Nats.connect(options)) {
            Subscription subscription = connection.subscribe("hostile.check");
            connection.flush(SERVICE_BOUND);
            connection.publish("hostile.check", "hello".getBytes(StandardCharsets.US_ASCII));
            Message message = subscription.nextMessage(SERVICE_BOUND);
            assertNotNull(message, "the jnats client got no message within " + SERVICE_BOUND);
            assertEquals("hello", new String(message.getData(), StandardCharsets.US_ASCII));
        } catch (IOException | java.util.concurrent.TimeoutException e) {
            throw new AssertionError("the jnats client was not served: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        if (clientTls != null) {
            return; // the raw client speaks plain TCP only
        }
        try (ProtocolClient raw = ProtocolClient.openRaw(HOST, broker.port()).timeout(SERVICE_BOUND)) {
            raw.readInfo();
            raw.send(GOOD_CONNECT + "SUB raw.check 1\r\nPUB raw.check 2\r\nhi\r\nPING\r\n");
            raw.expect("MSG raw.check 1 2\r\nhi\r\n");
            raw.expect("PONG\r\n");
        }
        assertTrue(System.nanoTime() - started < 2 * SERVICE_BOUND.toNanos(), "well-behaved clients were slow");
    }

    private static long settledHeap() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static String mb(long bytes) {
        return String.format("%.1f MB", bytes / (1024.0 * 1024.0));
    }

    private ProtocolClient openWithInfo() {
        ProtocolClient client = ProtocolClient.openRaw(HOST, broker.port()).timeout(SERVICE_BOUND);
        client.readInfo();
        return client;
    }

    // ---------------------------------------------------------------- floods before CONNECT

    /** One operation before CONNECT: exactly INFO, the violation and the close. */
    @Test
    void everyOperationBeforeConnectIsAnAuthorizationViolation() {
        start(Duration.ofSeconds(10));
        for (String operation : List.of("PUB foo 2\r\nhi\r\n", "HPUB foo 12 14\r\nNATS/1.0\r\n\r\nhi\r\n",
                "SUB foo 1\r\n", "SUB foo q 1\r\n", "UNSUB 1\r\n", "PING\r\n", "PONG\r\n", "-ERR 'x'\r\n")) {
            try (ProtocolClient client = openWithInfo().timeout(Duration.ofSeconds(2))) {
                client.answerServerPings(false);
                client.send(operation);
                long started = System.nanoTime();
                client.expect(AUTH_VIOLATION);
                client.expectClosed();
                assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(2),
                        "slow violation for " + ProtocolClient.escape(operation));
            }
        }
    }

    /**
     * nats-server refuses any verb but CONNECT at its first byte when auth is required, INFO and
     * +OK included; see the report of this test.
     */
    @Test
    void infoAndOkBeforeConnectAreAuthorizationViolations() {
        start(Duration.ofSeconds(10));
        for (String operation : List.of("INFO {}\r\n", "+OK\r\n")) {
            try (ProtocolClient client = openWithInfo().timeout(Duration.ofSeconds(2))) {
                client.send(operation);
                client.expect(AUTH_VIOLATION);
                client.expectClosed();
            }
        }
    }

    /**
     * Floods of each operation from many connections at once, each a few hundred KB in one
     * write: every connection is closed within a second or two (far sooner than the auth
     * timeout), and nothing but INFO and the violation ever comes back.
     */
    @Test
    void unauthenticatedFloodsAreClosedQuickly() throws Exception {
        start(Duration.ofSeconds(30));
        List<String> operations = List.of("PUB foo 2\r\nhi\r\n", "SUB foo 1\r\n", "PING\r\n", "UNSUB 1\r\n",
                "HPUB foo 12 14\r\nNATS/1.0\r\n\r\nhi\r\n", "PONG\r\n");
        int perOperation = 25;
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        for (String operation : operations) {
            byte[] flood = operation.repeat(Math.max(1, 256 * 1024 / operation.length())).getBytes(StandardCharsets.ISO_8859_1);
            for (int i = 0; i < perOperation; i++) {
                Thread thread = new Thread(() -> {
                    try {
                        floodAndExpectViolation(flood, Duration.ofSeconds(3));
                    } catch (Throwable t) {
                        failures.add(new AssertionError(ProtocolClient.escape(operation) + ": " + t.getMessage(), t));
                    }
                }, "flood");
                threads.add(thread);
                thread.start();
            }
        }
        // Served while the floods run.
        assertWellBehavedClientsServed();
        for (Thread thread : threads) {
            thread.join(TimeUnit.SECONDS.toMillis(20));
            assertFalse(thread.isAlive(), "a flooding client is stuck");
        }
        if (!failures.isEmpty()) {
            AssertionError error = new AssertionError(failures.size() + " flooding clients failed; first: "
                    + failures.get(0).getMessage());
            failures.forEach(error::addSuppressed);
            throw error;
        }
    }

    /**
     * Writes the flood while reading: the server must close within {@code bound}, and what it
     * sent must be INFO then, if anything (a reset can swallow it), the violation.
     */
    private void floodAndExpectViolation(byte[] flood, Duration bound) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(HOST, broker.port()), 5000);
            long started = System.nanoTime();
            Thread writer = new Thread(() -> {
                try {
                    OutputStream out = socket.getOutputStream();
                    for (int offset = 0; offset < flood.length; offset += 16 * 1024) {
                        out.write(flood, offset, Math.min(16 * 1024, flood.length - offset));
                    }
                    out.flush();
                } catch (IOException expectedOnceClosed) {
                    // the server closed the connection under the flood
                }
            }, "flood-writer");
            writer.setDaemon(true);
            writer.start();
            byte[] received = readUntilClosed(socket, bound);
            long tookNanos = System.nanoTime() - started;
            String text = new String(received, StandardCharsets.ISO_8859_1);
            assertTrue(text.startsWith("INFO {"), "no INFO: " + ProtocolClient.escape(text));
            String rest = text.substring(text.indexOf("\r\n") + 2);
            assertTrue(rest.isEmpty() || rest.equals(AUTH_VIOLATION), "unexpected reply: " + ProtocolClient.escape(rest));
            assertTrue(tookNanos < bound.toNanos(), "closed after " + tookNanos / 1_000_000 + " ms");
        }
    }

    /** Reads everything until EOF or reset; fails if the connection is still open after {@code bound}. */
    private static byte[] readUntilClosed(Socket socket, Duration bound) throws IOException {
        long deadline = System.nanoTime() + bound.toNanos();
        java.io.ByteArrayOutputStream received = new java.io.ByteArrayOutputStream();
        InputStream in = socket.getInputStream();
        byte[] chunk = new byte[8192];
        while (true) {
            long remaining = (deadline - System.nanoTime()) / 1_000_000;
            if (remaining <= 0) {
                throw new AssertionError("still open after " + bound.toMillis() + " ms; received '"
                        + ProtocolClient.escape(received.toString(StandardCharsets.ISO_8859_1)) + "'");
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

    // ---------------------------------------------------------------- oversized lines and payloads

    /**
     * A control line that never ends, sent 1 KB at a time, authenticated or not: closed with
     * 'maximum control line exceeded' as soon as it passes 4096 bytes, not after what was sent.
     */
    @Test
    void endlessControlLineIsClosedAtTheLimit() {
        start(Duration.ofSeconds(10));
        byte[] piece = "a".repeat(1024).getBytes(StandardCharsets.ISO_8859_1);
        for (String prefix : List.of(GOOD_CONNECT + "PUB ", GOOD_CONNECT + "SUB ", GOOD_CONNECT + "CONNECT ")) {
            try (ProtocolClient client = openWithInfo().timeout(Duration.ofSeconds(3))) {
                client.send(prefix);
                int sent = 0;
                while (sent < 1024 * 1024 && client.trySend(piece)) {
                    sent += piece.length;
                    if (sent > 64 * 1024) {
                        break; // far past the limit: what follows must be the error
                    }
                }
                client.expect("-ERR 'maximum control line exceeded'\r\n");
                client.expectClosed();
            }
        }
    }

    /**
     * Payload sizes above max_payload are refused on the control line, before any payload byte is
     * read, even when the size is declared in pieces and the payload then trickles in.
     */
    @Test
    void oversizedPayloadIsRefusedOnTheControlLine() {
        start(Duration.ofSeconds(10));
        for (String size : List.of("1048577", "999999999")) {
            try (ProtocolClient client = openWithInfo().timeout(Duration.ofSeconds(3))) {
                client.send(GOOD_CONNECT);
                client.send("PUB foo ");
                client.send(size.substring(0, 3));
                client.send(size.substring(3) + "\r");
                client.send("\n");
                client.trySend("x".repeat(1000).getBytes(StandardCharsets.ISO_8859_1));
                client.expect("-ERR 'Maximum Payload Violation'\r\n");
                client.expectClosed();
            }
        }
        // Ten digits and more do not parse as a size at all: closed without -ERR, as nats-server does.
        try (ProtocolClient client = openWithInfo().timeout(Duration.ofSeconds(3))) {
            client.send(GOOD_CONNECT + "PUB foo 99999999999\r\n");
            client.expectClosed();
        }
    }

    /**
     * Many authenticated clients each declare a payload just under max_payload and send only part
     * of it: the server keeps what was sent (as nats-server does, it sizes the copy by the
     * declaration), serves others, and releases it all when they go.
     */
    @Test
    void manyPartialMaximumPayloadsAreReleased() {
        start(Duration.ofSeconds(10));
        List<ProtocolClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 40; i++) {
                ProtocolClient client = openWithInfo();
                client.send(GOOD_CONNECT + "PING\r\n");
                client.expect("PONG\r\n");
                client.send("PUB foo 1048576\r\n" + "y".repeat(4096));
                clients.add(client);
            }
            assertWellBehavedClientsServed();
        } finally {
            clients.forEach(ProtocolClient::close);
        }
    }

    /**
     * An unauthenticated client declares the maximum payload and sends one byte of it. nats-server
     * refuses the PUB at its first byte; we wait for the payload, so every such connection holds
     * max_payload bytes of heap until the auth timeout: a 20-byte request buys a 1 MB allocation.
     */
    @Test
    void unauthenticatedPartialPayloadIsRefusedAtOnce() {
        start(Duration.ofSeconds(30));
        try (ProtocolClient client = openWithInfo().timeout(Duration.ofSeconds(2))) {
            client.send("PUB foo 1048576\r\nx");
            client.expect(AUTH_VIOLATION);
            client.expectClosed();
        }
    }

    // ---------------------------------------------------------------- half-open connections

    /**
     * Clients that send half an operation and stop: the server keeps serving others; the
     * authenticated ones stay until they go (nats-server also waits, for the keep-alive), the
     * unauthenticated ones are closed by the auth timeout.
     */
    @Test
    void halfOpenConnectionsDoNotBlockOthers() {
        Duration authTimeout = Duration.ofSeconds(1);
        start(authTimeout);
        List<ProtocolClient> authenticated = new ArrayList<>();
        List<ProtocolClient> unauthenticated = new ArrayList<>();
        try {
            for (int i = 0; i < 50; i++) {
                ProtocolClient client = openWithInfo();
                client.send(GOOD_CONNECT + "PING\r\n");
                client.expect("PONG\r\n");
                client.send(i % 2 == 0 ? "PUB foo 10\r\nhel" : "SUB foo.ba");
                authenticated.add(client);
                ProtocolClient stranger = openWithInfo();
                stranger.send(i % 2 == 0 ? "CONNECT {\"user\":\"us" : "CONN");
                unauthenticated.add(stranger);
            }
            assertWellBehavedClientsServed();
            long started = System.nanoTime();
            for (ProtocolClient stranger : unauthenticated) {
                stranger.timeout(Duration.ofSeconds(3)).answerServerPings(false);
                stranger.expect(AUTH_TIMEOUT);
                stranger.expectClosed();
            }
            assertTrue(System.nanoTime() - started < authTimeout.plusSeconds(3).toNanos(), "auth timeouts were late");
            Await.until(SERVICE_BOUND, "only the authenticated half-open clients left",
                    () -> broker.statistics().connections() == authenticated.size());
            assertWellBehavedClientsServed();
        } finally {
            authenticated.forEach(ProtocolClient::close);
            unauthenticated.forEach(ProtocolClient::close);
        }
    }

    // ---------------------------------------------------------------- never CONNECT

    /** Clients that read INFO and say nothing: each gets the auth timeout error and is closed, on time. */
    @Test
    void silentClientsGetTheAuthenticationTimeout() {
        Duration authTimeout = Duration.ofSeconds(1);
        start(authTimeout);
        List<ProtocolClient> clients = new ArrayList<>();
        try {
            long opened = System.nanoTime();
            for (int i = 0; i < 200; i++) {
                clients.add(openWithInfo().timeout(Duration.ofSeconds(4)).answerServerPings(false));
            }
            for (ProtocolClient client : clients) {
                client.expect(AUTH_TIMEOUT);
                client.expectClosed();
            }
            long took = System.nanoTime() - opened;
            assertTrue(took >= authTimeout.toNanos() - TimeUnit.MILLISECONDS.toNanos(100), "closed too early");
            assertTrue(took < authTimeout.plusSeconds(3).toNanos(), "closed too late: " + took / 1_000_000 + " ms");
        } finally {
            clients.forEach(ProtocolClient::close);
        }
    }

    // ---------------------------------------------------------------- TLS handshake that never ends

    /**
     * With TLS configured (once the TLS work is on main), a client that reads INFO, sends the
     * first bytes of a ClientHello and stops is closed by the handshake timeout. Without TLS the
     * same bytes on the plain port are refused at once.
     */
    @Test
    void unfinishedTlsHandshakeIsClosed(@TempDir Path directory) throws Exception {
        // A TLS 1.2 record header announcing a 512-byte ClientHello, and 6 bytes of it.
        byte[] partialHello = {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, (byte) 0xfc, 0x03, 0x03};
        boolean tls = tlsAvailable();
        Duration handshakeTimeout = Duration.ofMillis(500);
        if (tls) {
            SelfSignedCertificate.Files files = SelfSignedCertificate.write(directory);
            clientTls = files.clientContext();
            start(BrokerOptions.builder().tls(new TlsOptions(files.certFile(), files.keyFile(), null, false, false,
                    handshakeTimeout, List.of())), Duration.ofSeconds(30));
        } else {
            start(Duration.ofSeconds(30));
        }
        List<Socket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < 50; i++) {
                Socket socket = new Socket();
                socket.connect(new InetSocketAddress(HOST, broker.port()), 5000);
                sockets.add(socket);
                readLine(socket); // INFO, plain in 2.9 before the handshake
                socket.getOutputStream().write(i % 5 == 0 ? new byte[0] : partialHello);
                socket.getOutputStream().flush();
            }
            if (tls) {
                assertEquals(sockets.size(), broker.statistics().connections(), "handshakes pending");
            }
            long started = System.nanoTime();
            for (Socket socket : sockets) {
                // A silent socket on the plain port waits for the auth timeout (30 s): not this case.
                if (!tls && sockets.indexOf(socket) % 5 == 0) {
                    continue;
                }
                readUntilClosed(socket, Duration.ofSeconds(3));
            }
            assertTrue(System.nanoTime() - started < handshakeTimeout.plusSeconds(3).toNanos(), "closed late");
        } finally {
            for (Socket socket : sockets) {
                socket.close();
            }
        }
    }

    private static boolean tlsAvailable() {
        try {
            Class.forName("io.natsee.broker.tls.TlsSettings");
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    private static String readLine(Socket socket) throws IOException {
        socket.setSoTimeout(5000);
        InputStream in = socket.getInputStream();
        StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            line.append((char) b);
        }
        assertTrue(line.toString().startsWith("INFO {"), "no INFO: " + line);
        return line.toString();
    }

    // ---------------------------------------------------------------- connection churn

    /**
     * Thousands of connections opened and dropped, in batches, some reading INFO and closing,
     * some reset (linger 0), some closing before the server wrote: the connection count returns
     * to 0 and the process's file descriptors to where they were.
     */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void thousandsOfConnectionsOpenedAndDropped() throws Exception {
        start(Duration.ofSeconds(10));
        long fdsBefore = openFileDescriptors();
        int total = 3000;
        int batch = 250;
        long started = System.nanoTime();
        for (int done = 0; done < total; done += batch) {
            List<Socket> sockets = new ArrayList<>(batch);
            for (int i = 0; i < batch; i++) {
                Socket socket = new Socket();
                socket.connect(new InetSocketAddress(HOST, broker.port()), 5000);
                sockets.add(socket);
            }
            for (int i = 0; i < sockets.size(); i++) {
                Socket socket = sockets.get(i);
                switch (i % 3) {
                    case 0 -> {
                        readLine(socket);
                        socket.close();
                    }
                    case 1 -> {
                        socket.setSoLinger(true, 0);
                        socket.close(); // reset
                    }
                    default -> socket.close();
                }
            }
        }
        long tookMillis = (System.nanoTime() - started) / 1_000_000;
        Await.until(Duration.ofSeconds(20), "all churned connections closed",
                () -> broker.statistics().connections() == 0);
        assertTrue(broker.statistics().totalConnections() >= total, "not every connection was accepted");
        if (fdsBefore >= 0) {
            Await.until(Duration.ofSeconds(20), "file descriptors released",
                    () -> openFileDescriptors() <= fdsBefore + 32);
        }
        System.out.println("[hostile] churn: " + total + " connections in " + tookMillis + " ms; fds before "
                + fdsBefore + ", after " + openFileDescriptors());
    }

    /** The number of open file descriptors of this process (Linux), or -1 when unknown. */
    private static long openFileDescriptors() {
        Path fds = Path.of("/proc/self/fd");
        if (!Files.isDirectory(fds)) {
            return -1;
        }
        try (var stream = Files.list(fds)) {
            return stream.count();
        } catch (IOException e) {
            return -1;
        }
    }

    /** Stress: 20,000 connections; tagged so that the default build stays fast. */
    @Test
    @Tag("stress")
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void tensOfThousandsOfConnectionsOpenedAndDropped() throws Exception {
        start(Duration.ofSeconds(10));
        for (int done = 0; done < 20_000; done += 500) {
            List<Socket> sockets = new ArrayList<>(500);
            for (int i = 0; i < 500; i++) {
                Socket socket = new Socket();
                socket.connect(new InetSocketAddress(HOST, broker.port()), 5000);
                sockets.add(socket);
            }
            for (Socket socket : sockets) {
                socket.setSoLinger(true, 0);
                socket.close();
            }
        }
        Await.until(Duration.ofSeconds(60), "all churned connections closed",
                () -> broker.statistics().connections() == 0);
    }
}
