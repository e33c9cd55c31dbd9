package io.natsee.admin;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Three (or more) Debian nats-servers (the reference, 2.9.10) clustered on 127.0.0.1: each with its client, route and
 * monitoring port, every one routed to the others; ready once each reports a route to every other in
 * {@code /routez}. Processes end on {@link #close()} (and with the JVM at the latest).
 */
public final class NatsServerCluster implements AutoCloseable {

    /** Where Debian installs the reference server. */
    public static final Path NATS_SERVER = Path.of("/usr/sbin/nats-server");
    private static final Pattern NUM_ROUTES = Pattern.compile("\"num_routes\"\\s*:\\s*(\\d+)");

    private final List<Process> processes = new ArrayList<>();
    private final List<Integer> clientPorts = new ArrayList<>();
    private final List<Integer> monitorPorts;
    private final List<String> names = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** Whether the reference server is installed. */
    public static boolean available() {
        return Files.isExecutable(NATS_SERVER);
    }

    /**
     * Starts one server per monitoring port (0: a free port) and waits until they form a full mesh.
     *
     * @param clusterName the cluster's name; server i is named {@code clusterName-i} (a, b, c...)
     */
    public NatsServerCluster(String clusterName, List<Integer> monitorPorts) throws IOException, InterruptedException {
        int count = monitorPorts.size();
        this.monitorPorts = new ArrayList<>();
        List<Integer> routePorts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int monitor = monitorPorts.get(i);
            this.monitorPorts.add(monitor > 0 ? monitor : freePort());
            routePorts.add(freePort());
            clientPorts.add(freePort());
        }
        try {
            for (int i = 0; i < count; i++) {
                List<String> routes = new ArrayList<>();
                for (int j = 0; j < count; j++) {
                    if (j != i) {
                        routes.add("nats://127.0.0.1:" + routePorts.get(j));
                    }
                }
                String name = clusterName + "-" + (char) ('a' + i);
                names.add(name);
                processes.add(new ProcessBuilder(NATS_SERVER.toString(), "-a", "127.0.0.1", "-p", clientPorts.get(i).toString(),
                        "-m", this.monitorPorts.get(i).toString(), "-n", name, "--cluster_name", clusterName,
                        "--cluster", "nats://127.0.0.1:" + routePorts.get(i), "--routes", String.join(",", routes))
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
                Process started = processes.get(processes.size() - 1);
                Runtime.getRuntime().addShutdownHook(new Thread(started::destroyForcibly, "nats-server-" + name));
            }
            awaitMesh(count - 1);
        } catch (IOException | InterruptedException | RuntimeException e) {
            close();
            throw e;
        }
    }

    private void awaitMesh(int routesEach) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        for (int port : monitorPorts) {
            while (routes(port) < routesEach) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("the nats-servers did not form a mesh within 20 s (monitoring port " + port + ")");
                }
                Thread.sleep(100);
            }
        }
    }

    private int routes(int monitorPort) throws InterruptedException {
        try {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + monitorPort + "/routez"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
            Matcher matcher = NUM_ROUTES.matcher(answer.body());
            return matcher.find() ? Integer.parseInt(matcher.group(1)) : 0;
        } catch (IOException notYet) {
            return -1;
        }
    }

    /** The monitoring base URL of server i. */
    public URI monitorUrl(int i) {
        return URI.create("http://127.0.0.1:" + monitorPorts.get(i));
    }

    /** The client URL of server i. */
    public String natsUrl(int i) {
        return "nats://127.0.0.1:" + clientPorts.get(i);
    }

    /** The server name of server i. */
    public String name(int i) {
        return names.get(i);
    }

    public int size() {
        return monitorPorts.size();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        for (Process process : processes) {
            process.destroy();
        }
        for (Process process : processes) {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
        processes.clear();
    }
}
