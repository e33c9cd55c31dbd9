package io.natsee.broker.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * {@code -sl}, {@code --signal command[=pid]}: sends a signal to a running server, as
 * nats-server 2.9.10 does. The part after {@code =} is a process id or a file holding one (a pid
 * file); without it, the pid file this command line names ({@code -P} or the configuration
 * file's {@code pid_file}) is used, else the one running natsee-server process.
 *
 * <p>Commands, with nats-server's signals: {@code reload} (SIGHUP: re-read the configuration
 * file), {@code quit} (SIGINT: graceful shutdown), {@code term} (SIGTERM: graceful shutdown),
 * {@code stop} (SIGKILL: immediate, as nats-server sends it), {@code reopen} (SIGUSR1: reopen the
 * log file, after logrotate moved it) and {@code ldm} (SIGUSR2: lame duck mode).
 */
final class SignalCommand {

    /** What identifies our server's processes on their command line. */
    private static final List<String> PROCESS_MARKERS = List.of(Main.class.getName(), "natsee-server.jar");

    private final String command;
    private final String pidText;

    private SignalCommand(String command, String pidText) {
        this.command = command;
        this.pidText = pidText;
    }

    /** A signal that cannot be sent, with the text to print. */
    static final class SignalException extends Exception {
        private static final long serialVersionUID = 1L;

        SignalException(String message) {
            super(message);
        }
    }

    /**
     * Reads {@code command[=pid or pid file]}.
     *
     * @throws SignalException {@code invalid signal parameters} for more than one {@code =}
     */
    static SignalCommand parse(String argument) throws SignalException {
        String[] parts = argument.split("=", -1);
        if (parts.length > 2) {
            throw new SignalException("invalid signal parameters: "
                    + Arrays.stream(parts, 2, parts.length).collect(Collectors.joining(" ", "[", "]")));
        }
        return new SignalCommand(parts[0], parts.length == 2 ? readPidFileOr(parts[1]) : null);
    }

    /** The command as given, such as {@code reload}. */
    String command() {
        return command;
    }

    /** The signal nats-server sends for the command ({@code HUP}, {@code INT}, {@code TERM}, {@code KILL}, {@code USR1}, {@code USR2}). */
    static String signalName(String command) throws SignalException {
        switch (command) {
            case "reload":
                return "HUP";
            case "quit":
                return "INT";
            case "term":
                return "TERM";
            case "stop":
                return "KILL";
            case "reopen":
                return "USR1";
            case "ldm":
                return "USR2";
            default:
                throw new SignalException("unknown signal \"" + command + "\"");
        }
    }

    /**
     * The process to signal: the pid given, else the one in {@code pidFile}, else the only
     * natsee-server process running.
     *
     * @param pidFile the pid file of the command line's options, or {@code null}
     */
    long resolvePid(Path pidFile, Supplier<List<Long>> runningServers) throws SignalException {
        String text = pidText;
        if (text == null && pidFile != null && Files.isRegularFile(pidFile)) {
            text = readPidFileOr(pidFile.toString());
        }
        if (text == null) {
            List<Long> pids = runningServers.get();
            if (pids.isEmpty()) {
                throw new SignalException("no natsee-server processes running");
            }
            if (pids.size() > 1) {
                throw new SignalException("multiple natsee-server processes running:\n"
                        + pids.stream().map(String::valueOf).collect(Collectors.joining("\n")));
            }
            return pids.get(0);
        }
        try {
            long pid = Long.parseLong(text);
            if (pid <= 0) {
                throw new NumberFormatException();
            }
            return pid;
        } catch (NumberFormatException e) {
            throw new SignalException("invalid pid: " + text);
        }
    }

    /** Resolves the process and signals it. */
    void send(Path pidFile) throws SignalException {
        long pid = resolvePid(pidFile, SignalCommand::runningServers);
        String signal = signalName(command);
        if (System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows")) {
            throw new SignalException("sending signals is not supported on this platform");
        }
        Optional<ProcessHandle> process = ProcessHandle.of(pid);
        if (process.isEmpty() || !process.get().isAlive()) {
            throw new SignalException("no such process");
        }
        kill(signal, pid);
    }

    /** Sends the signal with {@code kill}, the one portable way on Unix without native code. */
    private static void kill(String signal, long pid) throws SignalException {
        try {
            Process kill = new ProcessBuilder("kill", "-s", signal, Long.toString(pid))
                    .redirectErrorStream(true).start();
            String output = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (kill.waitFor() != 0) {
                throw new SignalException(output.isEmpty() ? "cannot signal process " + pid : output);
            }
        } catch (IOException e) {
            throw new SignalException("cannot run kill: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SignalException("interrupted while signalling process " + pid);
        }
    }

    /** The natsee-server processes running, this one excluded. */
    static List<Long> runningServers() {
        long self = ProcessHandle.current().pid();
        return ProcessHandle.allProcesses()
                .filter(process -> process.pid() != self)
                .filter(process -> process.info().commandLine()
                        .map(line -> PROCESS_MARKERS.stream().anyMatch(line::contains)).orElse(false))
                .map(ProcessHandle::pid)
                .sorted()
                .toList();
    }

    /** As nats-server: the text names a file, whose content is the pid, or it is the pid itself. */
    private static String readPidFileOr(String text) {
        try {
            Path file = Path.of(text);
            if (Files.isRegularFile(file)) {
                return Files.readString(file, StandardCharsets.US_ASCII).trim();
            }
        } catch (IOException | java.nio.file.InvalidPathException e) {
            // Not a readable file: the text is the pid itself.
        }
        return text;
    }
}
