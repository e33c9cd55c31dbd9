package io.natsee.broker.support;

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
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;

import io.natsee.broker.Broker;
import io.natsee.broker.BrokerOptions;
import io.natsee.broker.config.ConfigException;
import io.natsee.broker.config.ConfigLoader;

/**
 * A server started from nats configuration text, so that one configuration drives both
 * implementations: the reference {@code nats-server} binary (the text plus a {@code listen} line
 * for a free 127.0.0.1 port; killed on {@link #close()}) or our {@link Broker} (the text read by
 * {@link ConfigLoader} onto a builder bound to 127.0.0.1 on a random port). The configuration
 * must therefore leave {@code listen}, {@code host} and {@code port} out. Tests on the reference
 * are skipped (JUnit assumption) when the binary is not installed.
 *
 * <p>Our broker honours {@code natsee.test.eventLoops} and {@code natsee.test.matchCache} as
 * {@link NatseeServer} does, so the build's second black-box run covers it too.
 */
public final class ConfiguredServer implements AutoCloseable {

    private static final String HOST = "127.0.0.1";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);
    private static final int START_ATTEMPTS = 3;

    /** The implementations a configuration can start. */
    public enum Kind {
        /** The real {@code nats-server} binary. */
        REFERENCE,
        /** Our in-process broker. */
        NATSEE;

        /** Starts a server of this kind from the configuration text; the caller closes it. */
        public ConfiguredServer start(String config) {
            return this == REFERENCE ? startReference(config) : startNatsee(config);
        }
    }

    private final Kind kind;
    private final Path directory;
    private final Process process;
    private final Broker broker;
    private final int port;

    private ConfiguredServer(Kind kind, Path directory, Process process, Broker broker, int port) {
        this.kind = kind;
        this.directory = directory;
        this.process = process;
        this.broker = broker;
        this.port = port;
    }

    /** Starts nats-server with the configuration, or skips the calling test if it is not installed. */
    public static ConfiguredServer startReference(String config) {
        Optional<Path> binary = ReferenceServer.binary();
        Assumptions.assumeTrue(binary.isPresent(), "nats-server is not installed");
        AssertionError last = null;
        // A free port found by binding port 0 can be taken again before nats-server binds it.
        for (int attempt = 0; attempt < START_ATTEMPTS; attempt++) {
            try {
                return launch(binary.get(), config, freePort());
            } catch (AssertionError e) {
                last = e;
            }
        }
        throw last;
    }

    /** Starts our broker with the configuration; returns once its client port accepts. */
    public static ConfiguredServer startNatsee(String config) {
        Path directory = temporaryDirectory();
        try {
            Broker broker = new Broker(load(directory, config));
            try {
                broker.start();
            } catch (IOException | RuntimeException e) {
                broker.close();
                throw new AssertionError("cannot start the broker with:\n" + config, e);
            }
            return new ConfiguredServer(Kind.NATSEE, directory, null, broker, broker.port());
        } catch (RuntimeException | AssertionError e) {
            deleteQuietly(directory);
            throw e;
        }
    }

    /**
     * Options as our broker reads the configuration text: 127.0.0.1, a random port, the test
     * loop and cache settings, then the text. For {@link Broker#reload} in white-box tests.
     */
    public static BrokerOptions optionsFor(String config) {
        Path directory = temporaryDirectory();
        try {
            return load(directory, config);
        } finally {
            deleteQuietly(directory);
        }
    }

    private static BrokerOptions load(Path directory, String config) {
        Path file = directory.resolve("server.conf");
        try {
            Files.writeString(file, config, StandardCharsets.UTF_8);
            BrokerOptions.Builder builder = BrokerOptions.builder()
                    .host(HOST)
                    .port(-1)
                    .matchCache(Boolean.parseBoolean(System.getProperty("natsee.test.matchCache", "true")))
                    .eventLoops(Integer.getInteger("natsee.test.eventLoops", 1));
            return ConfigLoader.load(file, builder, Map.of()).build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ConfigException e) {
            throw new AssertionError("our broker refuses the configuration:\n" + config + "\n" + e.getMessage(), e);
        }
    }

    private static ConfiguredServer launch(Path binary, String config, int port) {
        Path directory = temporaryDirectory();
        Path file = directory.resolve("server.conf");
        Path log = directory.resolve("server.log");
        Process process;
        try {
            Files.writeString(file, "listen: \"" + HOST + ":" + port + "\"\n" + config, StandardCharsets.UTF_8);
            process = new ProcessBuilder(binary.toString(), "-c", file.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
        } catch (IOException e) {
            deleteQuietly(directory);
            throw new UncheckedIOException("cannot start nats-server", e);
        }
        ConfiguredServer server = new ConfiguredServer(Kind.REFERENCE, directory, process, null, port);
        try {
            Await.until(START_TIMEOUT, "nats-server to accept on port " + port,
                    () -> !process.isAlive() || accepts(port));
            if (!process.isAlive()) {
                throw new AssertionError("nats-server exited with " + process.exitValue() + ": " + server.log());
            }
            return server;
        } catch (AssertionError e) {
            server.close();
            throw e;
        }
    }

    public Kind kind() {
        return kind;
    }

    /**
     * Reloads the server with a new configuration, as an operator does: our broker through
     * {@link Broker#reload}, nats-server by rewriting its file (same listen address) and SIGHUP;
     * returns when nats-server has logged the reload.
     */
    public void reload(String config) {
        if (broker != null) {
            broker.reload(optionsFor(config));
            return;
        }
        String done = "Reloaded server configuration";
        int before = log().split(done, -1).length;
        try {
            Files.writeString(directory.resolve("server.conf"), "listen: \"" + HOST + ":" + port + "\"\n" + config,
                    StandardCharsets.UTF_8);
            Process hangUp = new ProcessBuilder("kill", "-HUP", Long.toString(process.pid())).inheritIO().start();
            if (!hangUp.waitFor(10, TimeUnit.SECONDS) || hangUp.exitValue() != 0) {
                throw new AssertionError("cannot send SIGHUP to nats-server");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        Await.until(START_TIMEOUT, "nats-server to reload", () -> log().split(done, -1).length > before);
    }

    public String host() {
        return HOST;
    }

    public int port() {
        return port;
    }

    /** A {@code nats://host:port} URL for jnats. */
    public String url() {
        return "nats://" + HOST + ":" + port;
    }

    /** Our broker, for white-box checks; fails for the reference server. */
    public Broker broker() {
        if (broker == null) {
            throw new IllegalStateException("the reference server has no in-process broker");
        }
        return broker;
    }

    /** The reference server's log so far (empty for our broker, which logs through System.Logger). */
    public String log() {
        if (process == null) {
            return "";
        }
        try {
            return Files.readString(directory.resolve("server.log"));
        } catch (IOException e) {
            return "<no log: " + e + ">";
        }
    }

    /** Stops the server and releases its port; may run twice. */
    @Override
    public void close() {
        if (broker != null) {
            broker.close();
        }
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        deleteQuietly(directory);
    }

    @Override
    public String toString() {
        return (kind == Kind.REFERENCE ? "nats-server@" : "natsee@") + HOST + ":" + port;
    }

    private static Path temporaryDirectory() {
        try {
            return Files.createTempDirectory("nats-configured-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteQuietly(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException ignored) {
            // a leftover temp directory is harmless
        }
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
}
