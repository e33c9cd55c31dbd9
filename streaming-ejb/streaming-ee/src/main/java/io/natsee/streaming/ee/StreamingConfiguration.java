package io.natsee.streaming.ee;

import io.natsee.broker.Values;
import io.natsee.streaming.server.StreamingOptions;
import io.natsee.streaming.store.ChannelLimits;
import io.natsee.streaming.store.StoreLimits;
import io.natsee.streaming.store.jdbc.JdbcDialect;
import io.natsee.streaming.store.jdbc.JdbcStoreOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.sql.DataSource;

/**
 * The container's configuration turned into {@link StreamingOptions}. Keys are
 * nats-streaming-server's long flag names behind the prefix {@code streaming.}
 * ({@code streaming.cluster_id}, {@code streaming.store}, {@code streaming.dir},
 * {@code streaming.max_msgs}, ...; dots and dashes after the prefix count as underscores), read
 * through MicroProfile Config where the server has it (system properties over environment
 * variables over {@code microprofile-config.properties}), otherwise from system properties over
 * environment variables ({@code STREAMING_CLUSTER_ID} is {@code streaming.cluster_id}).
 *
 * <p>The NATS server is the broker of the same stack unless {@code streaming.nats_server} names
 * another: {@code nats://<nats.host>:<nats.port>}, the broker WAR's own keys, with the wildcard
 * address read as {@code 127.0.0.1} and 4222 when unset.
 *
 * <p>{@code streaming.store=SQL} keeps the store in the container's {@code DataSource}, found by the JNDI name
 * {@code streaming.sql_datasource} ({@value #DEFAULT_DATASOURCE} by default: the Jakarta EE default DataSource,
 * H2 on Payara and WildFly), so the container's pool serves it; {@code streaming.sql_driver} names the database
 * behind it ({@code h2} by default, or {@code postgres}). {@code streaming.sql_source} (a JDBC URL) instead makes the
 * store open that database itself. {@code sql_no_caching}, {@code sql_max_open_conns},
 * {@code sql_bulk_insert_limit} are the reference's. {@code streaming.ft_group} puts the server in a fault-tolerance
 * group: with the SQL store the lock row lives in the same database, with the FILE store it is the directory's lock.
 */
final class StreamingConfiguration {

    static final String PREFIX = "streaming.";
    private static final String ENV_PREFIX = "STREAMING_";

    /** The store when none is configured: the file store, under {@link #DEFAULT_DIRECTORY}. */
    static final StreamingOptions.StoreType DEFAULT_STORE = StreamingOptions.StoreType.FILE;
    /** The file store's directory when none is configured, relative to the server's working directory. */
    static final String DEFAULT_DIRECTORY = "./data";
    /** How long start-up waits for the NATS server to accept connections. */
    static final Duration DEFAULT_BROKER_WAIT = Duration.ofSeconds(60);

    /** The SQL store's DataSource when none is named: the Jakarta EE default DataSource (H2 on Payara and WildFly). */
    static final String DEFAULT_DATASOURCE = "java:comp/DefaultDataSource";

    /** Every key this class reads (after the prefix); any other {@code streaming.*} key is refused. */
    static final Set<String> KEYS = Set.of("cluster_id", "nats_server", "store", "dir", "file_sync", "max_channels",
            "max_subs", "max_msgs", "max_bytes", "max_age", "max_inactivity", "hb_interval", "hb_timeout",
            "hb_fail_count", "broker_wait", "discover_prefix", "max_deliveries", "dead_letter_channel",
            "sql_driver", "sql_datasource", "sql_source", "sql_user", "sql_password", "sql_no_caching",
            "sql_max_open_conns", "sql_bulk_insert_limit", "ft_group");

    /**
     * The options, how long to wait for the NATS server, and the JNDI name of the DataSource the options' SQL
     * store uses (null when the store is not SQL or opens {@code sql_source} itself).
     */
    record Settings(StreamingOptions options, Duration brokerWait, String dataSourceName) {
    }

    /** Finds a DataSource by JNDI name. */
    interface DataSourceLookup {
        DataSource find(String jndiName) throws NamingException;
    }

    /** The container's naming context. */
    static final DataSourceLookup JNDI = name -> (DataSource) new InitialContext().lookup(name);

    private StreamingConfiguration() {
    }

    /** The {@code streaming.*} and {@code nats.host}/{@code nats.port} settings of this container. */
    static Map<String, String> read() {
        try {
            return MicroProfileSource.read();
        } catch (LinkageError | IllegalStateException noMicroProfileConfig) {
            return read(System.getenv(), System.getProperties(), null);
        }
    }

