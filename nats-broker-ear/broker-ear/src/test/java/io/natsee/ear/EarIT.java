package io.natsee.ear;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The EAR (nats-ra.rar + the broker WAR + the streaming WAR + the admin console WAR) unchanged on full servers unpacked
 * from Maven Central: deploy, connect with jnats (pub/sub, request/reply, monitoring through the
 * container and through the broker's own monitoring port, the streaming server), undeploy (the client sees the
 * connection close and the port is released), stop the server (nothing left running).
 * WildFly 36 runs in every build; Payara Server 6.2025.x with {@code -Ppayara-server}.
 */
class EarIT {

    private static final Path EAR = Path.of(System.getProperty("ear.file", "target/natsee.ear"));

    private static boolean enabled(String server) {
        return Arrays.asList(System.getProperty("ear.it.servers", "wildfly").split(",")).contains(server);
    }

    @Test
    void wildFly() throws Exception {
        assumeTrue(enabled("wildfly"));
        Path home = Path.of(System.getProperty("wildfly.home"));
        int natsPort = freePort();
        int monitorPort = freePort();
        int offset = freeOffset();
        Path deployments = home.resolve("standalone/deployments");
        try (var leftovers = Files.newDirectoryStream(deployments, "natsee.ear*")) {
            for (Path leftover : leftovers) {
                Files.delete(leftover);   // markers of an earlier run in the same target directory
            }
        }
        ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/standalone.sh").toString(),
                "-b", "127.0.0.1", "-bmanagement", "127.0.0.1", "-Djboss.socket.binding.port-offset=" + offset,
                "-Dnats.host=127.0.0.1", "-Dnats.port=" + natsPort, "-Dnats.http_port=" + monitorPort)
                .redirectErrorStream(true).redirectOutput(home.resolve("it-server.log").toFile());
        builder.environment().put("LAUNCH_JBOSS_IN_BACKGROUND", "1");
        builder.environment().put("JAVA_OPTS", "-Xms64m -Xmx512m -Djava.net.preferIPv4Stack=true");
        Process server = builder.start();
        List<ProcessHandle> processes = new ArrayList<>();
        try {
            Files.copy(EAR, deployments.resolve("natsee.ear"), StandardCopyOption.REPLACE_EXISTING);
            awaitMarker(deployments, "natsee.ear", ".deployed", server, home.resolve("it-server.log"));
            processes.addAll(server.descendants().toList());
            exercise(natsPort, monitorPort, "http://127.0.0.1:" + (8080 + offset), () -> {
                Files.delete(deployments.resolve("natsee.ear"));
                awaitMarker(deployments, "natsee.ear", ".undeployed", server, home.resolve("it-server.log"));
            });
        } finally {
            server.destroy();
            boolean stopped = server.waitFor(60, TimeUnit.SECONDS);
            if (!stopped) {
                server.descendants().forEach(ProcessHandle::destroyForcibly);
                server.destroyForcibly();
            }
            for (ProcessHandle process : processes) {
                process.onExit().get(30, TimeUnit.SECONDS);
            }
            assertTrue(stopped, "WildFly stopped on SIGTERM");
        }
        processes.forEach(process -> assertFalse(process.isAlive(), "process " + process.pid() + " left running"));
    }

    @Test
    void payaraServer() throws Exception {
        assumeTrue(enabled("payara"));
        Path home = Path.of(System.getProperty("payara.home"));
        Path asadmin = home.resolve("bin/asadmin");
        int natsPort = freePort();
        int monitorPort = freePort();
        int portBase = freePortBase();
        String domain = "natsee" + portBase;
        String admin = Integer.toString(portBase + 48);
        run(asadmin.toString(), "create-domain", "--nopassword", "--portbase", Integer.toString(portBase), domain);
        try {
            run(asadmin.toString(), "start-domain", domain);
            run(asadmin.toString(), "--port", admin, "create-system-properties",
                    "nats.host=127.0.0.1:nats.port=" + natsPort + ":nats.http_port=" + monitorPort);
            try {
                run(asadmin.toString(), "--port", admin, "deploy", "--name", "natsee", EAR.toString());
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "\n" + tail(home.resolve("glassfish/domains/" + domain + "/logs/server.log")), e);
            }
            exercise(natsPort, monitorPort, "http://127.0.0.1:" + (portBase + 80),
                    () -> run(asadmin.toString(), "--port", admin, "undeploy", "natsee"));
        } finally {
            run(asadmin.toString(), "stop-domain", domain);
            String marker = home.resolve("glassfish/domains/" + domain).toString();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (running(marker) && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertFalse(running(marker), "Payara Server left running");
            run(asadmin.toString(), "delete-domain", domain);
        }
    }

    interface Step {
        void run() throws Exception;
    }

    /** Clients against the deployed broker; then {@code undeploy} must close them and free the port. */
    private static void exercise(int natsPort, int monitorPort, String container, Step undeploy) throws Exception {
        String monitoring = container + "/broker";
        CountDownLatch closed = new CountDownLatch(1);
        Options options = new Options.Builder().server("nats://127.0.0.1:" + natsPort).noReconnect()
                .connectionListener((connection, event) -> {
                    if (event == ConnectionListener.Events.CLOSED || event == ConnectionListener.Events.DISCONNECTED) {
                        closed.countDown();
                    }
                }).build();
        Connection nc = Nats.connect(options);
        try {
            Subscription sub = nc.subscribe("ear.>");
            nc.publish("ear.one", "hi".getBytes(StandardCharsets.UTF_8));
            Message got = sub.nextMessage(Duration.ofSeconds(5));
            assertNotNull(got);
            assertEquals("hi", new String(got.getData(), StandardCharsets.UTF_8));

            nc.createDispatcher(msg -> nc.publish(msg.getReplyTo(), ("re: " + new String(msg.getData(), StandardCharsets.UTF_8))
                    .getBytes(StandardCharsets.UTF_8))).subscribe("ear.service");
            Message reply = nc.request("ear.service", "q".getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(5));
            assertEquals("re: q", new String(reply.getData(), StandardCharsets.UTF_8));

            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> varz = http.send(HttpRequest.newBuilder(URI.create(monitoring + "/varz")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, varz.statusCode(), varz.body());
            assertTrue(varz.body().contains("\"port\": " + natsPort), varz.body());
            HttpResponse<String> healthz = http.send(HttpRequest.newBuilder(URI.create(monitoring + "/healthz")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals("{\"status\":\"ok\"}", healthz.body().trim());
            HttpResponse<String> ownPort = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + monitorPort + "/connz")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, ownPort.statusCode(), ownPort.body());
            assertTrue(ownPort.body().contains("\"name\": \"_NSS-test-cluster-general\""),
                    "the streaming WAR's server is a client of the broker: " + ownPort.body());
            HttpResponse<String> serverz = http.send(HttpRequest.newBuilder(URI.create(container + "/streaming/serverz")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, serverz.statusCode(), serverz.body());
            assertTrue(serverz.body().contains("\"cluster_id\": \"test-cluster\""), serverz.body());
            HttpClient noRedirects = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
            HttpResponse<String> console = noRedirects.send(HttpRequest.newBuilder(URI.create(container + "/admin/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(302, console.statusCode(), "the console wants a login: " + console.body());
            assertTrue(console.headers().firstValue("Location").orElse("").endsWith("/admin/login.xhtml"), console.headers().toString());
            HttpResponse<String> login = noRedirects.send(HttpRequest.newBuilder(URI.create(container + "/admin/login.xhtml")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, login.statusCode(), login.body());
            assertTrue(login.body().contains("<label for=\"login:username\""), "the console's login form: " + login.body());

            undeploy.run();
            assertTrue(closed.await(10, TimeUnit.SECONDS), "the client saw the server close the connection");
            assertFalse(accepts(natsPort), "the client port is closed after undeploy");
            assertFalse(accepts(monitorPort), "the monitoring port is closed after undeploy");
        } finally {
            nc.close();
        }
    }

    private static void awaitMarker(Path deployments, String name, String marker, Process server, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
        while (System.nanoTime() < deadline) {
            if (Files.exists(deployments.resolve(name + marker))) {
                return;
            }
            if (Files.exists(deployments.resolve(name + ".failed"))) {
                throw new AssertionError("deployment failed: " + Files.readString(deployments.resolve(name + ".failed"))
                        + "\n" + tail(log));
            }
            if (!server.isAlive()) {
                throw new AssertionError("server exited\n" + tail(log));
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no " + name + marker + " in time\n" + tail(log));
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }

    private static void run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(300, TimeUnit.SECONDS), String.join(" ", command) + " did not finish");
        assertEquals(0, process.exitValue(), String.join(" ", command) + ":\n" + output);
    }

    private static boolean running(String marker) {
        return ProcessHandle.allProcesses().anyMatch(p -> p.info().commandLine().map(c -> c.contains(marker)).orElse(false));
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** A WildFly port offset whose ports (8080, 8443, 9990, 9993 plus the offset) are free. */
    static int freeOffset() throws IOException {
        return freeBase(1000, new int[] {8080, 8443, 9990, 9993});
    }

    /** A Payara Server port base whose ports (base + 9, 37, 38, 39, 48, 66, 76, 80, 81, 86) are free. */
    private static int freePortBase() throws IOException {
        return freeBase(20000, new int[] {9, 37, 38, 39, 48, 66, 76, 80, 81, 86});
    }

    private static int freeBase(int from, int[] ports) throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int base = from + 100 * (int) (Math.random() * 80);
            if (Arrays.stream(ports).noneMatch(port -> accepts(base + port))) {
                return base;
            }
        }
        throw new IOException("no free ports");
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 300);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
