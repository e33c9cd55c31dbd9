package io.natsee.streaming.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * nats-streaming-server's command line, read the way Go's flag package reads it: {@code -flag value},
 * {@code -flag=value}, {@code --flag value}, booleans as {@code -flag} or {@code -flag=false}.
 */
final class StreamingFlags {

    /** Flags that take no value unless written {@code -flag=value}. */
    static final Set<String> BOOLEANS = Set.of("SD", "SV", "SDV", "file_sync", "D", "V", "DV", "T",
            "replace_durable", "h", "help", "version", "v", "file_crc", "file_compact_enabled", "partitioning",
            "clustered", "cluster_bootstrap", "cluster_raft_logging", "encrypt", "sql_no_caching");

    /** Flags that take a value, each under every name the reference gives it. */
    static final Map<String, String> ALIASES = aliases();

    private static Map<String, String> aliases() {
        Map<String, String> names = new LinkedHashMap<>();
        String[][] groups = {
                {"cid", "cluster_id"}, {"st", "store"}, {"dir"}, {"ns", "nats_server"}, {"sc", "stan_config"},
                {"mc", "max_channels"}, {"msu", "max_subs"}, {"mm", "max_msgs"}, {"mb", "max_bytes"},
                {"ma", "max_age"}, {"mi", "max_inactivity"}, {"hbi", "hb_interval"}, {"hbt", "hb_timeout"},
                {"hbf", "hb_fail_count"}, {"a", "addr", "net"}, {"p", "port"}, {"m", "http_port"},
                {"c", "config"}, {"user"}, {"pass"}, {"auth"}, {"max_deliveries"}, {"dead_letter_channel"},
                {"sql_driver"}, {"sql_source"}, {"sql_max_open_conns"}, {"sql_bulk_insert_limit"}, {"ft_group"}, {"cluster_node_id"}, {"cluster_peers"},
                {"cluster_log_path"}, {"l", "log"}, {"P", "pid"},
        };
        for (String[] group : groups) {
            for (String name : group) {
                names.put(name, group[0]);
            }
        }
        return Map.copyOf(names);
    }

    /** Flags of the reference that this server refuses by name, with the reason. */
    static final Map<String, String> NOT_YET = Map.of(
            "encrypt", "encryption is not implemented yet");

    final Map<String, String> values = new LinkedHashMap<>();
    final List<String> errors = new ArrayList<>();

    static StreamingFlags parse(String[] args) {
        StreamingFlags flags = new StreamingFlags();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("-") || arg.equals("-") || arg.equals("--")) {
                // Go's flag package stops at the first argument that is not a flag, and nats-server refuses it:
                // so "--file_sync true" is refused ("--file_sync=true" is the form for a boolean's value).
                flags.errors.add("unrecognized command: \"" + arg + "\"");
                break;
            }
            String body = arg.startsWith("--") ? arg.substring(2) : arg.substring(1);
            String name = body;
            String value = null;
            int equals = body.indexOf('=');
            if (equals >= 0) {
                name = body.substring(0, equals);
                value = body.substring(equals + 1);
            }
            if (BOOLEANS.contains(name)) {
                flags.values.put(name, value == null ? "true" : value);
                continue;
            }
            String canonical = ALIASES.get(name);
            if (canonical == null) {
                flags.errors.add("flag provided but not defined: -" + name);
                continue;
            }
            if (value == null) {
                if (i + 1 >= args.length) {
                    flags.errors.add("flag needs an argument: -" + name);
                    continue;
                }
                value = args[++i];
            }
            flags.values.put(canonical, value);
        }
        return flags;
    }

    String get(String name) {
        return values.get(name);
    }

    boolean bool(String name, boolean otherwise) {
        String value = values.get(name);
        if (value == null) {
            return otherwise;
        }
        return switch (value.toLowerCase()) {
            case "true", "1", "t" -> true;
            case "false", "0", "f" -> false;
            default -> {
                errors.add("invalid boolean value \"" + value + "\" for flag -" + name);
                yield otherwise;
            }
        };
    }
}