    /**
     * The settings from the environment and system properties (system properties win); when
     * {@code lookup} is given (MicroProfile Config), each found name is read through it instead.
     * Keys come back normalised, {@code streaming.} stripped; the broker's address keys as
     * {@code nats.host} and {@code nats.port}.
     */
    static Map<String, String> read(Map<String, String> environment, Properties system, UnaryOperator<String> lookup) {
        Map<String, String> values = new TreeMap<>();
        environment.forEach((name, value) -> {
            if (name.startsWith(ENV_PREFIX) && name.length() > ENV_PREFIX.length()) {
                String key = PREFIX + name.substring(ENV_PREFIX.length());
                put(values, key, lookup == null ? value : lookup.apply(key));
            } else if (name.equals("NATS_HOST") || name.equals("NATS_PORT")) {
                String key = name.toLowerCase(Locale.ROOT).replace('_', '.');
                put(values, key, lookup == null ? value : lookup.apply(key));
            }
        });
        for (String name : system.stringPropertyNames()) {
            if (name.startsWith(PREFIX) || name.equals("nats.host") || name.equals("nats.port")) {
                put(values, name, lookup == null ? system.getProperty(name) : lookup.apply(name));
            }
        }
        return values;
    }

    static void put(Map<String, String> values, String name, String value) {
        if (value == null) {
            return;
        }
        if (name.equals("nats.host") || name.equals("nats.port")) {
            values.put(name, value);
        } else if (name.startsWith(PREFIX) && name.length() > PREFIX.length()) {
            values.put(name.substring(PREFIX.length()).toLowerCase(Locale.ROOT).replace('.', '_').replace('-', '_'), value);
        }
    }

    /**
     * Options from normalised settings.
     *
     * @throws IllegalArgumentException naming the key ({@code streaming.max_msgs: ...}) whose value
     *                                  is not valid, or an unknown key
     */
    static Settings settings(Map<String, String> settings) {
        return settings(settings, JNDI);
    }

    /**
     * Options from normalised settings, the SQL store's DataSource found through {@code lookup}.
     *
     * @throws IllegalArgumentException naming the key whose value is not valid, an unknown key, or a DataSource
     *                                  name that does not resolve
     */
    static Settings settings(Map<String, String> settings, DataSourceLookup lookup) {
        for (String key : settings.keySet()) {
            if (!key.startsWith("nats.") && !KEYS.contains(key)) {
                throw new IllegalArgumentException("unknown key " + PREFIX + key + " (known: "
                        + String.join(", ", new TreeSet<>(KEYS)) + ")");
            }
        }
        StreamingOptions.Builder builder = StreamingOptions.builder()
                .natsUrl(value(settings, "nats_server", v -> v, stackBroker(settings)))
                .clusterId(value(settings, "cluster_id", v -> v, StreamingOptions.DEFAULT_CLUSTER_ID))
                .store(value(settings, "store", StreamingConfiguration::storeType, DEFAULT_STORE))
                .directory(value(settings, "dir", Path::of, Path.of(DEFAULT_DIRECTORY)))
                .fileSync(value(settings, "file_sync", StreamingConfiguration::bool, true))
                .heartbeatInterval(value(settings, "hb_interval", Values::parseDuration, StreamingOptions.DEFAULT_HEARTBEAT_INTERVAL))
                .heartbeatTimeout(value(settings, "hb_timeout", Values::parseDuration, StreamingOptions.DEFAULT_HEARTBEAT_TIMEOUT))
                .heartbeatFailCount(value(settings, "hb_fail_count", Integer::parseInt, StreamingOptions.DEFAULT_HEARTBEAT_FAIL_COUNT))
                .discoverPrefix(value(settings, "discover_prefix", v -> v, StreamingOptions.DEFAULT_DISCOVER_PREFIX))
                .maxDeliveries(value(settings, "max_deliveries", Integer::parseInt, 0))
                .deadLetterChannel(value(settings, "dead_letter_channel", v -> v, ""));
        ChannelLimits channel = ChannelLimits.DEFAULT
                .withMaxMsgs(value(settings, "max_msgs", Values::parseSize, ChannelLimits.DEFAULT.maxMsgs()))
                .withMaxBytes(value(settings, "max_bytes", Values::parseSize, ChannelLimits.DEFAULT.maxBytes()))
                .withMaxAge(value(settings, "max_age", Values::parseDuration, ChannelLimits.DEFAULT.maxAge()))
                .withMaxSubscriptions(value(settings, "max_subs", Integer::parseInt, ChannelLimits.DEFAULT.maxSubscriptions()));
        channel = new ChannelLimits(channel.maxMsgs(), channel.maxBytes(), channel.maxAge(), channel.maxSubscriptions(),
                value(settings, "max_inactivity", Values::parseDuration, ChannelLimits.DEFAULT.maxInactivity()));
        StoreLimits limits = StoreLimits.DEFAULT
                .withMaxChannels(value(settings, "max_channels", Integer::parseInt, StoreLimits.DEFAULT.maxChannels()))
                .withGlobal(channel);
        builder.ftGroup(value(settings, "ft_group", v -> v, ""));
        String dataSourceName = null;
        if (builder.store() == StreamingOptions.StoreType.SQL) {
            JdbcStoreOptions sql = sqlOptions(settings);
            builder.sql(sql);
            if (sql.source() == null) {
                dataSourceName = value(settings, "sql_datasource", v -> v, DEFAULT_DATASOURCE);
                builder.dataSource(dataSource(lookup, dataSourceName));
            }
        }
        try {
            builder.limits(limits.validate());
            return new Settings(builder.build(), value(settings, "broker_wait", Values::parseDuration, DEFAULT_BROKER_WAIT),
                    dataSourceName);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("streaming configuration: " + e.getMessage(), e);
        }
    }

