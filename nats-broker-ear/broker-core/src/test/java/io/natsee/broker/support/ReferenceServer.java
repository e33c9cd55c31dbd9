package io.natsee.broker.support;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;

/**
 * The real {@code nats-server} binary as a {@link TestServer}: a generated configuration file in
 * a temporary directory, bound to 127.0.0.1 on a free port, killed on {@link #close()}. Tests
 * using it are skipped (JUnit assumption) when the binary is not installed.
 */
public final class ReferenceServer implements TestServer {

    private static final String HOST = "127.0.0.1";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);
    private static final int START_ATTEMPTS = 3;

    private final Process process;
    private final Path directory;
    private final int port;
    private final Options options;

    private ReferenceServer(Process process, Path directory, int port, Options options) {
        this.process = process;
        this.directory = directory;
        this.port = port;
        this.options = options;
    }

    /** The nats-server binary: {@code $NATS_SERVER_BIN}, else the first one on the PATH. */
    public static Optional<Path> binary() {
        String configured = System.getenv("NATS_SERVER_BIN");
        if (configured != null && !configured.isBlank()) {
            Path path = Path.of(configured);
            return Files.isExecutable(path) ? Optional.of(path) : Optional.empty();
        }
        String path = System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/usr/sbin:/bin");
        for (String dir : (path + File.pathSeparator + "/usr/sbin" + File.pathSeparator + "/usr/bin")
                .split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, "nats-server");
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** Whether the reference binary is installed. */
    public static boolean isInstalled() {
        return binary().isPresent();
    }

    /** Starts nats-server with the options, or skips the calling test if it is not installed. */
    public static ReferenceServer start(Options options) {
        Optional<Path> binary = binary();
        Assumptions.assumeTrue(binary.isPresent(), "nats-server is not installed");
        AssertionError last = null;
        // A free port found by binding port 0 can be taken again before nats-server binds it.
        for (int attempt = 0; attempt < (options.port() == 0 ? START_ATTEMPTS : 1); attempt++) {
            int port = options.port() == 0 ? freePort() : options.port();
            try {
                return launch(binary.get(), options, port);
            } catch (AssertionError e) {
                last = e;
            }
        }
        throw last;
    }

    private static ReferenceServer launch(Path binary, Options options, int port) {
        Path directory;
        try {
            directory = Files.createTempDirectory("nats-reference-");
            Path config = directory.resolve("server.conf");
            Files.writeString(config, config(options, port), StandardCharsets.UTF_8);
            Path log = directory.resolve("server.log");
            Process process = new ProcessBuilder(binary.toString(), "-c", config.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            ReferenceServer server = new ReferenceServer(process, directory, port, options);
            try {
                Await.until(START_TIMEOUT, "nats-server to accept on port " + port,
                        () -> !process.isAlive() || accepts(port));
                if (!process.isAlive()) {
                    throw new AssertionError("nats-server exited with " + process.exitValue() + ": "
                            + Files.readString(log));
                }
                return server;
            } catch (AssertionError | IOException e) {
                server.close();
                throw e instanceof AssertionError a ? a : new AssertionError(e);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start nats-server", e);
        }
    }

    /** The configuration file text; durations are written in milliseconds ("1500ms"). */
    static String config(Options options, int port) {
        StringBuilder b = new StringBuilder();
        b.append("listen: \"").append(HOST).append(':').append(port).append("\"\n");
        if (options.maxPayload() != null) {
            b.append("max_payload: ").append(options.maxPayload()).append('\n');
        }
        if (options.maxControlLine() != null) {
            b.append("max_control_line: ").append(options.maxControlLine()).append('\n');
        }
        if (options.maxPending() != null) {
            b.append("max_pending: ").append(options.maxPending()).append('\n');
        }
        if (options.maxConnections() != null) {
            b.append("max_connections: ").append(options.maxConnections()).append('\n');
        }
        if (options.maxSubscriptions() != null) {
            b.append("max_subscriptions: ").append(options.maxSubscriptions()).append('\n');
        }
        if (options.pingInterval() != null) {
            b.append("ping_interval: \"").append(options.pingInterval().toMillis()).append("ms\"\n");
        }
        if (options.pingMax() != null) {
            b.append("ping_max: ").append(options.pingMax()).append('\n');
        }
        if (options.writeDeadline() != null) {
            b.append("write_deadline: \"").append(options.writeDeadline().toMillis()).append("ms\"\n");
        }
        if (options.tls() != null) {
            Tls tls = options.tls();
            b.append("tls {\n");
            b.append("  cert_file: \"").append(tls.certFile()).append("\"\n");
            b.append("  key_file: \"").append(tls.keyFile()).append("\"\n");
            if (tls.caFile() != null) {
                b.append("  ca_file: \"").append(tls.caFile()).append("\"\n");
            }
            if (tls.verify()) {
                b.append("  verify: true\n");
            }
            if (tls.timeout() != null) {
                // seconds, as a float
                b.append("  timeout: ").append(tls.timeout().toMillis() / 1000.0).append('\n');
            }
            if (!tls.cipherSuites().isEmpty()) {
                b.append("  cipher_suites: [").append(String.join(", ", tls.cipherSuites())).append("]\n");
            }
            b.append("}\n");
        }
        return b.toString();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(HOST, port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public String host() {
        return HOST;
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public Options options() {
        return options;
    }

    /** The server's log so far, for failure messages. */
    public String log() {
        try {
            return Files.readString(directory.resolve("server.log"));
        } catch (IOException e) {
            return "<no log: " + e + ">";
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException ignored) {
            // a leftover temp directory is harmless
        }
    }

    @Override
    public String toString() {
        return "nats-server@" + HOST + ":" + port;
    }

}
