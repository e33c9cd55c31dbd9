package io.natsee.streaming.ee;

import io.natsee.broker.Values;
import io.natsee.streaming.server.StreamingOptions;
import io.natsee.streaming.store.ChannelLimits;
import io.natsee.streaming.store.StoreLimits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.UnaryOperator;

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

    /** Every key this class reads (after the prefix); any other {@code streaming.*} key is refused. */
    static final Set<String> KEYS = Set.of("cluster_id", "nats_server", "store", "dir", "file_sync", "max_channels",
            "max_subs", "max_msgs", "max_bytes", "max_age", "max_inactivity", "hb_interval", "hb_timeout",
            "hb_fail_count", "broker_wait", "discover_prefix", "max_deliveries", "dead_letter_channel");

    /** The options and how long to wait for the NATS server. */
    record Settings(StreamingOptions options, Duration brokerWait) {
    }

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
        try {
            builder.limits(limits.validate());
            return new Settings(builder.build(), value(settings, "broker_wait", Values::parseDuration, DEFAULT_BROKER_WAIT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("streaming configuration: " + e.getMessage(), e);
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
            StreamingOptions.StoreType type = StreamingOptions.StoreType.valueOf(value.trim().toUpperCase(Locale.ROOT));
            if (type == StreamingOptions.StoreType.SQL) {
                // The managed server's SQL store takes the container's DataSource; not wired here yet.
                throw new IllegalArgumentException(value);
            }
            return type;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unsupported store type \"" + value + "\" (MEMORY or FILE)");
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
