package io.natsee.broker.cli;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Launches the shaded jar (and bin/natsee-server) as real processes: start-up, clients, the
 * monitoring port, the pid file, signals and exit codes. Run by failsafe after {@code package}.
 */
class ServerProcessIT {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(15);
    private static final Pattern CLIENT_PORT = Pattern.compile("\\[INF] Listening for client connections on 127\\.0\\.0\\.1:(\\d+)");
    private static final Pattern HTTP_PORT = Pattern.compile("\\[INF] Starting http monitor on 127\\.0\\.0\\.1:(\\d+)");

    private static Path jar;
    private final List<Process> processes = new ArrayList<>();

    @BeforeAll
    static void findJar() {
        String property = System.getProperty("natsee.server.jar");
        Path candidate = property != null ? Path.of(property) : Path.of("target", "natsee-server.jar");
        assumeTrue(Files.isRegularFile(candidate), "the shaded jar is not built: " + candidate.toAbsolutePath());
        jar = candidate.toAbsolutePath();
    }

    @AfterEach
    void killLeftovers() throws InterruptedException {
        for (Process process : processes) {
            if (process.isAlive()) {
                process.destroyForcibly();
                process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            }
        }
    }

    /** A started process whose standard error (the log) is collected line by line. */
    private final class Server {
        final Process process;
        final List<String> lines = new CopyOnWriteArrayList<>();

