package io.natsee.broker.cluster;

import io.natsee.broker.support.Await;
import io.natsee.broker.support.ReferenceServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/** A Debian nats-server 2.9.10 process as a cluster member, on 127.0.0.1 and free ports; skipped when not installed. */
final class ReferencePeer implements AutoCloseable {

    private final Process process;
    private final Path directory;
    final int clientPort;
    final int routePort;

    private ReferencePeer(Process process, Path directory, int clientPort, int routePort) {
        this.process = process;
        this.directory = directory;
        this.clientPort = clientPort;
        this.routePort = routePort;
    }

    /** Starts nats-server named {@code name} in cluster {@code cluster}, dialling {@code routes}. */
    static ReferencePeer start(String name, String cluster, List<String> routes, String... extra) throws IOException {
        Optional<Path> binary = ReferenceServer.binary();
        Assumptions.assumeTrue(binary.isPresent(), "nats-server is not installed");
        int clientPort = freePort();
        int routePort = freePort();
        Path directory = Files.createTempDirectory("nats-peer-");
        List<String> command = new ArrayList<>(List.of(binary.get().toString(), "-a", "127.0.0.1",
                "-p", String.valueOf(clientPort), "-n", name, "--cluster", "nats://127.0.0.1:" + routePort,
                "--cluster_name", cluster));
        if (!routes.isEmpty()) {
            command.add("--routes");
            command.add(String.join(",", routes));
        }
        command.addAll(List.of(extra));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(directory.resolve("server.log").toFile()).start();
        ReferencePeer peer = new ReferencePeer(process, directory, clientPort, routePort);
        try {
            Await.until(Duration.ofSeconds(10), "nats-server to accept",
                    () -> !process.isAlive() || accepts(clientPort));
            if (!process.isAlive()) {
                throw new AssertionError("nats-server exited: " + peer.log());
            }
        } catch (AssertionError e) {
            peer.close();
            throw e;
        }
        return peer;
    }

    String clientUrl() {
        return "nats://127.0.0.1:" + clientPort;
    }

    String routeUrl() {
        return "nats-route://127.0.0.1:" + routePort;
    }

    String log() {
        try {
            return Files.readString(directory.resolve("server.log"));
        } catch (IOException e) {
            return "<no log: " + e + ">";
        }
    }

    /** Kills the process at once (as kill -9 would). */
    void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        kill();
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException ignored) {
            // a leftover temp directory is harmless
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
