package io.natsee.broker.bench;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A load generator for a message crossing one route (not a unit test; the name keeps surefire
 * away): a raw-protocol publisher on server A, a raw subscriber on server B of the same cluster,
 * for two clusters (pairs of servers) measured in interleaved A/B runs. Only JDK classes, so it
 * runs as a single source file:
 * {@code java ClusterBench.java --a-pub P --a-sub Q --b-pub R --b-sub S [--pairs N] [--seconds T] [--warmup T] [--sizes 16,1024]}.
 * Prints per size the median msgs/s of each cluster and the median of the paired ratios b/a.
 * With {@code --join-pub P --join-sub Q [--since EPOCH_MILLIS]} it instead prints the
 * milliseconds from {@code since} (default: now) until a message published on P reaches a
 * subscriber on Q (a node that is joining).
 */
public final class ClusterBench {

    private static final byte[] CRLF = {'\r', '\n'};

    private ClusterBench() {
    }

    public static void main(String[] args) throws Exception {
        java.util.Map<String, String> options = new java.util.HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        if (options.containsKey("join-pub")) {
            join(Integer.parseInt(options.get("join-pub")), Integer.parseInt(options.get("join-sub")),
                    Double.parseDouble(options.getOrDefault("timeout", "30")),
                    Long.parseLong(options.getOrDefault("since", Long.toString(System.currentTimeMillis()))));
            return;
        }
        int aPub = Integer.parseInt(options.get("a-pub"));
        int aSub = Integer.parseInt(options.get("a-sub"));
        int bPub = Integer.parseInt(options.get("b-pub"));
        int bSub = Integer.parseInt(options.get("b-sub"));
        String aName = options.getOrDefault("a-name", "nats-server");
        String bName = options.getOrDefault("b-name", "natsee");
        int pairs = Integer.parseInt(options.getOrDefault("pairs", "5"));
        double seconds = Double.parseDouble(options.getOrDefault("seconds", "1.5"));
        double warmup = Double.parseDouble(options.getOrDefault("warmup", "3"));
        int[] sizes = Arrays.stream(options.getOrDefault("sizes", "16,1024").split(",")).mapToInt(Integer::parseInt).toArray();
        System.out.printf(Locale.ROOT, "%-26s %14s %14s %8s%n", "workload (pub A -> sub B)", aName, bName, "ratio");
        for (int size : sizes) {
            // Warm-up, not measured: each side runs the workload first (a JVM compiles its route
            // path meanwhile; Go needs none), so that the pairs compare steady states.
            run(aPub, aSub, size, warmup);
            run(bPub, bSub, size, warmup);
            List<Double> aRates = new ArrayList<>();
            List<Double> bRates = new ArrayList<>();
            List<Double> ratios = new ArrayList<>();
            for (int pair = 0; pair < pairs; pair++) {
                double a = run(aPub, aSub, size, seconds);
                double b = run(bPub, bSub, size, seconds);
                aRates.add(a);
                bRates.add(b);
                ratios.add(b / a);
            }
            System.out.printf(Locale.ROOT, "%-26s %14.0f %14.0f %8.2f%n", "route pubsub " + size + " B",
                    median(aRates), median(bRates), median(ratios));
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static Socket connect(int port) throws IOException {
        Socket socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(15000);
        readLine(socket.getInputStream()); // INFO
        OutputStream out = socket.getOutputStream();
        out.write("CONNECT {\"verbose\":false,\"pedantic\":false,\"headers\":false}\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return socket;
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            if (b != '\r') {
                line.append((char) b);
            }
        }
        if (b < 0) {
            throw new IOException("connection closed");
        }
        return line.toString();
    }

    /** Sends PING and reads to the PONG (skipping MSGs of the probe subject). */
    private static void ping(Socket socket) throws IOException {
        socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        while (!readLine(socket.getInputStream()).equals("PONG")) {
            // skip
        }
    }

    /** Publishes on {@code pubPort} for {@code seconds}; returns msgs/s received on {@code subPort}. */
    static double run(int pubPort, int subPort, int size, double seconds) throws Exception {
        String subject = "bench." + System.nanoTime();
        try (Socket subscriber = connect(subPort); Socket publisher = connect(pubPort)) {
            OutputStream subOut = subscriber.getOutputStream();
            subOut.write(("SUB " + subject + " 1\r\n").getBytes(StandardCharsets.US_ASCII));
            ping(subscriber);
            awaitInterest(publisher, subscriber, subject);
            byte[] message = message(subject, size);
            int perMessage = ("MSG " + subject + " 1 " + size + "\r\n").length() + size + 2;
            AtomicLong received = new AtomicLong();
            AtomicLong lastAt = new AtomicLong();
            Thread reader = new Thread(() -> {
                byte[] buffer = new byte[256 * 1024];
                long bytes = 0;
                try {
                    InputStream in = subscriber.getInputStream();
                    int n;
                    while ((n = in.read(buffer)) > 0) {
                        bytes += n;
                        received.set(bytes / perMessage);
                        lastAt.set(System.nanoTime());
                    }
                } catch (IOException e) {
                    // closed at the end of the run
                }
            });
            reader.setDaemon(true);
            reader.start();
            OutputStream out = new BufferedOutputStream(publisher.getOutputStream(), 64 * 1024);
            long start = System.nanoTime();
            long stop = start + (long) (seconds * 1e9);
            long sent = 0;
            while (System.nanoTime() < stop) {
                for (int i = 0; i < 256; i++) {
                    out.write(message);
                }
                sent += 256;
                // Stay within what the subscriber side keeps up with: no more than 4 MiB in flight.
                while ((sent - received.get()) * perMessage > 4L * 1024 * 1024 && System.nanoTime() < stop + 10_000_000_000L) {
                    out.flush();
                    Thread.onSpinWait();
                }
            }
            out.flush();
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (received.get() < sent && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            long got = received.get();
            if (got < sent) {
                System.err.printf(Locale.ROOT, "  warning: %d of %d messages arrived on port %d%n", got, sent, subPort);
            }
            subscriber.close();
            return got / ((lastAt.get() - start) / 1e9);
        }
    }

    private static byte[] message(String subject, int size) {
        byte[] head = ("PUB " + subject + " " + size + "\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] message = new byte[head.length + size + 2];
        System.arraycopy(head, 0, message, 0, head.length);
        Arrays.fill(message, head.length, head.length + size, (byte) 'x');
        System.arraycopy(CRLF, 0, message, head.length + size, 2);
        return message;
    }

    /** Publishes probes on another subject until the subscriber's interest crossed the route. */
    private static void awaitInterest(Socket publisher, Socket subscriber, String subject) throws IOException {
        String probe = subject + ".probe";
        subscriber.getOutputStream().write(("SUB " + probe + " 2\r\n").getBytes(StandardCharsets.US_ASCII));
        ping(subscriber);
        subscriber.setSoTimeout(100);
        long deadline = System.nanoTime() + 20_000_000_000L;
        try {
            while (true) {
                publisher.getOutputStream().write(("PUB " + probe + " 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                publisher.getOutputStream().flush();
                try {
                    if (readLine(subscriber.getInputStream()).startsWith("MSG " + probe)) {
                        readLine(subscriber.getInputStream());
                        break;
                    }
                } catch (java.net.SocketTimeoutException e) {
                    if (System.nanoTime() > deadline) {
                        throw new IOException("interest did not cross the route within 20 s");
                    }
                }
            }
            subscriber.getOutputStream().write(("UNSUB 2\r\n").getBytes(StandardCharsets.US_ASCII));
            // Drain probes still in flight, then go on.
            subscriber.setSoTimeout(300);
            try {
                while (true) {
                    readLine(subscriber.getInputStream());
                }
            } catch (java.net.SocketTimeoutException e) {
                // drained
            }
        } finally {
            subscriber.setSoTimeout(15000);
        }
    }

    /** Prints the milliseconds until a message published on one server reaches a subscriber on another. */
    private static void join(int pubPort, int subPort, double timeoutSeconds, long sinceMillis) throws Exception {
        long deadline = System.nanoTime() + (long) (timeoutSeconds * 1e9);
        while (true) {
            try (Socket subscriber = connect(subPort); Socket publisher = connect(pubPort)) {
                awaitInterest(publisher, subscriber, "join." + System.nanoTime());
                System.out.println(System.currentTimeMillis() - sinceMillis);
                return;
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(20);
            }
        }
    }
}