        Server(ProcessBuilder builder) throws IOException {
            builder.redirectErrorStream(true);
            process = builder.start();
            processes.add(process);
            Thread reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = in.readLine()) != null) {
                        lines.add(line);
                    }
                } catch (IOException e) {
                    lines.add("(output lost: " + e + ")");
                }
            }, "server-output");
            reader.setDaemon(true);
            reader.start();
        }

        int awaitPort(Pattern pattern) throws InterruptedException {
            long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
            while (System.nanoTime() < deadline) {
                for (String line : lines) {
                    Matcher matcher = pattern.matcher(line);
                    if (matcher.find()) {
                        return Integer.parseInt(matcher.group(1));
                    }
                }
                if (!process.isAlive() && process.exitValue() != 0) {
                    fail("server exited with " + process.exitValue() + ": " + lines);
                }
                Thread.sleep(20);
            }
            throw new AssertionError("no line matching " + pattern + " within " + START_TIMEOUT + ": " + lines);
        }

        void awaitLine(String text) throws InterruptedException {
            long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
            while (System.nanoTime() < deadline) {
                if (lines.stream().anyMatch(line -> line.contains(text))) {
                    return;
                }
                Thread.sleep(20);
            }
            throw new AssertionError("no line containing " + text + ": " + lines);
        }

        int awaitExit() throws InterruptedException {
            assertTrue(process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS), "still running: " + lines);
            return process.exitValue();
        }
    }

    private Server launch(String... arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of(javaExecutable(), "-XX:+UseParallelGC", "-Xmx64m", "-jar", jar.toString()));
        command.addAll(List.of(arguments));
        return new Server(ServerJvm.processBuilder(command));
    }

    private static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    @Test
    void servesClientsAndMonitoringThenStopsOnSigtermWithExitZero(@TempDir Path directory) throws Exception {
        Path pidFile = directory.resolve("natsee.pid");
        Server server = launch("-a", "127.0.0.1", "-p", "-1", "-m", "-1", "-P", pidFile.toString());
        int port = server.awaitPort(CLIENT_PORT);
        int httpPort = server.awaitPort(HTTP_PORT);
        server.awaitLine("[INF] Server is ready");
        assertEquals(Long.toString(server.process.pid()), Files.readString(pidFile));

        try (Socket socket = new Socket("127.0.0.1", port)) {
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            assertTrue(in.readLine().startsWith("INFO {"));
            OutputStream out = socket.getOutputStream();
            out.write("CONNECT {\"verbose\":false}\r\nPING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertEquals("PONG", in.readLine());
        }

        Options options = new Options.Builder().server("nats://127.0.0.1:" + port)
                .connectionTimeout(Duration.ofSeconds(5)).noReconnect().build();
        try (Connection connection = Nats.connect(options)) {
            Subscription subscription = connection.subscribe("greeting");
            connection.publish("greeting", "hello".getBytes(StandardCharsets.UTF_8));
            Message message = subscription.nextMessage(Duration.ofSeconds(5));
            assertNotNull(message, "message delivered");
            assertArrayEquals("hello".getBytes(StandardCharsets.UTF_8), message.getData());
        }

        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/healthz"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals("{\"status\":\"ok\"}", health.body());
        HttpResponse<String> varz = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/varz"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(varz.body().contains("\"total_connections\": 2,"), varz.body());

        // Not Process.destroy(): it sends SIGTERM too, but closes our end of the log pipe first.
        sendSignal(server.process, "TERM");
        assertEquals(0, server.awaitExit(), server.lines.toString());
        assertTrue(server.lines.stream().anyMatch(line -> line.endsWith("[INF] Initiating Shutdown...")), server.lines.toString());
        assertTrue(server.lines.get(server.lines.size() - 1).endsWith("[INF] Server Exiting.."), server.lines.toString());
        assertFalse(Files.exists(pidFile), "pid file removed");
    }

    @Test
    void debugAndLogFileFlags(@TempDir Path directory) throws Exception {
        Path log = directory.resolve("server.log");
        Server server = launch("-a", "127.0.0.1", "-p", "-1", "-D", "-l", log.toString());
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!(Files.exists(log) && Files.readString(log).contains("Server is ready"))) {
            assertTrue(System.nanoTime() < deadline, "not ready: " + server.lines);
            Thread.sleep(20);
        }
        sendSignal(server.process, "INT");
        assertEquals(0, server.awaitExit());
        List<String> lines = Files.readAllLines(log);
        String prefix = "[" + server.process.pid() + "] ";
        assertTrue(lines.stream().allMatch(line -> line.startsWith(prefix)), lines.toString());
        assertTrue(lines.stream().anyMatch(line -> line.contains("[DBG] Trapped \"interrupt\" signal")), lines.toString());
        assertTrue(server.lines.isEmpty(), "nothing on standard error: " + server.lines);
    }

    @Test
    void aBusyPortIsFatalWithExitOne() throws Exception {
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            Server server = launch("-a", "127.0.0.1", "-p", Integer.toString(busy.getLocalPort()));
            assertEquals(1, server.awaitExit());
            assertTrue(server.lines.stream().anyMatch(line -> line.contains("[FTL] Error listening on port: 127.0.0.1:" + busy.getLocalPort())),
                    server.lines.toString());
        }
    }

    @Test
    void commandLineErrorsExitWithoutStarting() throws Exception {
        Server unknown = launch("--bogus");
        assertEquals(2, unknown.awaitExit());
        assertEquals("flag provided but not defined: -bogus", unknown.lines.get(0));
        Server unsupported = launch("--jetstream");
        assertEquals(1, unsupported.awaitExit());
        assertEquals(List.of("natsee-server: -jetstream is not supported yet"), unsupported.lines);
        Server routesAlone = launch("--routes", "nats://127.0.0.1:6222");
        assertEquals(1, routesAlone.awaitExit());
        assertEquals(List.of("natsee-server: solicited routes require cluster capabilities, e.g. --cluster"), routesAlone.lines);
    }

    @Test
    void scriptRunsFromAnyDirectory(@TempDir Path directory) throws Exception {
        Path root = jar.getParent().getParent().getParent().getParent();
        Path script = root.resolve("bin").resolve("natsee-server");
        assumeTrue(Files.isExecutable(script), "no " + script);

        Server version = new Server(new ProcessBuilder(script.toString(), "-v").directory(directory.toFile()));
        assertEquals(0, version.awaitExit());
        assertTrue(version.lines.get(0).startsWith("natsee-server: v"), version.lines.toString());

        Server server = new Server(new ProcessBuilder(script.toString(), "-a", "127.0.0.1", "-p", "-1")
                .directory(directory.toFile()));
        int port = server.awaitPort(CLIENT_PORT);
        server.awaitLine("Server is ready");
        try (Socket socket = new Socket("127.0.0.1", port)) {
            assertTrue(new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))
                    .readLine().startsWith("INFO {"));
        }
        // The script execs the JVM, so the script's process is the server: signals reach it.
        assertTrue(server.process.info().command().orElse("").endsWith("java"), server.process.info().toString());
        sendSignal(server.process, "TERM");
        assertEquals(0, server.awaitExit(), server.lines.toString());
    }

    private static void sendSignal(Process process, String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
        assertEquals(0, kill.waitFor());
    }
}
