package io.natsee.broker.clustering;

import io.natsee.broker.cli.ServerJvm;
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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One cluster member as a process on 127.0.0.1: Debian's nats-server or our shaded jar, started
 * with the same nats-server flags ({@code -a -p -n --cluster --cluster_name --routes}); its log
 * goes to a file in the test's temporary directory. {@link #kill()} is {@code kill -9}.
 */
final class ClusterNode implements AutoCloseable {

    /** Which server a node runs. */
    enum Kind {
        NATS_SERVER, NATSEE
    }

    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    final Kind kind;
    final String name;
    final int clientPort;
    final int clusterPort;
    private final List<String> command;
    private final Path log;
    private Process process;

    private ClusterNode(Kind kind, String name, int clientPort, int clusterPort, List<String> command, Path log) {
        this.kind = kind;
        this.name = name;
        this.clientPort = clientPort;
        this.clusterPort = clusterPort;
        this.command = command;
        this.log = log;
    }

    /** The route URL peers dial for this node. */
    String routeUrl() {
        return "nats://127.0.0.1:" + clusterPort;
    }

    /** The client URL. */
    String clientUrl() {
        return "nats://127.0.0.1:" + clientPort;
    }

    /**
     * Starts a node and waits until its client and cluster ports accept.
     *
     * @param binary the nats-server binary (NATS_SERVER) or the shaded jar (NATSEE)
     * @param routes the route URLs to dial
     */
    static ClusterNode start(Kind kind, Path binary, Path directory, String name, String clusterName,
                             List<String> routes) {
        return start(kind, binary, directory, name, clusterName, routes, freePort(), freePort());
    }

    static ClusterNode start(Kind kind, Path binary, Path directory, String name, String clusterName,
                             List<String> routes, int clientPort, int clusterPort) {
        List<String> command = new ArrayList<>();
        if (kind == Kind.NATSEE) {
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(List.of("-Xmx64m", "-XX:+UseParallelGC", "-jar", binary.toString()));
        } else {
            command.add(binary.toString());
        }
        command.addAll(List.of("-a", "127.0.0.1", "-p", Integer.toString(clientPort), "-n", name,
                "--cluster", "nats://127.0.0.1:" + clusterPort, "--cluster_name", clusterName));
        if (!routes.isEmpty()) {
            command.addAll(List.of("--routes", String.join(",", routes)));
        }
        ClusterNode node = new ClusterNode(kind, name, clientPort, clusterPort, command, directory.resolve(name + ".log"));
        node.launch();
        return node;
    }

    /** Starts the process again with the same ports and flags (after {@link #kill()}). */
    void restart() {
        launch();
    }

    private void launch() {
        try {
            process = ServerJvm.processBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!(accepts(clientPort) && accepts(clusterPort))) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                process.destroyForcibly();
                throw new AssertionError(name + " did not start: " + logText());
            }
            sleep(20);
        }
    }

    /** {@code kill -9}: the process dies without closing anything. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    String logText() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return e.toString();
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                kill();
            }
        }
    }

    @Override
    public String toString() {
        return kind + " " + name + " client " + clientPort + " cluster " + clusterPort;
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
