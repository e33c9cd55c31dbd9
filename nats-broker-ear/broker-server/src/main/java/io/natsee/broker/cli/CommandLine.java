package io.natsee.broker.cli;

import io.natsee.broker.BrokerOptions;
import io.natsee.broker.auth.AuthOptions;
import io.natsee.broker.auth.User;
import io.natsee.broker.cluster.ClusterOptions;
import io.natsee.broker.cluster.ClusterUrls;
import io.natsee.broker.config.TlsFiles;
import io.natsee.broker.tls.TlsOptions;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

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
 * @param user {@code --user}: the single user's name (empty removes the file's)
 * @param password {@code --pass}: the single user's password
 * @param token {@code --auth}: the token clients must send (empty removes the file's)
 * @param tls {@code --tls}: TLS on ({@code --tls=false} switches off the file's TLS and every other TLS flag)
 * @param tlsCert {@code --tlscert}: the server certificate, PEM
 * @param tlsKey {@code --tlskey}: the server's private key, PEM
 * @param tlsCaCert {@code --tlscacert}: the CA that client certificates must chain to, PEM
 * @param tlsVerify {@code --tlsverify}: require client certificates
 * @param signal {@code -sl}, {@code --signal}: {@code command[=pid or pid file]} to send to a running server
 * @param logSizeLimit {@code --log_size_limit}: rotate the log file beyond this many bytes
 * @param maxTracedMsgLen {@code --max_traced_msg_len}: the longest payload a trace line shows
 * @param portsFileDir {@code --ports_file_dir}: where to write {@code <name>_<pid>.ports}
 * @param clusterListen {@code --cluster}, {@code --cluster_listen}: {@code nats://[user:pass@]host:port}
 *                      of the route port ({@code ""} switches clustering off)
 * @param routes {@code --routes}: comma-separated route URLs ({@code ""} removes the file's)
 * @param clusterName {@code --cluster_name}
 * @param noAdvertise {@code --no_advertise}: do not tell clients about the other servers
 * @param clusterAdvertise {@code --cluster_advertise}: the {@code host:port} peers are told to dial
 * @param connectRetries {@code --connect_retries}: redials of an implicit route
 * @param unsupported the flags nats-server has that this server recognises but cannot honour
 *                    yet, as given (for example {@code -user})
 */
record CommandLine(String host, Integer port, String serverName, Path pidFile, Integer httpPort,
                   Path configFile, boolean testConfig, Path logFile, Boolean logTime,
                   Boolean debug, Boolean trace, boolean help, boolean version, Integer eventLoops,
                   String user, String password, String token, Boolean tls, Path tlsCert, Path tlsKey,
                   Path tlsCaCert, Boolean tlsVerify, String signal,
                   Integer logSizeLimit, Integer maxTracedMsgLen, Path portsFileDir,
                   String clusterListen, String routes, String clusterName, Boolean noAdvertise,
                   String clusterAdvertise, Integer connectRetries,
                   List<String> unsupported) {

    /** Flags of nats-server this server recognises and refuses until it implements them. */
    private static final List<String> UNSUPPORTED_KEYS = List.of(
            "https_port", "client_advertise", "syslog", "remote_syslog", "jetstream", "store_dir", "help_tls",
            "profile");

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
                // One variable in nats-server (Cluster.ListenStr): the last of the two given wins.
                .define("cluster", text, "cluster", "cluster_listen")
                .define("cluster_name", text, "cluster_name")
                .define("no_advertise", bool, "no_advertise")
                .define("cluster_advertise", text, "cluster_advertise")
                .define("connect_retries", number, "connect_retries")
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
                (String) values.get("user"),
                (String) values.get("pass"),
                (String) values.get("auth"),
                (Boolean) values.get("tls"),
                path(values.get("tlscert")),
                path(values.get("tlskey")),
                path(values.get("tlscacert")),
                (Boolean) values.get("tlsverify"),
                (String) values.get("signal"),
                intValue(values, parsed, "log_size_limit"),
                intValue(values, parsed, "max_traced_msg_len"),
                path(values.get("ports_file_dir")),
                (String) values.get("cluster"),
                (String) values.get("routes"),
                (String) values.get("cluster_name"),
                (Boolean) values.get("no_advertise"),
                (String) values.get("cluster_advertise"),
                intValue(values, parsed, "connect_retries"),
                List.copyOf(unsupported));
    }

    /** As {@link #applyTo(BrokerOptions.Builder, Consumer)}, dropping the notices. */
    BrokerOptions.Builder applyTo(BrokerOptions.Builder builder) {
        return applyTo(builder, notice -> { });
    }

    /**
     * Sets the options given on the command line, over whatever the builder holds (defaults and
     * the configuration file), as nats-server 2.9.10 combines them; see {@link #applyAuthorization}
     * and {@link #applyTls}.
     *
     * @param notices receives a line for each flag that has no effect in this combination
     * @throws IllegalArgumentException naming the flag whose value the options refuse, or with
     *                                  nats-server's text for TLS flags without certificate or key
     */
    BrokerOptions.Builder applyTo(BrokerOptions.Builder builder, Consumer<String> notices) {
        applyAuthorization(builder, notices);
        applyTls(builder);
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
        if (logSizeLimit != null) {
            builder.logFileSizeLimit(logSizeLimit);
        }
        if (maxTracedMsgLen != null) {
            builder.maxTracedMsgLen(maxTracedMsgLen);
        }
        if (portsFileDir != null) {
            builder.portsFileDir(portsFileDir);
        }
        applyCluster(builder);
        return builder;
    }

    /** Whether any cluster flag was given. */
    boolean hasClusterFlags() {
        return clusterListen != null || routes != null || clusterName != null || noAdvertise != null
                || clusterAdvertise != null || connectRetries != null;
    }

    /**
     * The cluster flags over the file's {@code cluster} block, as nats-server 2.9.10's
     * {@code overrideCluster} and {@code --routes} handling: {@code --cluster ""} switches
     * clustering off (port 0); a {@code --cluster} URL sets host and port and replaces the
     * route credentials with its own (none when it has none); {@code --routes ""} removes the
     * routes. Routes without a cluster port are refused with nats-server's text.
     *
     * @throws IllegalArgumentException with nats-server's texts
     */
    private void applyCluster(BrokerOptions.Builder builder) {
        if (!hasClusterFlags()) {
            return;
        }
        ClusterOptions cluster = builder.cluster() == null ? ClusterOptions.of(0) : builder.cluster();
        if (clusterListen != null) {
            if (clusterListen.isEmpty()) {
                cluster = cluster.withListen(cluster.host(), 0);
            } else {
                ClusterUrls.Listen listen = ClusterUrls.listen(clusterListen);
                cluster = cluster.withListen(listen.host(), listen.port()).withCredentials(listen.user(), listen.password());
            }
        }
        if (routes != null) {
            cluster = cluster.withRoutes(ClusterUrls.routes(routes));
        }
        if (clusterName != null) {
            cluster = cluster.withName(clusterName);
        }
        if (noAdvertise != null) {
            cluster = cluster.withNoAdvertise(noAdvertise);
        }
        if (clusterAdvertise != null) {
            cluster = cluster.withAdvertise(clusterAdvertise);
        }
        if (connectRetries != null) {
            if (connectRetries < 0) {
                throw new IllegalArgumentException("invalid value for flag -connect_retries: must not be negative");
            }
            cluster = cluster.withConnectRetries(connectRetries);
        }
        if (routes != null && !routes.isEmpty() && (clusterListen == null || clusterListen.isEmpty())
                && cluster.host() == null && cluster.port() == 0) {
            throw new IllegalArgumentException("solicited routes require cluster capabilities, e.g. --cluster");
        }
        builder.cluster(cluster);
    }

    /** Whether any of {@code --user}, {@code --pass} and {@code --auth} was given. */
    boolean hasCredentials() {
        return user != null || password != null || token != null;
    }

    /**
     * {@code --user}, {@code --pass} and {@code --auth} each replace the file's value, an empty
     * one included. nats-server then checks a client against the users list when there is one
     * (a client sending another user name is refused), then the token, then the single user; so
     * a single user next to a users list or a token can never log in, and is dropped here with
     * a notice. A user without password has the empty password.
     */
    private void applyAuthorization(BrokerOptions.Builder builder, Consumer<String> notices) {
        if (!hasCredentials()) {
            return;
        }
        AuthOptions file = builder.build().authorization();
        String newUser = file == null ? null : file.user();
        String newPassword = file == null ? null : file.password();
        String newToken = file == null ? null : file.token();
        if (user != null) {
            newUser = user.isEmpty() ? null : user;
        }
        if (password != null) {
            newPassword = password;
        }
        if (token != null) {
            newToken = token.isEmpty() ? null : token;
        }
        if (newUser != null && newPassword == null) {
            newPassword = "";
        }
        List<User> users = file == null ? List.of() : file.users();
        if (newUser != null && !users.isEmpty()) {
            notices.accept("The single user \"" + newUser + "\" is ignored: the configuration file's users list"
                    + " takes precedence, as in nats-server");
            newUser = null;
            newPassword = null;
        } else if (newUser != null && newToken != null) {
            notices.accept("The single user \"" + newUser + "\" is ignored: a token is set, and nats-server then"
                    + " accepts only the token");
            newUser = null;
            newPassword = null;
        }
        builder.authorization(new AuthOptions(newUser, newPassword, newToken, users,
                file == null ? null : file.defaultPermissions(), file == null ? null : file.timeout()));
    }

    /**
     * As nats-server: {@code --tls=false} switches TLS off whatever else is given. Otherwise any
     * TLS flag replaces the file's TLS settings with the flags' certificate, key, CA and verify
     * (nats-server's default cipher suites), keeping the file's {@code timeout} and
     * {@code verify_and_map}; certificate and key must then both be given.
     */
    private void applyTls(BrokerOptions.Builder builder) {
        if (Boolean.FALSE.equals(tls)) {
            builder.tls(null);
            return;
        }
        if (tls == null && tlsCert == null && tlsKey == null && tlsCaCert == null && tlsVerify == null) {
            return;
        }
        if (tlsCert == null) {
            throw new IllegalArgumentException("TLS Server certificate must be present and valid");
        }
        if (tlsKey == null) {
            throw new IllegalArgumentException("TLS Server private key must be present and valid");
        }
        String problem = TlsFiles.problem(tlsCert, tlsKey, tlsCaCert);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        TlsOptions file = builder.build().tls();
        builder.tls(new TlsOptions(tlsCert, tlsKey, tlsCaCert, Boolean.TRUE.equals(tlsVerify),
                file != null && file.verifyAndMap(), file == null ? null : file.timeout(), List.of()));
    }

    /** The record's text without the password and token. */
    @Override
    public String toString() {
        return "CommandLine[host=" + host + ", port=" + port + ", configFile=" + configFile + ", user=" + user
                + ", password=" + (password == null ? null : "<hidden>") + ", token=" + (token == null ? null : "<hidden>")
                + ", tls=" + tls + ", tlsCert=" + tlsCert + ", tlsKey=" + tlsKey + ", tlsCaCert=" + tlsCaCert
                + ", tlsVerify=" + tlsVerify + ", signal=" + signal
                + ", clusterListen=" + (clusterListen == null ? null : redactedListen(clusterListen))
                + ", routes=" + (routes == null ? null : routes.replaceAll("://([^:@/]*):[^@/]*@", "://$1:xxxxx@"))
                + ", clusterName=" + clusterName + ", unsupported=" + unsupported + "]";
    }

    private static String redactedListen(String url) {
        return url.replaceAll("://([^:@/]*):[^@/]*@", "://$1:xxxxx@");
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