    /** The SQL store's options: the driver (h2 by default), and a source only when {@code sql_source} names one. */
    private static JdbcStoreOptions sqlOptions(Map<String, String> settings) {
        JdbcStoreOptions defaults = JdbcStoreOptions.of(JdbcDialect.H2, null);
        return new JdbcStoreOptions(
                value(settings, "sql_driver", JdbcDialect::fromDriverName, JdbcDialect.H2),
                value(settings, "sql_source", v -> v, null),
                value(settings, "sql_user", v -> v, null),
                value(settings, "sql_password", v -> v, null),
                value(settings, "sql_no_caching", StreamingConfiguration::bool, false),
                value(settings, "sql_max_open_conns", Integer::parseInt, defaults.maxOpenConns()),
                value(settings, "sql_bulk_insert_limit", Integer::parseInt, defaults.bulkInsertLimit()),
                defaults.subscriptionCacheSize());
    }

    private static DataSource dataSource(DataSourceLookup lookup, String name) {
        try {
            DataSource found = lookup.find(name);
            if (found == null) {
                throw new IllegalArgumentException(PREFIX + "sql_datasource: nothing is bound to " + name);
            }
            return found;
        } catch (NamingException | ClassCastException e) {
            throw new IllegalArgumentException(PREFIX + "sql_datasource: no DataSource at " + name + ": " + e, e);
        }
    }

    /** The broker of the same stack, from the broker WAR's {@code nats.host} and {@code nats.port}. */
    private static String stackBroker(Map<String, String> settings) {
        String host = settings.getOrDefault("nats.host", "127.0.0.1").trim();
        if (host.isEmpty() || host.equals("0.0.0.0") || host.equals("::")) {
            host = "127.0.0.1";
        }
        String port = settings.getOrDefault("nats.port", "4222").trim();
        if (port.equals("0") || port.equals("-1")) {
            throw new IllegalArgumentException("nats.port=" + port + " picks a free port, which the streaming server cannot know:"
                    + " set streaming.nats_server");
        }
        return "nats://" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    private static StreamingOptions.StoreType storeType(String value) {
        try {
            return StreamingOptions.StoreType.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unsupported store type \"" + value + "\" (MEMORY, FILE or SQL)");
        }
    }

    private static boolean bool(String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off" -> false;
            default -> throw new IllegalArgumentException("not a boolean: \"" + value + "\"");
        };
    }

    private interface Parser<T> {
        T parse(String value);
    }

    private static <T> T value(Map<String, String> settings, String key, Parser<T> parser, T otherwise) {
        String value = settings.get(key);
        if (value == null || value.isBlank()) {
            return otherwise;
        }
        try {
            return parser.parse(value.trim());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(PREFIX + key + ": " + e.getMessage(), e);
        }
    }

    /** Reads through MicroProfile Config; only loaded when its API is present. */
    private static final class MicroProfileSource {

        static Map<String, String> read() {
            org.eclipse.microprofile.config.Config config = org.eclipse.microprofile.config.ConfigProvider.getConfig();
            UnaryOperator<String> lookup = name -> config.getOptionalValue(name, String.class).orElse(null);
            Map<String, String> values = StreamingConfiguration.read(System.getenv(), System.getProperties(), lookup);
            for (String name : config.getPropertyNames()) {
                if (name.startsWith(PREFIX) || name.equals("nats.host") || name.equals("nats.port")) {
                    Map<String, String> one = new TreeMap<>();
                    put(one, name, lookup.apply(name));
                    one.forEach(values::putIfAbsent);
                }
            }
            return values;
        }
    }
}
