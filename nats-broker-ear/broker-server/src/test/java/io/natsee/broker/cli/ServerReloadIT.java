package io.natsee.broker.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Reloading a running server process: the configuration file changes the password, {@code
 * --signal reload=<pid file>} (our own jar, as an operator would run it) sends SIGHUP, and new
 * connections need the new password; a broken file is logged and changes nothing. Run by
 * failsafe after {@code package}, like {@link ServerProcessIT}.
 */
class ServerReloadIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Pattern CLIENT_PORT = Pattern.compile("\\[INF] Listening for client connections on 127\\.0\\.0\\.1:(\\d+)");

    private static Path jar;
    private final List<Process> processes = new ArrayList<>();

    @BeforeAll
    static void findJar() {
        String property = System.getProperty("natsee.server.jar");
        Path candidate = property != null ? Path.of(property) : Path.of("target", "natsee-server.jar");
        assumeTrue(Files.isRegularFile(candidate), "the shaded jar is not built: " + candidate.toAbsolutePath());
        assumeTrue(!System.getProperty("os.name", "").toLowerCase().startsWith("windows"), "Unix signals");
        jar = candidate.toAbsolutePath();
    }

    @AfterEach
    void killLeftovers() throws InterruptedException {
        for (Process process : processes) {
            if (process.isAlive()) {
                process.destroyForcibly();
                process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void sighupAppliesANewPasswordToNewConnections(@TempDir Path directory) throws Exception {
        Path config = Files.writeString(directory.resolve("server.conf"), "authorization { user: a, password: x }\n");
        Path pidFile = directory.resolve("server.pid");
        List<String> lines = new CopyOnWriteArrayList<>();
        Process server = start(lines, "-c", config.toString(), "-a", "127.0.0.1", "-p", "-1", "-P", pidFile.toString());
        int port = awaitPort(server, lines);
        awaitLine(lines, "[INF] Server is ready");
        assertTrue(lines.stream().anyMatch(line -> line.contains("[WRN] ") && line.contains("Plaintext passwords detected")),
                lines.toString());

        assertEquals("PONG", connect(port, "a", "x"));
        assertEquals("-ERR 'Authorization Violation'", connect(port, "a", "y"));

        Files.writeString(config, "authorization { user: a, password: y }\n");
        assertEquals(0, signal("reload=" + pidFile));
        awaitLine(lines, "[INF] Reloaded server configuration");
        assertEquals("-ERR 'Authorization Violation'", connect(port, "a", "x"));
        assertEquals("PONG", connect(port, "a", "y"));

        Files.writeString(config, "authorization { user: a, password: z, token: t }\n");
        assertEquals(0, signal("reload=" + server.pid()));
        awaitLine(lines, "[ERR] Failed to reload server configuration: ");
        assertEquals("PONG", connect(port, "a", "y"), "a failed reload changes nothing");

        assertEquals(0, signal("quit=" + pidFile));
        assertTrue(server.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS), lines.toString());
        assertEquals(0, server.exitValue(), lines.toString());
        for (String line : lines) {
            assertFalse(line.contains("password: ") || line.contains("\"x\"") || line.contains("\"y\""), line);
        }
    }

    /** The first line the server answers CONNECT and PING with. */
    private static String connect(int port, String user, String password) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            assertTrue(in.readLine().startsWith("INFO {"));
            OutputStream out = socket.getOutputStream();
            out.write(("CONNECT {\"verbose\":false,\"user\":\"" + user + "\",\"pass\":\"" + password + "\"}\r\nPING\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return in.readLine();
        }
    }

    private int signal(String argument) throws Exception {
        Process process = new ProcessBuilder(java(), "-jar", jar.toString(), "--signal", argument)
                .redirectErrorStream(true).start();
        processes.add(process);
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
        assertEquals("", output);
        return process.exitValue();
    }

    private Process start(List<String> lines, String... arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of(java(), "-XX:+UseParallelGC", "-Xmx64m", "-jar", jar.toString()));
        command.addAll(List.of(arguments));
        Process process = ServerJvm.processBuilder(command).redirectErrorStream(true).start();
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
        return process;
    }

    private static int awaitPort(Process process, List<String> lines) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            for (String line : lines) {
                Matcher matcher = CLIENT_PORT.matcher(line);
                if (matcher.find()) {
                    return Integer.parseInt(matcher.group(1));
                }
            }
            if (!process.isAlive()) {
                fail("server exited with " + process.exitValue() + ": " + lines);
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no client port within " + TIMEOUT + ": " + lines);
    }

    private static void awaitLine(List<String> lines, String text) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (lines.stream().anyMatch(line -> line.contains(text))) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no line containing " + text + ": " + lines);
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
