package io.natsee.broker.cli;

import io.natsee.broker.BrokerOptions;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The standalone server's command line: nats-server 2.9.10's flags, read as its Go flag set reads
 * them, plus our {@code --event_loops}. Only the flags given are set ({@code null} otherwise), so
 * they override a configuration file only where the user said so.
 *
 * @param host {@code -a}, {@code --addr}, {@code --net}: the client interface
 * @param port {@code -p}, {@code --port}: the client port (-1 any free port)
 * @param serverName {@code -n}, {@code --name}, {@code --server_name}
 * @param pidFile {@code -P}, {@code --pid}: the file the process id is written to
 * @param httpPort {@code -m}, {@code --http_port}: the monitoring port
 * @param configFile {@code -c}, {@code --config}
 * @param testConfig {@code -t}: check the configuration file and exit
 * @param logFile {@code -l}, {@code --log}: log to this file instead of standard error
 * @param logTime {@code -T}, {@code --logtime}: timestamps in log lines (default on)
 * @param debug {@code -D}, {@code --debug}, {@code -DV}, {@code -DVV}
 * @param trace {@code -V}, {@code --trace}, {@code -VV}, {@code -DV}, {@code -DVV}
 * @param help {@code -h}, {@code --help} or the command {@code help}
 * @param version {@code -v}, {@code --version} or the command {@code version}
 * @param eventLoops {@code --event_loops}: IO event loops (ours; not a nats-server flag)
 * @param unsupported the flags nats-server has that this server recognises but cannot honour
 *                    yet, as given (for example {@code -user})
 */
