package io.natsee.broker;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.natsee.broker.support.ConfiguredServer;

/**
 * What permission checks cost on the pub/sub path: one raw-socket publisher sends 16-byte
 * messages to one raw-socket subscriber through our in-process broker for a fixed time, with no
 * authorization, with publish/subscribe allow lists, and with a subscribe deny list inside a
 * wildcard subscription (every delivery checked against it). The variants alternate over a few
 * rounds, after one uncounted warm-up run of each, so that machine noise spreads over all of them. Tagged {@code stress}
 * (excluded from the default build); run with
 * {@code mvn -pl broker-core test -Dtest=PermissionCostTest -Dtests.excludedGroups=none}.
 */
@Tag("stress")
class PermissionCostTest {

    private static final long RUN_MILLIS = Long.getLong("permissionCost.millis", 2000);
    private static final int ROUNDS = Integer.getInteger("permissionCost.rounds", 3);
    private static final String SUBJECT = "bench.data";
    private static final byte[] MSG_FRAME_PREFIX = "MSG ".getBytes(StandardCharsets.US_ASCII);

    private record Variant(String name, String config, String connect, String subscription) {
    }

    private static final List<Variant> VARIANTS = List.of(
            new Variant("no authorization", "max_payload: 1048576\n", "{\"verbose\":false,\"pedantic\":false}",
                    "bench.data"),
            new Variant("allow lists", """
                    authorization {
                      users: [
                        {user: bench, password: pw, permissions: {
                          publish: {allow: ["bench.>", "other.*"]}
                          subscribe: {allow: ["bench.>", "other.*"]}
                        }}
                      ]
                    }
                    """, "{\"verbose\":false,\"pedantic\":false,\"user\":\"bench\",\"pass\":\"pw\"}", "bench.data"),
            new Variant("allow + deny, wildcard sub", """
                    authorization {
                      users: [
                        {user: bench, password: pw, permissions: {
                          publish: {allow: ["bench.>"], deny: ["bench.secret.>"]}
                          subscribe: {allow: ["bench.>"], deny: ["bench.secret.>"]}
                        }}
                      ]
                    }
                    """, "{\"verbose\":false,\"pedantic\":false,\"user\":\"bench\",\"pass\":\"pw\"}", "bench.>"));

    @Test
    @Timeout(300)
    void measurePublishSubscribeWithAndWithoutPermissions() throws Exception {
        Map<String, List<Long>> rates = new LinkedHashMap<>();
        for (Variant variant : VARIANTS) {
            rates.put(variant.name(), new ArrayList<>());
        }
        for (Variant variant : VARIANTS) {
            run(variant); // warm-up: JIT and first-connection costs, not counted
        }
        for (int round = 0; round < ROUNDS; round++) {
            for (Variant variant : VARIANTS) {
                long rate = run(variant);
                rates.get(variant.name()).add(rate);
                System.out.printf("round %d  %-28s %,12d msgs/s%n", round + 1, variant.name(), rate);
            }
        }
        StringBuilder summary = new StringBuilder("permission cost, 16-byte payloads, " + RUN_MILLIS + " ms runs:\n");
        for (Map.Entry<String, List<Long>> entry : rates.entrySet()) {
            List<Long> sorted = entry.getValue().stream().sorted().toList();
            summary.append(String.format("  %-28s median %,12d msgs/s  runs %s%n", entry.getKey(),
                    sorted.get(sorted.size() / 2), entry.getValue()));
        }
        System.out.print(summary);
        rates.values().forEach(list -> list.forEach(rate -> assertTrue(rate > 0, summary.toString())));
    }

    /** Messages per second the subscriber received during one timed run of the variant. */
    private static long run(Variant variant) throws Exception {
        try (ConfiguredServer server = ConfiguredServer.startNatsee(variant.config());
             Socket subscriber = connect(server, variant.connect());
             Socket publisher = connect(server, variant.connect())) {
            OutputStream subscriberOut = subscriber.getOutputStream();
            subscriberOut.write(("SUB " + variant.subscription() + " 1\r\nPING\r\n").getBytes(StandardCharsets.US_ASCII));
            subscriberOut.flush();
            InputStream subscriberIn = subscriber.getInputStream();
            readUntilPong(subscriberIn);

            byte[] frame = ("PUB " + SUBJECT + " 16\r\n0123456789abcdef\r\n").getBytes(StandardCharsets.US_ASCII);
            byte[] batch = new byte[frame.length * 256];
            for (int i = 0; i < 256; i++) {
                System.arraycopy(frame, 0, batch, i * frame.length, frame.length);
            }
            AtomicBoolean running = new AtomicBoolean(true);
            Thread writer = new Thread(() -> {
                try {
                    OutputStream out = publisher.getOutputStream();
                    while (running.get()) {
                        out.write(batch);
                    }
                } catch (IOException e) {
                    if (running.get()) {
                        throw new UncheckedIOException(e);
                    }
                }
            }, "permission-cost-publisher");
            writer.setDaemon(true);

            // Each delivery is "MSG bench.data 1 16\r\n" + 16 bytes + "\r\n": count "MSG " starts.
            byte[] buffer = new byte[256 * 1024];
            long messages = 0;
            int matched = 0;
            writer.start();
            long start = System.nanoTime();
            long end = start + TimeUnit.MILLISECONDS.toNanos(RUN_MILLIS);
            subscriber.setSoTimeout(200);
            while (System.nanoTime() - end < 0) {
                int n;
                try {
                    n = subscriberIn.read(buffer);
                } catch (java.net.SocketTimeoutException idle) {
                    continue;
                }
                if (n < 0) {
                    break;
                }
                for (int i = 0; i < n; i++) {
                    byte b = buffer[i];
                    if (b == MSG_FRAME_PREFIX[matched]) {
                        if (++matched == MSG_FRAME_PREFIX.length) {
                            messages++;
                            matched = 0;
                        }
                    } else {
                        matched = b == MSG_FRAME_PREFIX[0] ? 1 : 0;
                    }
                }
            }
            long elapsed = System.nanoTime() - start;
            running.set(false);
            publisher.close();
            writer.join(5000);
            return messages * TimeUnit.SECONDS.toNanos(1) / elapsed;
        }
    }

    private static Socket connect(ConfiguredServer server, String connectJson) throws IOException {
        Socket socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress(server.host(), server.port()), 5000);
        socket.setSoTimeout(5000);
        InputStream in = socket.getInputStream();
        readLine(in); // INFO
        OutputStream out = socket.getOutputStream();
        out.write(("CONNECT " + connectJson + "\r\nPING\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        readUntilPong(in);
        return socket;
    }

    private static void readUntilPong(InputStream in) throws IOException {
        while (true) {
            String line = readLine(in);
            if (line.equals("PONG")) {
                return;
            }
            if (line.startsWith("-ERR")) {
                throw new AssertionError("server refused: " + line);
            }
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                return line.toString().trim();
            }
            line.append((char) b);
        }
        throw new IOException("connection closed; read '" + line + "'");
    }
}
