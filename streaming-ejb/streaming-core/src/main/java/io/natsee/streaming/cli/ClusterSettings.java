package io.natsee.streaming.cli;

import io.natsee.streaming.store.raft.ClusterOptions;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The clustering settings as the config file's {@code cluster { ... }} block and the {@code --cluster_*} flags give
 * them (flags win); {@link #options()} turns them into {@link ClusterOptions}, or null when not clustered. The
 * block's presence turns clustering on, as {@code --clustered} does.
 */
final class ClusterSettings {
    boolean clustered;
    private final ClusterOptions.Builder builder = ClusterOptions.builder();
    private final List<String> peers = new ArrayList<>();

    /** Reads the config file's {@code cluster} block. */
    void apply(Map<String, Object> block) {
        clustered = true;
        for (Map.Entry<String, Object> entry : block.entrySet()) {
            Object value = entry.getValue();
            String text = String.valueOf(value);
            switch (entry.getKey().toLowerCase()) {
                case "node_id" -> builder.nodeId(text);
                case "peers" -> {
                    peers.clear();
                    if (value instanceof List<?> list) {
                        list.forEach(p -> peers.add(String.valueOf(p)));
                    } else {
                        peers.add(text);
                    }
                }
                case "log_path" -> builder.logPath(Path.of(text));
                case "bootstrap" -> builder.bootstrap(Boolean.TRUE.equals(value));
                case "raft_logging" -> builder.raftLogging(Boolean.TRUE.equals(value));
                case "raft_heartbeat_timeout" -> builder.heartbeatTimeout(GoDurations.parse(text));
                case "raft_election_timeout" -> builder.electionTimeout(GoDurations.parse(text));
                case "raft_lease_timeout" -> builder.leaseTimeout(GoDurations.parse(text));
                case "raft_commit_timeout" -> builder.commitTimeout(GoDurations.parse(text));
                // accepted for compatibility; Ratis keeps its own log cache, snapshot count and sync policy
                case "sync", "log_cache_size", "log_snapshots", "trailing_logs", "proceed_on_restore_failure",
                     "allow_add_remove_node" -> { }
                default -> throw new IllegalArgumentException("unknown field \"" + entry.getKey()
                        + "\" in the cluster block");
            }
        }
    }

    /** Reads the command line's clustering flags. */
    void apply(StreamingFlags flags) {
        if (flags.values.containsKey("clustered")) {
            clustered = flags.bool("clustered", false);
        }
        if (flags.get("cluster_node_id") != null) {
            builder.nodeId(flags.get("cluster_node_id"));
        }
        if (flags.get("cluster_peers") != null) {
            peers.clear();
            peers.add(flags.get("cluster_peers"));
        }
        if (flags.get("cluster_log_path") != null) {
            builder.logPath(Path.of(flags.get("cluster_log_path")));
        }
        if (flags.values.containsKey("cluster_bootstrap")) {
            builder.bootstrap(flags.bool("cluster_bootstrap", false));
        }
        if (flags.values.containsKey("cluster_raft_logging")) {
            builder.raftLogging(flags.bool("cluster_raft_logging", false));
        }
    }

    /** The clustering options, or null when not clustered. */
    ClusterOptions options() {
        if (!clustered) {
            return null;
        }
        return builder.peers(ClusterOptions.parsePeers(peers)).build();
    }
}
