package io.natsee.stack;

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
                    System.out.println("stack| " + line);
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
        }, "stack-output");
        reader.setDaemon(true);
        reader.start();
        try {
            return new StackProcess(process, ready.get(300, TimeUnit.SECONDS), output);
        } catch (Exception e) {
            new StackProcess(process, "", output).stop();
            throw e;
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