record CommandLine(String host, Integer port, String serverName, Path pidFile, Integer httpPort,
                   Path configFile, boolean testConfig, Path logFile, Boolean logTime,
                   Boolean debug, Boolean trace, boolean help, boolean version, Integer eventLoops,
                   List<String> unsupported) {

    /** Flags of nats-server this server recognises and refuses until it implements them. */
    private static final List<String> UNSUPPORTED_KEYS = List.of(
            "https_port", "signal", "client_advertise", "ports_file_dir", "syslog", "remote_syslog",
            "log_size_limit", "max_traced_msg_len", "jetstream", "store_dir",
            "user", "pass", "auth",
            "tls", "tlscert", "tlskey", "tlsverify", "tlscacert", "help_tls",
            "routes", "cluster", "cluster_name", "no_advertise", "cluster_advertise",
            "connect_retries", "cluster_listen", "profile");

    /** A command line that is not valid: a flag error (exit 2) or a bad command (exit 1). */
    static final class CommandLineException extends Exception {
        private static final long serialVersionUID = 1L;
        private final boolean flagError;

        CommandLineException(String message, boolean flagError) {
            super(message);
            this.flagError = flagError;
        }

        /** Whether Go's flag package would have refused it (then the usage hint helps). */
        boolean flagError() {
            return flagError;
        }
    }

    /** nats-server's flag set (server/opts.go and main.go, 2.9.10) plus ours. */
    private static GoFlags flagSet() {
        GoFlags flags = new GoFlags();
        GoFlags.Kind text = GoFlags.Kind.STRING;
        GoFlags.Kind number = GoFlags.Kind.INTEGER;
        GoFlags.Kind bool = GoFlags.Kind.BOOLEAN;
        flags.define("host", text, "a", "addr", "net")
                .define("port", number, "p", "port")
                .define("server_name", text, "n", "name", "server_name")
                .define("pid", text, "P", "pid")
                .define("http_port", number, "m", "http_port")
                .define("config", text, "c", "config")
                .define("test", bool, "t")
                .define("log", text, "l", "log")
                .define("logtime", bool, "T", "logtime")
                .define("debug", bool, "D", "debug")
                .define("trace", bool, "V", "trace")
                .define("trace_verbose", bool, "VV")
                .define("debug_trace", bool, "DV")
                .define("debug_trace_verbose", bool, "DVV")
                .define("help", bool, "h", "help")
                .define("version", bool, "v", "version")
                .define("event_loops", number, "event_loops");
        flags.define("https_port", number, "ms", "https_port")
                .define("signal", text, "sl", "signal")
                .define("client_advertise", text, "client_advertise")
                .define("ports_file_dir", text, "ports_file_dir")
                .define("syslog", bool, "s", "syslog")
                .define("remote_syslog", text, "r", "remote_syslog")
                .define("log_size_limit", number, "log_size_limit")
                .define("max_traced_msg_len", number, "max_traced_msg_len")
                .define("jetstream", bool, "js", "jetstream")
                .define("store_dir", text, "sd", "store_dir")
                .define("user", text, "user")
                .define("pass", text, "pass")
                .define("auth", text, "auth")
                .define("tls", bool, "tls")
                .define("tlscert", text, "tlscert")
                .define("tlskey", text, "tlskey")
                .define("tlsverify", bool, "tlsverify")
                .define("tlscacert", text, "tlscacert")
                .define("help_tls", bool, "help_tls")
                .define("routes", text, "routes")
                .define("cluster", text, "cluster")
                .define("cluster_name", text, "cluster_name")
                .define("no_advertise", bool, "no_advertise")
                .define("cluster_advertise", text, "cluster_advertise")
                .define("connect_retries", number, "connect_retries")
                .define("cluster_listen", text, "cluster_listen")
                .define("profile", number, "profile");
        return flags;
    }

    /**
     * Reads the arguments as nats-server does: flags first; then an optional command,
     * {@code version} or {@code help} (any other word is an error).
     */
    static CommandLine parse(String... arguments) throws CommandLineException {
        GoFlags.Parsed parsed;
        try {
            parsed = flagSet().parse(arguments);
        } catch (GoFlags.FlagException e) {
            throw new CommandLineException(e.getMessage(), true);
        }
        Map<String, Object> values = parsed.values();
        boolean help = isTrue(values.get("help"));
        boolean version = isTrue(values.get("version"));
        if (!parsed.arguments().isEmpty()) {
            String command = parsed.arguments().get(0);
            switch (command.toLowerCase(Locale.ROOT)) {
                case "version" -> version = true;
                case "help" -> help = true;
                default -> throw new CommandLineException("unrecognized command: " + GoFlags.quote(command), false);
            }
        }
        Boolean debug = anyOf(values, "debug", "debug_trace", "debug_trace_verbose");
        Boolean trace = anyOf(values, "trace", "trace_verbose", "debug_trace", "debug_trace_verbose");
        List<String> unsupported = new ArrayList<>();
        for (String key : UNSUPPORTED_KEYS) {
            if (values.containsKey(key)) {
                unsupported.add("-" + parsed.names().get(key));
            }
        }
        return new CommandLine(
                (String) values.get("host"),
                intValue(values, parsed, "port"),
                (String) values.get("server_name"),
                path(values.get("pid")),
                intValue(values, parsed, "http_port"),
                path(values.get("config")),
                isTrue(values.get("test")),
                path(values.get("log")),
                (Boolean) values.get("logtime"),
                debug,
                trace,
                help,
                version,
                intValue(values, parsed, "event_loops"),
                List.copyOf(unsupported));
    }

    /**
     * Sets the options given on the command line, over whatever the builder holds (defaults and
     * the configuration file).
     *
     * @throws IllegalArgumentException naming the flag whose value the options refuse
     */
    BrokerOptions.Builder applyTo(BrokerOptions.Builder builder) {
        if (host != null) {
            builder.host(host);
        }
        if (port != null) {
            apply("port", () -> builder.port(port));
        }
        if (serverName != null) {
            builder.serverName(serverName);
        }
        if (pidFile != null) {
            builder.pidFile(pidFile);
        }
        if (httpPort != null) {
            apply("http_port", () -> builder.httpPort(httpPort));
        }
        if (logFile != null) {
            builder.logFile(logFile);
        }
        if (debug != null) {
            builder.debug(debug);
        }
        if (trace != null) {
            builder.trace(trace);
        }
        if (eventLoops != null) {
            apply("event_loops", () -> builder.eventLoops(eventLoops));
        }
        return builder;
    }

    /** Whether log lines carry a timestamp ({@code -T}, on unless switched off). */
    boolean timestamps() {
        return logTime == null || logTime;
    }

    private static void apply(String flag, Runnable setter) {
        try {
            setter.run();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid value for flag -" + flag + ": " + e.getMessage(), e);
        }
    }

    private static boolean isTrue(Object value) {
        return Boolean.TRUE.equals(value);
    }

    private static Boolean anyOf(Map<String, Object> values, String... keys) {
        Boolean result = null;
        for (String key : keys) {
            Object value = values.get(key);
            if (value != null) {
                result = (result != null && result) || (Boolean) value;
            }
        }
        return result;
    }

    private static Integer intValue(Map<String, Object> values, GoFlags.Parsed parsed, String key)
            throws CommandLineException {
        Object value = values.get(key);
        if (value == null) {
            return null;
        }
        long number = (Long) value;
        if (number < Integer.MIN_VALUE || number > Integer.MAX_VALUE) {
            throw new CommandLineException("invalid value \"" + number + "\" for flag -"
                    + parsed.names().get(key) + ": value out of range", true);
        }
        return (int) number;
    }

    private static Path path(Object value) {
        return value == null || ((String) value).isEmpty() ? null : Path.of((String) value);
    }
}
