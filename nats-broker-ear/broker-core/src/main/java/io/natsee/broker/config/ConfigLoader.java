package io.natsee.broker.config;

import io.natsee.broker.BrokerDefaults;
import io.natsee.broker.BrokerOptions;
import io.natsee.broker.Values;
import io.natsee.broker.config.ConfigValue.ArrayValue;
import io.natsee.broker.config.ConfigValue.BooleanValue;
import io.natsee.broker.config.ConfigValue.IntegerValue;
import io.natsee.broker.config.ConfigValue.MapValue;
import io.natsee.broker.config.ConfigValue.StringValue;
import io.natsee.broker.tls.TlsOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Applies a nats-server configuration file onto a {@link BrokerOptions.Builder}, refusing
 * every key this server does not implement instead of dropping it.
 *
 * <p>Typical use by a command line, which then applies its flags on top (defaults, then the
 * file, then the command line):
 * <pre>{@code
 * BrokerOptions.Builder builder = BrokerOptions.builder();
 * try {
 *     ConfigLoader.load(configFile, builder, System.getenv(), warning -> System.err.println(warning));
 * } catch (ConfigException e) {
 *     e.errors().forEach(System.err::println);   // file:line:column: message, one per problem
 *     System.exit(1);
 * }
 * // apply command-line flags to builder, then builder.build()
 * }</pre>
 *
 * <p>Keys are matched without regard to case, as nats-server does. Honoured:
 * {@code listen} (port, {@code :port} or {@code host:port}), {@code host}/{@code net},
 * {@code port}, {@code http} ({@code host:port} or port), {@code http_port}/{@code monitor_port},
 * {@code server_name}, {@code max_payload}, {@code max_control_line}, {@code max_pending},
 * {@code max_connections}/{@code max_conn}, {@code max_subscriptions}/{@code max_subs},
 * {@code ping_interval}, {@code ping_max}, {@code write_deadline}, {@code debug},
 * {@code trace}, {@code trace_verbose} (sets trace, as in nats-server), {@code logfile}/
 * {@code log_file}, {@code pidfile}/{@code pid_file} and {@code disable_sublist_cache}/
 * {@code no_sublist_cache} (switches the match cache off), {@code authorization} (see
 * {@link AuthorizationBlock}), {@code tls} (see {@link TlsBlock}) and {@code cluster} (see
 * {@link ClusterBlock}). Plaintext passwords
 * produce nats-server's start-up warning ({@link #PLAINTEXT_PASSWORDS_WARNING}) through the
 * warning consumer, at the first such password. {@link #load(Path, BrokerOptions.Builder, Map,
 * Consumer)} remembers the file in {@link BrokerOptions.Builder#configFile(Path)}.
 *
 * <p>Some keys nats-server knows are accepted only with the value that asks for what this
 * server does anyway (for example {@code syslog: false} or {@code prof_port: 0}); any other
 * value is refused. {@code connect_error_reports} and {@code reconnect_error_reports} are
 * accepted and ignored: they only pace the logging of failed outgoing route, gateway and leaf
 * node connections. Every other key nats-server 2.9 knows is
 * refused as "not supported yet", and any other key is an {@code unknown field}, unless a
 * {@code $variable} reference used it, exactly as nats-server reports it.
 *
 * <p>Integer durations are read as seconds with a warning, as nats-server does outside its
 * {@code -t} check mode. Sizes and limits must not be negative: nats-server reads some
 * negative limits as "no limit", which this server does not offer.
 */
public final class ConfigLoader {

    /** nats-server's start-up warning about passwords that are not bcrypt hashes. */
    public static final String PLAINTEXT_PASSWORDS_WARNING = "Plaintext passwords detected, use nkeys or bcrypt";

    private static final System.Logger LOGGER = System.getLogger(ConfigLoader.class.getName());

    /** Keys nats-server 2.9.10 reads that this server does not implement, aliases included. */
    private static final Set<String> UNSUPPORTED = Set.of(
            "accounts", "no_auth_user", "system",
            "ocsp", "allow_non_tls", "gateway", "leaf", "leafnodes",
            "websocket", "ws", "mqtt", "jetstream", "store_dir", "default_js_domain",
            "mappings", "maps", "operator", "operators", "root", "roots", "root_operator",
            "root_operators", "resolver", "account_resolver", "accounts_resolver", "resolver_tls",
            "resolver_preload", "resolver_pinned_accounts", "trusted", "trusted_keys",
            "https", "https_port");

    /** A key accepted only with the value that describes what this server already does. */
    private record Tolerated(Predicate<ConfigValue> accepts, String acceptedValue) {
    }

    private static final Map<String, Tolerated> TOLERATED = Map.ofEntries(
            Map.entry("logtime", new Tolerated(value -> isBoolean(value, true), "true")),
            Map.entry("syslog", new Tolerated(value -> isBoolean(value, false), "false")),
            Map.entry("remote_syslog", new Tolerated(ConfigLoader::isEmptyString, "\"\"")),
            Map.entry("client_advertise", new Tolerated(ConfigLoader::isEmptyString, "\"\"")),
            Map.entry("http_base_path", new Tolerated(value -> isEmptyString(value)
                    || value instanceof StringValue text && text.value().equals("/"), "\"\" or \"/\"")),
            Map.entry("prof_port", new Tolerated(value -> isInteger(value, 0), "0")),
            Map.entry("max_sub_tokens", new Tolerated(value -> isInteger(value, 0), "0")),
            Map.entry("no_header_support", new Tolerated(value -> isBoolean(value, false), "false")),
            Map.entry("server_tags", new Tolerated(value -> value instanceof ArrayValue array
                    && array.elements().isEmpty(), "[]")),
            Map.entry("no_system_account", new Tolerated(value -> isBoolean(value, true), "true")),
            Map.entry("no_system", new Tolerated(value -> isBoolean(value, true), "true")),
            Map.entry("no_sys_acc", new Tolerated(value -> isBoolean(value, true), "true")));

    /** Keys accepted with any integer and ignored; the class javadoc says why. */
    private static final Set<String> IGNORED_INTEGERS = Set.of("connect_error_reports", "reconnect_error_reports");

    private ConfigLoader() {
    }

    /** As {@link #load(Path, BrokerOptions.Builder, Map, Consumer)}, with the process environment; warnings are logged. */
    public static BrokerOptions.Builder load(Path file, BrokerOptions.Builder into) throws ConfigException {
        return load(file, into, System.getenv());
    }

    /** As {@link #load(Path, BrokerOptions.Builder, Map, Consumer)}, logging warnings at WARNING level. */
    public static BrokerOptions.Builder load(Path file, BrokerOptions.Builder into, Map<String, String> environment)
            throws ConfigException {
        return load(file, into, environment, ConfigLoader::logWarning);
    }

    /**
     * Parses the file (with its includes) and applies it onto the builder.
     *
     * @param file the configuration file; includes resolve against its directory
     * @param into the builder to change; left untouched when this method throws
     * @param environment what {@code $NAME} falls back to when no enclosing block defines it
     * @param warnings receives problems nats-server also only warns about, such as a duration
     *     written as a bare integer
     * @return {@code into}, for chaining
     * @throws ConfigException listing every syntax error, unknown or unsupported key and wrong
     *     value, each with its file, line and column
     */
    public static BrokerOptions.Builder load(Path file, BrokerOptions.Builder into, Map<String, String> environment,
            Consumer<ConfigError> warnings) throws ConfigException {
        MapValue root = new ConfigFileParser(environment).parse(file);
        return apply(root, into, warnings).configFile(file);
    }

    /**
     * Applies an already parsed file onto the builder, all or nothing.
     *
     * @return {@code into}, for chaining
     * @throws ConfigException listing every unknown or unsupported key and every wrong value
     */
    public static BrokerOptions.Builder apply(MapValue root, BrokerOptions.Builder into, Consumer<ConfigError> warnings)
            throws ConfigException {
        Application application = new Application(into.build().toBuilder(), warnings);
        for (ConfigEntry entry : root.entries().values()) {
            application.apply(entry);
        }
        application.checkCombination(root);
        if (!application.errors.isEmpty()) {
            throw new ConfigException(application.errors);
        }
        application.warnAboutPlaintextPasswords();
        application.actions.forEach(action -> action.accept(into));
        return into;
    }

    /** Whether nats-server reads a configured password as a bcrypt hash ({@code $2a$NN$...}, also 2b, 2x, 2y). */
    public static boolean isBcrypt(String password) {
        return AuthorizationBlock.isBcrypt(password);
    }

    private static void logWarning(ConfigError warning) {
        LOGGER.log(System.Logger.Level.WARNING, "{0}", warning);
    }

    /** A wrong value; abandons the entry being applied. */
    private static final class ValueError extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient ConfigError error;

        ValueError(ConfigPosition at, String message) {
            super(message, null, false, false);
            this.error = at.error(message);
        }
    }

    /** A host and port from {@code listen} or {@code http}; the host is empty when not given. */
    private record HostPort(String host, int port) {
    }

    /**
     * Applies entries onto a scratch copy to validate them, keeping the setter calls so they
     * can be replayed onto the caller's builder once every entry proved valid.
     */
    private static final class Application {
        final BrokerOptions.Builder scratch;
        final Consumer<ConfigError> warnings;
        final List<ConfigError> errors = new ArrayList<>();
        final List<Consumer<BrokerOptions.Builder>> actions = new ArrayList<>();
        /** The last {@code authorization} block read, for the plaintext password warning. */
        AuthorizationBlock.Result authorization;
        /** The last {@code tls} block read. */
        TlsOptions tls;

        Application(BrokerOptions.Builder scratch, Consumer<ConfigError> warnings) {
            this.scratch = scratch;
            this.warnings = warnings;
        }

        void apply(ConfigEntry entry) {
            try {
                Consumer<BrokerOptions.Builder> action = action(entry);
                if (action != null) {
                    try {
                        action.accept(scratch);
                    } catch (IllegalArgumentException e) {
                        throw new ValueError(entry.value().position(), "invalid value for \"" + entry.key() + "\": " + e.getMessage());
                    }
                    actions.add(action);
                }
            } catch (ValueError e) {
                errors.add(e.error);
            }
        }

        /** The setter call for one entry, or {@code null} when the entry is accepted and ignored. */
        private Consumer<BrokerOptions.Builder> action(ConfigEntry entry) {
            String key = entry.key().toLowerCase(Locale.ROOT);
            ConfigValue value = entry.value();
            switch (key) {
                case "listen" -> {
                    HostPort address = hostPort(entry);
                    String host = address.host().isEmpty() ? BrokerDefaults.HOST : address.host();
                    return builder -> builder.host(host).port(address.port());
                }
                case "host", "net" -> {
                    String host = string(entry);
                    return builder -> builder.host(host.isEmpty() ? BrokerDefaults.HOST : host);
                }
                case "port" -> {
                    int port = port(entry, integer(entry), value.position());
                    return builder -> builder.port(port);
                }
                case "http" -> {
                    HostPort address = hostPort(entry);
                    String host = address.host().isEmpty() ? null : address.host();
                    return builder -> builder.httpHost(host).httpPort(address.port());
                }
                case "http_port", "monitor_port" -> {
                    int port = port(entry, integer(entry), value.position());
                    return builder -> builder.httpPort(port);
                }
                case "server_name" -> {
                    String name = string(entry);
                    if (name.contains(" ")) {
                        // nats-server refuses to start with such a name (validateOptions).
                        throw new ValueError(value.position(), "server name cannot contain spaces");
                    }
                    return builder -> builder.serverName(name);
                }
                case "max_payload" -> {
                    long size = limit(entry, Integer.MAX_VALUE);
                    return builder -> builder.maxPayload(size);
                }
                case "max_control_line" -> {
                    long size = limit(entry, Integer.MAX_VALUE);
                    return builder -> builder.maxControlLine(size);
                }
                case "max_pending" -> {
                    long size = limit(entry, Long.MAX_VALUE);
                    return builder -> builder.maxPending(size);
                }
                case "max_connections", "max_conn" -> {
                    int count = (int) limit(entry, Integer.MAX_VALUE);
                    return builder -> builder.maxConnections(count);
                }
                case "max_subscriptions", "max_subs" -> {
                    int count = (int) limit(entry, Integer.MAX_VALUE);
                    return builder -> builder.maxSubscriptions(count);
                }
                case "ping_max" -> {
                    int count = (int) limit(entry, Integer.MAX_VALUE);
                    return builder -> builder.pingMax(count);
                }
                case "ping_interval" -> {
                    Duration interval = duration(entry, BrokerDefaults.PING_INTERVAL);
                    return builder -> builder.pingInterval(interval);
                }
                case "write_deadline" -> {
                    Duration deadline = duration(entry, BrokerDefaults.WRITE_DEADLINE);
                    return builder -> builder.writeDeadline(deadline);
                }
                case "debug" -> {
                    boolean on = bool(entry);
                    return builder -> builder.debug(on);
                }
                case "trace", "trace_verbose" -> {
                    boolean on = bool(entry);
                    return builder -> builder.trace(on);
                }
                case "logfile", "log_file" -> {
                    Path logFile = path(entry);
                    return builder -> builder.logFile(logFile);
                }
                case "logfile_size_limit", "log_size_limit" -> {
                    long limit = limit(entry, Long.MAX_VALUE);
                    return builder -> builder.logFileSizeLimit(limit);
                }
                case "max_traced_msg_len" -> {
                    long length = limit(entry, Integer.MAX_VALUE);
                    return builder -> builder.maxTracedMsgLen((int) Math.min(Integer.MAX_VALUE, length));
                }
                case "system_account" -> {
                    // No accounts here: the name labels the advisories, published to every client's account.
                    String name = string(entry);
                    return builder -> builder.systemAccount(name);
                }
                case "ports_file_dir" -> {
                    Path directory = path(entry);
                    return builder -> builder.portsFileDir(directory);
                }
                case "lame_duck_duration" -> {
                    Duration duration = duration(entry, BrokerDefaults.LAME_DUCK_DURATION);
                    if (duration.compareTo(Duration.ofSeconds(30)) < 0) {
                        throw new ValueError(value.position(), "invalid lame_duck_duration of "
                                + io.natsee.broker.monitor.GoFormats.duration(duration.toNanos()) + ", minimum is 30 seconds");
                    }
                    return builder -> builder.lameDuckDuration(duration);
                }
                case "lame_duck_grace_period" -> {
                    Duration period = duration(entry, BrokerDefaults.LAME_DUCK_GRACE_PERIOD);
                    if (period.isNegative()) {
                        throw new ValueError(value.position(), "invalid lame_duck_grace_period, needs to be positive");
                    }
                    return builder -> builder.lameDuckGracePeriod(period);
                }
                case "pidfile", "pid_file" -> {
                    Path pidFile = path(entry);
                    return builder -> builder.pidFile(pidFile);
                }
                case "authorization" -> {
                    AuthorizationBlock.Result result = AuthorizationBlock.read(entry, errors, warnings);
                    authorization = result;
                    return result == null ? null : builder -> builder.authorization(result.options());
                }
                case "tls" -> {
                    TlsOptions options = TlsBlock.read(entry, errors);
                    tls = options;
                    return options == null ? null : builder -> builder.tls(options);
                }
                case "cluster" -> {
                    io.natsee.broker.cluster.ClusterOptions cluster = ClusterBlock.read(entry, errors, warnings);
                    return cluster == null ? null : builder -> builder.cluster(cluster);
                }
                case "disable_sublist_cache", "no_sublist_cache" -> {
                    boolean disabled = bool(entry);
                    return builder -> builder.matchCache(!disabled);
                }
                default -> {
                    checkOtherKey(entry, key);
                    return null;
                }
            }
        }

        private void checkOtherKey(ConfigEntry entry, String key) {
            if (IGNORED_INTEGERS.contains(key)) {
                integer(entry);
                return;
            }
            Tolerated tolerated = TOLERATED.get(key);
            if (tolerated != null) {
                if (!tolerated.accepts().test(entry.value())) {
                    throw new ValueError(entry.keyPosition(), "\"" + entry.key() + "\" is not supported yet by this server"
                            + " except with the value " + tolerated.acceptedValue());
                }
                return;
            }
            if (UNSUPPORTED.contains(key)) {
                throw new ValueError(entry.keyPosition(), "\"" + entry.key() + "\" is not supported yet by this server");
            }
            if (!entry.usedAsVariable()) {
                throw new ValueError(entry.keyPosition(), "unknown field \"" + entry.key() + "\"");
            }
        }

        /** nats-server's start-up warning, unless TLS maps certificates to the users without passwords. */
        void warnAboutPlaintextPasswords() {
            if (authorization != null) {
                ConfigPosition at = authorization.plaintextWarning(tls != null && tls.verifyAndMap());
                if (at != null) {
                    warnings.accept(at.error(PLAINTEXT_PASSWORDS_WARNING));
                }
            }
        }

        /** nats-server refuses to start when a client may publish more than it may queue. */
        void checkCombination(MapValue root) {
            if (!errors.isEmpty()) {
                return;
            }
            BrokerOptions options = scratch.build();
            if (options.maxPayload() > options.maxPending()) {
                ConfigEntry blamed = find(root, "max_payload");
                if (blamed == null) {
                    blamed = find(root, "max_pending");
                }
                if (blamed != null) {
                    errors.add(blamed.keyPosition().error("max_payload (" + options.maxPayload()
                            + ") cannot be higher than max_pending (" + options.maxPending() + ")"));
                }
            }
        }

        private static ConfigEntry find(MapValue root, String key) {
            ConfigEntry found = null;
            for (ConfigEntry entry : root.entries().values()) {
                if (entry.key().equalsIgnoreCase(key)) {
                    found = entry;
                }
            }
            return found;
        }

        private HostPort hostPort(ConfigEntry entry) {
            ConfigValue value = entry.value();
            if (value instanceof IntegerValue integer) {
                return new HostPort("", port(entry, integer.value(), value.position()));
            }
            if (!(value instanceof StringValue string)) {
                throw new ValueError(value.position(), "\"" + entry.key() + "\" expects a port or host:port, not "
                        + value.typeName());
            }
            String text = string.value();
            String host;
            String port;
            if (text.startsWith("[")) {
                int close = text.indexOf(']');
                if (close < 0 || close + 1 >= text.length() || text.charAt(close + 1) != ':') {
                    throw new ValueError(value.position(), "could not parse address string \"" + text + "\"");
                }
                host = text.substring(1, close);
                port = text.substring(close + 2);
            } else {
                int colon = text.lastIndexOf(':');
                if (colon < 0 || text.indexOf(':') != colon) {
                    throw new ValueError(value.position(), "could not parse address string \"" + text + "\"");
                }
                host = text.substring(0, colon);
                port = text.substring(colon + 1);
            }
            long number;
            try {
                number = Long.parseLong(port);
            } catch (NumberFormatException e) {
                throw new ValueError(value.position(), "could not parse port \"" + port + "\"");
            }
            return new HostPort(host, port(entry, number, value.position()));
        }

        private static int port(ConfigEntry entry, long port, ConfigPosition at) {
            if (port < BrokerDefaults.RANDOM_PORT || port > 65535) {
                throw new ValueError(at, "\"" + entry.key() + "\" must be a port between -1 and 65535, not " + port);
            }
            return (int) port;
        }

        /** A size or count: an integer, 0 meaning the default, never negative. */
        private static long limit(ConfigEntry entry, long maximum) {
            long value = integer(entry);
            if (value < 0) {
                throw new ValueError(entry.value().position(), "\"" + entry.key() + "\" must not be negative, not " + value
                        + " (nats-server may read a negative limit as \"no limit\", which this server does not support)");
            }
            if (value > maximum) {
                throw new ValueError(entry.value().position(), entry.key() + " value is too big");
            }
            return value;
        }

        /** A duration string, or an integer read as seconds with a warning; zero means the default. */
        private Duration duration(ConfigEntry entry, Duration defaultValue) {
            ConfigValue value = entry.value();
            Duration duration;
            if (value instanceof IntegerValue integer) {
                warnings.accept(value.position().error("\"" + entry.key() + "\" should be a duration such as \""
                        + integer.value() + "s\"; the integer " + integer.value() + " is read as seconds"));
                duration = Duration.ofSeconds(integer.value());
            } else if (value instanceof StringValue string) {
                try {
                    duration = Values.parseDuration(string.value());
                } catch (IllegalArgumentException e) {
                    throw new ValueError(value.position(), "error parsing " + entry.key() + ": " + e.getMessage());
                }
            } else {
                throw new ValueError(value.position(), "\"" + entry.key() + "\" expects a duration such as \"2m\", not "
                        + value.typeName());
            }
            if (duration.isNegative()) {
                throw new ValueError(value.position(), "\"" + entry.key() + "\" must not be negative");
            }
            return duration.isZero() ? defaultValue : duration;
        }

        private static long integer(ConfigEntry entry) {
            if (entry.value() instanceof IntegerValue integer) {
                return integer.value();
            }
            throw wrongType(entry, "an integer");
        }

        private static String string(ConfigEntry entry) {
            if (entry.value() instanceof StringValue string) {
                return string.value();
            }
            throw wrongType(entry, "a string");
        }

        private static boolean bool(ConfigEntry entry) {
            if (entry.value() instanceof BooleanValue bool) {
                return bool.value();
            }
            throw wrongType(entry, "a boolean (true or false)");
        }

        private static Path path(ConfigEntry entry) {
            String text = string(entry);
            try {
                return text.isEmpty() ? null : Path.of(text);
            } catch (java.nio.file.InvalidPathException e) {
                throw new ValueError(entry.value().position(), "\"" + entry.key() + "\" is not a valid path: " + e.getReason());
            }
        }

        private static ValueError wrongType(ConfigEntry entry, String expected) {
            ConfigValue value = entry.value();
            String shown = value instanceof StringValue string ? " (\"" + string.value() + "\")"
                    : value instanceof IntegerValue integer ? " (" + integer.text() + ")" : "";
            return new ValueError(value.position(), "\"" + entry.key() + "\" expects " + expected + ", not "
                    + value.typeName() + shown);
        }
    }

    private static boolean isBoolean(ConfigValue value, boolean expected) {
        return value instanceof BooleanValue bool && bool.value() == expected;
    }

    private static boolean isEmptyString(ConfigValue value) {
        return value instanceof StringValue string && string.value().isEmpty();
    }

    private static boolean isInteger(ConfigValue value, long expected) {
        return value instanceof IntegerValue integer && integer.value() == expected;
    }
}
