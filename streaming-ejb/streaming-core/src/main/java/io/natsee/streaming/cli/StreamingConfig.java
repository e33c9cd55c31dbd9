package io.natsee.streaming.cli;

import io.natsee.broker.config.ConfigException;
import io.natsee.broker.config.ConfigFileParser;
import io.natsee.streaming.server.StreamingOptions;
import io.natsee.streaming.store.ChannelLimits;
import io.natsee.streaming.store.StoreLimits;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * The reference's streaming configuration file ({@code -sc}): the {@code streaming { ... }} block (or the same keys
 * at the top level) read with the NATS config-file reader. Flags given on the command line win over it.
 */
final class StreamingConfig {

    private StreamingConfig() {
    }

    @SuppressWarnings("unchecked")
    static StoreLimits apply(Path file, StreamingOptions.Builder builder, StoreLimits limits, Properties sql,
                             ClusterSettings cluster)
            throws ConfigException {
        Map<String, Object> root = (Map<String, Object>) new ConfigFileParser(System.getenv()).parse(file).toPlain();
        Map<String, Object> streaming = root.containsKey("streaming")
                ? (Map<String, Object>) root.get("streaming") : root;
        for (Map.Entry<String, Object> entry : streaming.entrySet()) {
            Object value = entry.getValue();
            switch (entry.getKey().toLowerCase()) {
                case "id", "cluster_id" -> builder.clusterId(String.valueOf(value));
                case "discover_prefix" -> builder.discoverPrefix(String.valueOf(value));
                case "store" -> builder.store(StreamingOptions.StoreType.valueOf(String.valueOf(value).toUpperCase()));
                case "dir" -> builder.directory(Path.of(String.valueOf(value)));
                case "nats_server_url", "ns" -> builder.natsUrl(String.valueOf(value));
                case "hb_interval" -> builder.heartbeatInterval(GoDurations.parse(String.valueOf(value)));
                case "hb_timeout" -> builder.heartbeatTimeout(GoDurations.parse(String.valueOf(value)));
                case "hb_fail_count" -> builder.heartbeatFailCount(((Number) value).intValue());
                case "sd", "debug" -> builder.debug(Boolean.TRUE.equals(value));
                case "sv", "trace" -> builder.trace(Boolean.TRUE.equals(value));
                case "file_options" -> {
                    Object sync = ((Map<String, Object>) value).get("file_sync");
                    if (sync instanceof Boolean b) {
                        builder.fileSync(b);
                    }
                }
                case "cluster" -> cluster.apply((Map<String, Object>) value);
                case "sql", "sql_options" -> {
                    for (Map.Entry<String, Object> option : ((Map<String, Object>) value).entrySet()) {
                        String key = switch (option.getKey().toLowerCase()) {
                            case "driver" -> "sql_driver";
                            case "source" -> "sql_source";
                            case "no_caching" -> "sql_no_caching";
                            case "max_open_conns", "max_conns" -> "sql_max_open_conns";
                            case "bulk_insert_limit" -> "sql_bulk_insert_limit";
                            default -> null;
                        };
                        if (key != null) {
                            sql.setProperty(key, String.valueOf(option.getValue()));
                        }
                    }
                }
                case "ft_group", "ft_group_name" -> builder.ftGroup(String.valueOf(value));
                case "partitioning" -> builder.partitioning(Boolean.TRUE.equals(value));
                case "store_limits", "limits", "storelimits" -> limits = limits((Map<String, Object>) value, limits);
                default -> throw new IllegalArgumentException(file + ": unknown field \"" + entry.getKey() + "\"");
            }
        }
        return limits;
    }

    @SuppressWarnings("unchecked")
    private static StoreLimits limits(Map<String, Object> block, StoreLimits limits) {
        if (block.get("max_channels") instanceof Number n) {
            limits = limits.withMaxChannels(n.intValue());
        }
        limits = limits.withGlobal(channelLimits(block, limits.global()));
        Object channels = block.get("channels");
        if (channels instanceof Map<?, ?> map) {
            for (Map.Entry<String, Object> entry : ((Map<String, Object>) map).entrySet()) {
                limits = limits.withChannel(entry.getKey(),
                        channelLimits((Map<String, Object>) entry.getValue(), ChannelLimits.NONE));
            }
        }
        return limits;
    }

    private static ChannelLimits channelLimits(Map<String, Object> block, ChannelLimits limits) {
        for (Map.Entry<String, Object> entry : block.entrySet()) {
            Object value = entry.getValue();
            switch (entry.getKey().toLowerCase()) {
                case "max_msgs", "mm" -> limits = limits.withMaxMsgs(((Number) value).longValue());
                case "max_bytes", "mb" -> limits = limits.withMaxBytes(((Number) value).longValue());
                case "max_age", "ma" -> limits = limits.withMaxAge(GoDurations.parse(String.valueOf(value)));
                case "max_subs", "max_subscriptions", "msu" ->
                        limits = limits.withMaxSubscriptions(((Number) value).intValue());
                case "max_inactivity", "mi" ->
                        limits = limits.withMaxInactivity(GoDurations.parse(String.valueOf(value)));
                case "max_channels", "mc", "channels" -> { }
                default -> throw new IllegalArgumentException("unknown store limit \"" + entry.getKey() + "\"");
            }
        }
        return limits;
    }
}
