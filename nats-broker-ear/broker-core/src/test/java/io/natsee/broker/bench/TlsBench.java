package io.natsee.broker.bench;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * A TLS load generator comparing two NATS servers that both require TLS (not a unit test; the
 * name keeps surefire away). Only JDK classes, so it runs as a single source file:
 * {@code java TlsBench.java --a-port P --b-port Q --ca ca.pem [--pairs N] [--seconds S]
 * [--workloads pubsub:16,pubsub:1024,pub:16]}. {@code bench/tls-compare.sh} starts the servers.
 *
 * <p>The client is the JDK's {@link SSLSocket} with TLS 1.3 and TLS_AES_128_GCM_SHA256 forced:
 * left alone the JDK prefers AES-256, which a BoringSSL server follows and Go's does not, so the
 * two servers would otherwise be measured with different ciphers. Connections are made and the
 * handshake is done before the clock starts. For each workload: a warm-up on A and on B, then
 * {@code pairs} measurements alternating A, B; the ratio is the median of B/A per pair (the
 * machine's background load changes second by second; a pair sees nearly the same load).
 *
 * <ul>
 * <li>{@code pub:SIZE}: one publisher, no subscriber; timed until the server answers a final PING.</li>
 * <li>{@code pubsub:SIZE}: one publisher, one subscriber on another connection; the publisher
 * stays within 8 MiB / 200k messages of what the subscriber has received; every message is
 * checked (count, size, and the 8-byte sequence number at the payload's start, in order).</li>
 * </ul>
 * Everything is bounded: each phase stops after its duration, and reads time out after 10 s.
 */
public final class TlsBench {

    private static final String SUITE = "TLS_AES_128_GCM_SHA256";
    private static final long WINDOW_BYTES = 8L << 20;
    private static final long WINDOW_MSGS = 200_000;
    private static final int READ_TIMEOUT_MS = 10_000;

    private final String host;
    private final SSLContext context;
    private final double seconds;
    private int phase;

    private TlsBench(String host, SSLContext context, double seconds) {
        this.host = host;
        this.context = context;
        this.seconds = seconds;
    }

    public static void main(String[] args) throws Exception {
        String host = "127.0.0.1";
        int portA = 0;
        int portB = 0;
        String nameA = "A";
        String nameB = "B";
        Path ca = null;
        int pairs = 5;
        double seconds = 1.0;
        String workloads = "pubsub:16,pubsub:1024,pub:16";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--host" -> host = args[++i];
                case "--a-port" -> portA = Integer.parseInt(args[++i]);
                case "--b-port" -> portB = Integer.parseInt(args[++i]);
                case "--a-name" -> nameA = args[++i];
                case "--b-name" -> nameB = args[++i];
                case "--ca" -> ca = Path.of(args[++i]);
                case "--pairs" -> pairs = Integer.parseInt(args[++i]);
                case "--seconds" -> seconds = Double.parseDouble(args[++i]);
                case "--workloads" -> workloads = args[++i];
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (portA == 0 || portB == 0 || ca == null) {
            System.err.println("usage: TlsBench --a-port P --b-port Q --ca ca.pem [--a-name N] [--b-name N]"
                    + " [--pairs N] [--seconds S] [--workloads pubsub:16,pubsub:1024,pub:16]");
            System.exit(2);
        }
        TlsBench bench = new TlsBench(host, context(ca), seconds);
        boolean failed = false;
        System.out.printf(Locale.ROOT, "%-14s %14s %14s %8s   (median msgs/s, %d pairs of %.2f s, %s)%n",
                "workload", nameA, nameB, nameB + "/" + nameA, pairs, seconds, SUITE);
        for (String spec : workloads.split(",")) {
            String[] parts = spec.trim().split(":");
            String kind = parts[0];
            int size = Integer.parseInt(parts[1]);
            try {
                bench.run(kind, size, portA);  // warm-ups
                bench.run(kind, size, portB);
                double[] a = new double[pairs];
                double[] b = new double[pairs];
                double[] ratios = new double[pairs];
                for (int p = 0; p < pairs; p++) {
                    a[p] = bench.run(kind, size, portA);
                    b[p] = bench.run(kind, size, portB);
                    ratios[p] = b[p] / a[p];
                }
                System.out.printf(Locale.ROOT, "%-14s %14.0f %14.0f %8.2f   pairs: %s%n", spec, median(a), median(b),
                        median(ratios), describe(ratios));
            } catch (Exception | AssertionError e) {
                failed = true;
                System.out.printf(Locale.ROOT, "%-14s FAILED: %s%n", spec, e);
            }
        }
        System.exit(failed ? 1 : 0);
    }

    private double run(String kind, int size, int port) throws Exception {
        return switch (kind) {
            case "pub" -> pub(size, port);
            case "pubsub" -> pubsub(size, port);
            default -> throw new IllegalArgumentException("unknown workload " + kind);
        };
    }

    // ------------------------------------------------------------------ workloads

    private double pub(int size, int port) throws Exception {
        String subject = "tlsbench.pub." + (++phase);
        try (Conn publisher = new Conn(port)) {
            publisher.handshakeAndConnect();
            Frame frame = new Frame(subject, size);
            long deadline = System.nanoTime() + (long) (seconds * 1e9);
            long start = System.nanoTime();
            long sent = 0;
            while ((sent & 255) != 0 || System.nanoTime() < deadline) {
                publisher.out.write(frame.next(sent++));
            }
            publisher.out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            publisher.out.flush();
            publisher.expectPong();
            return sent / ((System.nanoTime() - start) / 1e9);
        }
    }

    private double pubsub(int size, int port) throws Exception {
        String subject = "tlsbench.pubsub." + (++phase);
        try (Conn subscriber = new Conn(port); Conn publisher = new Conn(port)) {
            subscriber.handshakeAndConnect();
            subscriber.out.write(("SUB " + subject + " 1\r\nPING\r\n").getBytes(StandardCharsets.US_ASCII));
            subscriber.out.flush();
            subscriber.expectPong();
            publisher.handshakeAndConnect();
            AtomicLong received = new AtomicLong();
            AtomicLong sentCount = new AtomicLong(-1);
            Throwable[] readerFailure = new Throwable[1];
            Thread reader = new Thread(() -> {
                try {
                    subscriber.readMessages(size, received, sentCount);
                } catch (Throwable t) {
                    readerFailure[0] = t;
                }
            }, "tlsbench-subscriber");
            reader.setDaemon(true);
            Frame frame = new Frame(subject, size);
            long frameBytes = frame.length();
            long deadline = System.nanoTime() + (long) (seconds * 1e9);
            long start = System.nanoTime();
            reader.start();
            long sent = 0;
            while ((sent & 255) != 0 || System.nanoTime() < deadline) {
                if ((sent & 255) == 0) {
                    while (true) {
                        long ahead = sent - received.get();
                        if (ahead < WINDOW_MSGS && ahead * frameBytes < WINDOW_BYTES) {
                            break;
                        }
                        publisher.out.flush();
                        if (readerFailure[0] != null || !reader.isAlive()) {
                            throw new AssertionError("subscriber stopped", readerFailure[0]);
                        }
                        Thread.onSpinWait();
                    }
                }
                publisher.out.write(frame.next(sent++));
            }
            publisher.out.flush();
            sentCount.set(sent);
            // wakes the reader if it already has everything and sits in a read (it skips the PONG)
            subscriber.out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            subscriber.out.flush();
            reader.join(READ_TIMEOUT_MS + 5_000L);
            if (readerFailure[0] != null) {
                throw new AssertionError("subscriber failed after " + received.get() + " of " + sent, readerFailure[0]);
            }
            if (received.get() != sent) {
                throw new AssertionError("received " + received.get() + " of " + sent);
            }
            return sent / ((System.nanoTime() - start) / 1e9);
        }
    }

    // ------------------------------------------------------------------ plumbing

    /** A pre-encoded {@code PUB} frame whose payload starts with the message's sequence number. */
    private static final class Frame {
        private final byte[] bytes;
        private final int sequenceAt;

        Frame(String subject, int size) {
            byte[] head = ("PUB " + subject + " " + size + "\r\n").getBytes(StandardCharsets.US_ASCII);
            bytes = new byte[head.length + size + 2];
            System.arraycopy(head, 0, bytes, 0, head.length);
            for (int i = 0; i < size; i++) {
                bytes[head.length + i] = (byte) ('a' + i % 26);
            }
            bytes[bytes.length - 2] = '\r';
            bytes[bytes.length - 1] = '\n';
            sequenceAt = size >= 8 ? head.length : -1;
        }

        byte[] next(long sequence) {
            if (sequenceAt >= 0) {
                for (int i = 0; i < 8; i++) {
                    bytes[sequenceAt + i] = (byte) (sequence >>> (56 - 8 * i));
                }
            }
            return bytes;
        }

        int length() {
            return bytes.length;
        }
    }

    private final class Conn implements AutoCloseable {
        private final Socket plain;
        private SSLSocket tls;
        private InputStream in;
        OutputStream out;
        private final byte[] buffer = new byte[256 * 1024];
        private int start;
        private int end;

        Conn(int port) throws IOException {
            plain = new Socket();
            plain.setTcpNoDelay(true);
            plain.connect(new InetSocketAddress(host, port), READ_TIMEOUT_MS);
            plain.setSoTimeout(READ_TIMEOUT_MS);
        }

        /** Plain INFO, the TLS handshake with the forced suite, then CONNECT. */
        void handshakeAndConnect() throws IOException {
            InputStream raw = plain.getInputStream();
            ByteArrayOutputStream info = new ByteArrayOutputStream();
            int previous = -1;
            for (int b; (b = raw.read()) >= 0; previous = b) {
                info.write(b);
                if (previous == '\r' && b == '\n') {
                    break;
                }
            }
            if (!info.toString(StandardCharsets.US_ASCII).startsWith("INFO ")) {
                throw new IOException("no INFO: " + info.toString(StandardCharsets.US_ASCII));
            }
            tls = (SSLSocket) context.getSocketFactory().createSocket(plain, host, plain.getPort(), true);
            SSLParameters parameters = tls.getSSLParameters();
            parameters.setProtocols(new String[] {"TLSv1.3"});
            parameters.setCipherSuites(new String[] {SUITE});
            tls.setSSLParameters(parameters);
            tls.setUseClientMode(true);
            tls.setSoTimeout(READ_TIMEOUT_MS);
            tls.startHandshake();
            if (!SUITE.equals(tls.getSession().getCipherSuite())) {
                throw new IOException("negotiated " + tls.getSession().getCipherSuite());
            }
            in = tls.getInputStream();
            out = new BufferedOutputStream(tls.getOutputStream(), 64 * 1024);
            out.write("CONNECT {\"verbose\":false,\"pedantic\":false,\"headers\":false}\r\nPING\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            expectPong();
        }

        void expectPong() throws IOException {
            String line = readLine();
            if (!"PONG".equals(line)) {
                throw new IOException("expected PONG, got " + line);
            }
        }

        private boolean fill() throws IOException {
            if (start > 0 && start == end) {
                start = 0;
                end = 0;
            } else if (end == buffer.length) {
                System.arraycopy(buffer, start, buffer, 0, end - start);
                end -= start;
                start = 0;
            }
            int n = in.read(buffer, end, buffer.length - end);
            if (n < 0) {
                return false;
            }
            end += n;
            return true;
        }

        String readLine() throws IOException {
            while (true) {
                for (int i = start; i + 1 < end; i++) {
                    if (buffer[i] == '\r' && buffer[i + 1] == '\n') {
                        String line = new String(buffer, start, i - start, StandardCharsets.US_ASCII);
                        start = i + 2;
                        return line;
                    }
                }
                if (!fill()) {
                    throw new IOException("closed by the server");
                }
            }
        }

        /** Reads MSG frames, checking size and sequence, until {@code sentCount} (once set) have come. */
        void readMessages(int size, AtomicLong received, AtomicLong sentCount) throws IOException {
            long count = 0;
            while (true) {
                long target = sentCount.get();
                if (target >= 0 && count >= target) {
                    return;
                }
                String line = readLine();
                if (line.startsWith("PING") || line.startsWith("PONG")) {
                    continue;
                }
                if (!line.startsWith("MSG ")) {
                    throw new IOException("unexpected " + line);
                }
                int length = Integer.parseInt(line.substring(line.lastIndexOf(' ') + 1));
                if (length != size) {
                    throw new IOException("size " + length + " in " + line);
                }
                while (end - start < length + 2) {
                    if (!fill()) {
                        throw new IOException("closed by the server");
                    }
                }
                if (size >= 8) {
                    long sequence = 0;
                    for (int i = 0; i < 8; i++) {
                        sequence = sequence << 8 | (buffer[start + i] & 0xff);
                    }
                    if (sequence != count) {
                        throw new IOException("message " + count + " arrived as " + sequence);
                    }
                }
                start += length + 2;
                received.set(++count);
            }
        }

        @Override
        public void close() {
            try {
                if (tls != null) {
                    tls.close();
                }
                plain.close();
            } catch (IOException ignored) {
                // benchmark connection
            }
        }
    }

    private static SSLContext context(Path caFile) throws Exception {
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(caFile)) {
            int i = 0;
            for (var certificate : factory.generateCertificates(in)) {
                trust.setCertificateEntry("ca" + i++, (X509Certificate) certificate);
            }
        }
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trust);
        SSLContext context = SSLContext.getInstance("TLSv1.3");
        context.init(null, trustManagers.getTrustManagers(), null);
        return context;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static String describe(double[] ratios) {
        List<String> text = new ArrayList<>();
        for (double ratio : ratios) {
            text.add(String.format(Locale.ROOT, "%.2f", ratio));
        }
        return String.join(" ", text);
    }
}
