package io.natsee.broker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
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
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Operating a running server process as nats-server's users do (each behaviour first observed on
 * Debian's nats-server 2.9.10): {@code --signal reopen|ldm|stop=<pid file>}, log rotation with
 * {@code logfile_size_limit} (every line kept, in the file or a backup), and the ports file of
 * {@code ports_file_dir} (written with the bound URLs, removed on a graceful exit, left by
 * {@code stop}, which is SIGKILL). Run by failsafe after {@code package}, like {@link ServerReloadIT}.
 */
class ServerOperationsIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Pattern CLIENT_PORT = Pattern.compile("Listening for client connections on 127\\.0\\.0\\.1:(\\d+)");

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
    void reopenStartsANewLogFileAndLameDuckExitsZero(@TempDir Path directory) throws Exception {
        Path log = directory.resolve("server.log");
        Path pidFile = directory.resolve("server.pid");
        Path config = Files.writeString(directory.resolve("server.conf"), "lame_duck_grace_period: \"1s\"\n");
        Process server = start("-c", config.toString(), "-a", "127.0.0.1", "-p", "-1", "-P", pidFile.toString(), "-l", log.toString());
        int port = awaitPort(server, log);
        assertEquals("PONG", ping(port));

        Path moved = directory.resolve("server.log.moved");
        Files.move(log, moved);
        assertEquals(0, signal("reopen=" + pidFile));
        awaitLine(log, "[INF] File log re-opened");
        assertTrue(Files.readString(moved).contains("Server is ready"), "the old file keeps what was written");

        assertEquals(0, signal("ldm=" + pidFile));
        assertTrue(server.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS), Files.readString(log));
        assertEquals(0, server.exitValue());
        String written = Files.readString(log);
        assertTrue(written.contains("[INF] Entering lame duck mode, stop accepting new clients"), written);
        assertTrue(written.contains("[INF] Server Exiting.."), written);
    }

    @Test
    void aFlightRecordingLeavesTheServerOutOfLameDuckAndLdmStillWorks(@TempDir Path directory) throws Exception {
        Path log = directory.resolve("server.log");
        Path pidFile = directory.resolve("server.pid");
        Path config = Files.writeString(directory.resolve("server.conf"), "lame_duck_grace_period: \"1s\"\n");
        Process server = start(true, List.of("-XX:StartFlightRecording:filename=" + directory.resolve("recording.jfr")),
                "-c", config.toString(), "-a", "127.0.0.1", "-p", "-1", "-P", pidFile.toString(), "-l", log.toString());
        int port = awaitPort(server, log);
        try (Client client = Client.connect(port)) {
            // The recording samples threads every 20 ms (its default settings): 150 samples.
            Thread.sleep(3000);
            assertTrue(server.isAlive(), Files.readString(log));
            client.write("PING\r\n");
            assertEquals("PONG", client.readLine(), "no INFO with ldm came before");
            try (Socket second = new Socket("127.0.0.1", port)) {
                second.setSoTimeout((int) TIMEOUT.toMillis());
                String info = new BufferedReader(new InputStreamReader(second.getInputStream(), StandardCharsets.UTF_8)).readLine();
                assertTrue(info.startsWith("INFO {") && !info.contains("\"ldm\""), info);
            }
            assertFalse(Files.readString(log).contains("lame duck"), Files.readString(log));
            assertFalse(Files.readString(log).contains("suspend signal"), "no warning with the variable set");

            assertEquals(0, signal("ldm=" + pidFile));
            String info = client.readLine();
            assertTrue(info.startsWith("INFO {") && info.contains(",\"ldm\":true}"), info);
        }
        assertTrue(server.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS), Files.readString(log));
        assertEquals(0, server.exitValue());
        assertTrue(Files.readString(log).contains("[INF] Entering lame duck mode, stop accepting new clients"));
    }

    @Test
    void withoutTheVariableARecordingPutsTheServerInLameDuckAndTheServerWarns(@TempDir Path directory) throws Exception {
        Path log = directory.resolve("server.log");
        Path config = Files.writeString(directory.resolve("server.conf"), "lame_duck_grace_period: \"1s\"\n");
        Process server = start(false, List.of("-XX:StartFlightRecording:filename=" + directory.resolve("recording.jfr")),
                "-c", config.toString(), "-a", "127.0.0.1", "-p", "-1", "-l", log.toString());
        int port = awaitPort(server, log);
        // What the variable prevents: HotSpot's thread samples arrive as SIGUSR2 and nothing else stops it.
        // The recording samples threads running Java code: a client keeps the event loop busy until then.
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        try (java.net.Socket busy = new java.net.Socket("127.0.0.1", port)) {
            java.io.OutputStream out = busy.getOutputStream();
            byte[] pings = "PING\r\n".repeat(64).getBytes(StandardCharsets.US_ASCII);
            while (server.isAlive() && System.nanoTime() < deadline) {
                out.write(pings);
                Thread.sleep(1);
            }
        } catch (java.io.IOException closedByTheServer) {
            // lame duck mode or shutdown closed it: what the test waits for
        }
        assertTrue(server.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS), Files.readString(log));
        String written = Files.readString(log);
        assertTrue(written.contains("[WRN] SIGUSR2 (lame duck mode) is also this JVM's thread suspend signal"), written);
        // Lame duck mode, or a shutdown when the first sample came before the server was ready.
        assertTrue(written.contains("[INF] Entering lame duck mode, stop accepting new clients")
                || written.contains("[INF] Initiating Shutdown..."), written);
    }

    /** A raw client whose reader is kept (it buffers what follows the line it read). */
    private record Client(Socket socket, BufferedReader in) implements AutoCloseable {
        static Client connect(int port) throws IOException {
            Socket socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            Client client = new Client(socket, new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8)));
            assertTrue(client.in.readLine().startsWith("INFO {"));
            client.write("CONNECT {\"verbose\":false,\"protocol\":1}\r\nPING\r\n");
            assertEquals("PONG", client.in.readLine());
            return client;
        }

        /** The next line other than the server's PING, which is answered. */
        String readLine() throws IOException {
            String line = in.readLine();
            while ("PING".equals(line)) {
                write("PONG\r\n");
                line = in.readLine();
            }
            return line;
        }

        void write(String text) throws IOException {
            socket.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    @Test
    void stopKillsTheProcessAndLeavesItsFiles(@TempDir Path directory) throws Exception {
        Path log = directory.resolve("server.log");
        Path pidFile = directory.resolve("server.pid");
        Process server = start("-a", "127.0.0.1", "-p", "-1", "-P", pidFile.toString(), "-l", log.toString(),
                "--ports_file_dir", directory.toString());
        awaitPort(server, log);
        assertEquals(0, signal("stop=" + pidFile));
        assertTrue(server.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
        assertEquals(137, server.exitValue(), "SIGKILL, as nats-server's stop");
        assertTrue(Files.exists(pidFile), "nothing ran to remove the pid file");
        assertTrue(Files.exists(directory.resolve("natsee-server_" + server.pid() + ".ports")));
    }

    @Test
    void thePortsFileNamesTheBoundPortsAndGoesAwayOnQuit(@TempDir Path directory) throws Exception {
        Path log = directory.resolve("server.log");
        Path pidFile = directory.resolve("server.pid");
        Process server = start("-a", "127.0.0.1", "-p", "-1", "-m", "-1", "-P", pidFile.toString(), "-l", log.toString(),
                "--ports_file_dir", directory.toString());
        int port = awaitPort(server, log);
        awaitLine(log, "[INF] Server is ready");
        Path ports = directory.resolve("natsee-server_" + server.pid() + ".ports");
        String content = Files.readString(ports);
        Matcher monitoring = Pattern.compile("^\\{\"nats\":\\[\"nats://127\\.0\\.0\\.1:" + port
                + "\"],\"monitoring\":\\[\"http://127\\.0\\.0\\.1:(\\d+)\"]}$").matcher(content);
        assertTrue(monitoring.matches(), content);
        HttpResponse<String> varz = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + monitoring.group(1) + "/varz")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, varz.statusCode(), "the monitoring URL of the ports file answers");

        assertEquals(0, signal("quit=" + pidFile));
        assertTrue(server.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
        assertEquals(0, server.exitValue());
        assertFalse(Files.exists(ports), "removed on a graceful exit");
    }

    @Test
    void aSizeLimitRotatesTheLogAndNoLineIsLost(@TempDir Path directory) throws Exception {
        Path log = directory.resolve("server.log");
        Path pidFile = directory.resolve("server.pid");
        Path config = Files.writeString(directory.resolve("server.conf"),
                "logfile_size_limit: 400\ndebug: true\n");
        Process server = start("-c", config.toString(), "-a", "127.0.0.1", "-p", "-1", "-P", pidFile.toString(), "-l", log.toString());
        int port = awaitPort(server, log);
        int clients = 30;
        for (int i = 0; i < clients; i++) {
            assertEquals("PONG", ping(port));
        }
        // Each close is logged (DBG, "... - cid:N - client connection closed: ..."): wait for the last.
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (closedCids(directory).size() < clients && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(0, signal("quit=" + pidFile));
        assertTrue(server.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS));

        List<Path> backups;
        try (Stream<Path> files = Files.list(directory)) {
            backups = files.filter(file -> file.getFileName().toString()
                    .matches("server\\.log\\.\\d{4}\\.\\d{2}\\.\\d{2}\\.\\d{2}\\.\\d{2}\\.\\d{2}\\.\\d{9}")).toList();
        }
        assertTrue(backups.size() >= 3, "rotated several times: " + backups);
        for (Path backup : backups) {
            assertTrue(Files.size(backup) < 400 + 300, backup + " holds about the limit: " + Files.size(backup));
        }
        assertTrue(Files.readString(log).contains("[INF] Rotated log, backup saved as \"" + directory), Files.readString(log));
        List<String> cids = closedCids(directory);
        assertEquals(clients, cids.size(), "every close logged exactly once: " + cids);
        assertEquals(clients, cids.stream().distinct().count(), cids.toString());
    }

    /** The cid of every logged connection close, across the log file and its backups. */
    private static List<String> closedCids(Path directory) throws IOException {
        List<String> cids = new ArrayList<>();
        Pattern closed = Pattern.compile("cid:(\\d+) - client connection closed", Pattern.CASE_INSENSITIVE);
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith("server.log")).toList()) {
                for (String line : Files.readAllLines(file)) {
                    Matcher matcher = closed.matcher(line);
                    if (matcher.find()) {
                        cids.add(matcher.group(1));
                    }
                }
            }
        }
        return cids;
    }

    private static String ping(int port) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            assertTrue(in.readLine().startsWith("INFO {"));
            OutputStream out = socket.getOutputStream();
            out.write("CONNECT {\"verbose\":false}\r\nPING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return in.readLine();
        }
    }

    private int signal(String argument) throws Exception {
        Process process = new ProcessBuilder(java(), "-jar", jar.toString(), "--signal", argument).redirectErrorStream(true).start();
        processes.add(process);
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
        assertEquals("", output);
        return process.exitValue();
    }

    private Process start(String... arguments) throws IOException {
        return start(true, List.of(), arguments);
    }

    /**
     * @param moveSuspendSignal whether the JVM gets bin/natsee-server's suspend signal (see {@link ServerJvm})
     */
    private Process start(boolean moveSuspendSignal, List<String> jvmOptions, String... arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of(java(), "-XX:+UseParallelGC", "-Xmx64m"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar.toString()));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = moveSuspendSignal ? ServerJvm.processBuilder(command) : new ProcessBuilder(command);
        if (!moveSuspendSignal) {
            builder.environment().remove(SuspendResumeSignal.ENVIRONMENT_VARIABLE);
        }
        Process process = builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        processes.add(process);
        return process;
    }

    private static int awaitPort(Process process, Path log) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(log)) {
                Matcher matcher = CLIENT_PORT.matcher(Files.readString(log));
                if (matcher.find()) {
                    return Integer.parseInt(matcher.group(1));
                }
            }
            assertTrue(process.isAlive(), "the server exited early");
            Thread.sleep(20);
        }
        throw new AssertionError("no client port within " + TIMEOUT);
    }

    private static void awaitLine(Path log, String text) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readString(log).contains(text)) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no line containing " + text + " in " + log);
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
