package io.natsee.streaming.compat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** A server started as a process (our streaming launcher, or the reference nats-server), with its output kept. */
final class ServerProcess implements AutoCloseable {
    private final Process process;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    /** When each line of {@link #lines} arrived ({@link System#nanoTime()}), at the same index. */
    private final List<Long> arrivals = new CopyOnWriteArrayList<>();
    private final CountDownLatch ready = new CountDownLatch(1);

    private ServerProcess(List<String> command, String readyLine) throws IOException {
        this(command, java.util.Map.of(), readyLine);
    }

    private ServerProcess(List<String> command, java.util.Map<String, String> environment, String readyLine)
            throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        process = builder.start();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    arrivals.add(System.nanoTime());
                    lines.add(line);
                    if (line.contains(readyLine)) {
                        ready.countDown();
                    }
                }
            } catch (IOException ignored) {
                // the process ended
            }
        }, "server-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** Our streaming server: {@code java -jar natsee-streaming.jar ARGS}, ready when it prints its ready line. */
    static ServerProcess streaming(String... args) throws IOException, InterruptedException {
        ServerProcess server = startStreaming(args);
        server.awaitReady();
        return server;
    }

    /** Our streaming server with more environment variables, ready when it prints its ready line. */
    static ServerProcess streaming(java.util.Map<String, String> environment, String... args)
            throws IOException, InterruptedException {
        ServerProcess server = new ServerProcess(streamingCommand(args), environment, "Streaming Server is ready");
        server.awaitReady();
        return server;
    }

    /** Our streaming server, started without waiting for it to be ready (see {@link #awaitExit}). */
    static ServerProcess startStreaming(String... args) throws IOException {
        return new ServerProcess(streamingCommand(args), "Streaming Server is ready");
    }

    private static List<String> streamingCommand(String... args) {
        String jar = System.getProperty("natsee.streaming.jar");
        if (jar == null || !Files.exists(Path.of(jar))) {
            throw new IllegalStateException("the launcher jar is missing: " + jar);
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseParallelGC", "-jar", jar));
        command.addAll(List.of(args));
        return command;
    }

    /** Waits for the process to end by itself; its exit code, or -1 after the timeout (then it is killed). */
    int awaitExit(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            kill();
            return -1;
        }
        return process.exitValue();
    }

    /** The reference nats-server on a port (more flags after it), or null when it is not installed. */
    static ServerProcess natsServer(int port, String... more) throws IOException, InterruptedException {
        Path binary = Path.of("/usr/sbin/nats-server");
        String found = Files.isExecutable(binary) ? binary.toString() : which("nats-server");
        if (found == null) {
            return null;
        }
        List<String> command = new ArrayList<>(List.of(found, "-a", "127.0.0.1", "-p", String.valueOf(port)));
        command.addAll(List.of(more));
        ServerProcess server = new ServerProcess(command, "Server is ready");
        server.awaitReady();
        return server;
    }

    private static String which(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return null;
    }

    void awaitReady() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!ready.await(100, TimeUnit.MILLISECONDS) && process.isAlive() && System.nanoTime() < deadline) {
            // waiting for the ready line, or for the process to end
        }
        if (ready.getCount() > 0) {
            close();
            throw new IllegalStateException("the server did not become ready: " + lines);
        }
    }

    List<String> output() {
        return lines;
    }

    /**
     * When ({@link System#nanoTime()}) the first line at index {@code from} or later containing {@code text} arrived;
     * -1 when none has.
     */
    long arrivalOf(String text, int from) {
        for (int i = from; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return arrivals.get(i);
            }
        }
        return -1;
    }

    boolean printed(String text) {
        return lines.stream().anyMatch(line -> line.contains(text));
    }

    boolean isAlive() {
        return process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    /** SIGKILL, as {@code kill -9}. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
    }
}
