package io.natsee.stack;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code java -jar natsee-stack.jar ...} as the stack tests run it: started as a process whose
 * output is echoed with a prefix, ready once it printed its banner (which {@link #banner()} holds).
 */
final class StackProcess {

    private final Process process;
    private final String banner;
    private final StringBuffer output;

    private StackProcess(Process process, String banner, StringBuffer output) {
        this.process = process;
        this.banner = banner;
        this.output = output;
    }

    /**
     * Starts the stack of the build ({@code stack.jar}) with {@code arguments} and extra environment
     * variables; returns once it is ready, or throws (the process stopped) when it is not within 300 s.
     */
    static StackProcess start(List<String> arguments, Map<String, String> environment) throws Exception {
        return start("stack", arguments, environment);
    }

    /** {@link #start(List, Map)}, the output echoed behind {@code label} (two stacks side by side). */
    static StackProcess start(String label, List<String> arguments, Map<String, String> environment) throws Exception {
        Path jar = jar();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString()));
        command.addAll(arguments);
        ProcessBuilder launcher = new ProcessBuilder(command).redirectErrorStream(true);
        launcher.environment().putAll(environment);
        Process process = launcher.start();
        CompletableFuture<String> ready = new CompletableFuture<>();
        StringBuilder banner = new StringBuilder();
        StringBuffer output = new StringBuffer();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    System.out.println(label + "| " + line);
                    output.append(line).append('\n');
                    if (line.startsWith("NATS EE stack ready") || (banner.length() > 0 && !ready.isDone())) {
                        banner.append(line).append('\n');
                        if (line.startsWith("Ctrl-C")) {
                            ready.complete(banner.toString());
                        }
                    }
                }
            } catch (Exception e) {
                ready.completeExceptionally(e);
            }
            ready.completeExceptionally(new IllegalStateException("the stack's output ended before it was ready"));
        }, label + "-output");
        reader.setDaemon(true);
        reader.start();
        try {
            return new StackProcess(process, ready.get(300, TimeUnit.SECONDS), output);
        } catch (java.util.concurrent.TimeoutException e) {
            String dump = threadDump(process, label);
            new StackProcess(process, "", output).stop();
            throw new IllegalStateException(label + ": the stack printed no banner within 300 s" + dump, e);
        } catch (Exception e) {
            new StackProcess(process, "", output).stop();
            throw e;
        }
    }

    /**
     * The threads of the launcher's Payara Micro ({@code jcmd PID Thread.print}) written to
     * {@code target/LABEL-not-ready-threads.txt}, to see what a stack that never got ready waits
     * for; returns where, or why not, as the end of a message.
     */
    private static String threadDump(Process launcher, String label) {
        try {
            Path file = Path.of("target", label + "-not-ready-threads.txt");
            java.nio.file.Files.deleteIfExists(file);
            for (ProcessHandle server : launcher.descendants().toList()) {
                Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                        Long.toString(server.pid()), "Thread.print")
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(file.toFile())).start();
                if (!jcmd.waitFor(30, TimeUnit.SECONDS)) {
                    jcmd.destroyForcibly();
                }
            }
            return "; the server's threads are in " + file;
        } catch (Exception e) {
            return "; no thread dump: " + e;
        }
    }

    /** The stack's jar as the build made it. */
    static Path jar() {
        return Path.of(System.getProperty("stack.jar", "target/natsee-stack.jar"));
    }

    /** The launcher's process. */
    Process process() {
        return process;
    }

    /** Everything the stack and its Payara Micro printed so far. */
    String output() {
        return output.toString();
    }

    /** Payara logged nothing SEVERE so far; {@code what} names the stack (and the moment) in the failure. */
    void assertNoSevere(String what) {
        String printed = output();
        int severe = printed.indexOf("[SEVERE]");
        assertTrue(severe < 0, what + ": Payara logged "
                + (severe < 0 ? "" : printed.substring(severe, Math.min(printed.length(), severe + 800))));
    }

    /** What the stack printed from "NATS EE stack ready" to "Ctrl-C stops the stack.". */
    String banner() {
        return banner;
    }

    /**
     * Stops the stack as Ctrl-C does (SIGTERM to the launcher), waits up to 90 s for it and its
     * Payara Micro, kills what is left; returns the launcher's exit status (-1: it had to be killed).
     */
    int stop() throws Exception {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        boolean exited = process.waitFor(90, TimeUnit.SECONDS);
        if (!exited) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        for (ProcessHandle child : children) {
            if (!child.onExit().isDone()) {
                try {
                    child.onExit().get(30, TimeUnit.SECONDS);
                } catch (java.util.concurrent.TimeoutException e) {
                    child.destroyForcibly();
                }
            }
        }
        return exited ? process.exitValue() : -1;
    }

    /**
     * {@code kill -9} of the stack's Payara Micro JVM (and of anything it started), as a crash of
     * the application server: nothing is undeployed, no store is closed, no lock is released.
     * Returns once the JVM is gone (at most 10 s); the launcher exits by itself when its server
     * dies, and {@link #stop()} still waits for it.
     *
     * @return {@link System#nanoTime()} just before the signal
     * @throws IllegalStateException when the launcher has no running server or the server outlived the signal
     */
    long killServer() throws Exception {
        List<ProcessHandle> server = process.descendants().toList();
        if (server.stream().noneMatch(child -> child.info().commandLine().map(line -> line.contains("payara-micro.jar")).orElse(true))) {
            throw new IllegalStateException("the launcher " + process.pid() + " has no Payara Micro process: " + server);
        }
        long at = System.nanoTime();
        for (ProcessHandle child : server) {
            child.destroyForcibly();
        }
        for (ProcessHandle child : server) {
            try {
                child.onExit().get(10, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                throw new IllegalStateException("process " + child.pid() + " outlived kill -9 by 10 s");
            }
        }
        return at;
    }

    /** A free port on the loopback address. */
    static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** Environment variables from name, value, name, value, ... */
    static Map<String, String> env(String... pairs) {
        Map<String, String> map = new java.util.HashMap<>();
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return map;
    }
}
