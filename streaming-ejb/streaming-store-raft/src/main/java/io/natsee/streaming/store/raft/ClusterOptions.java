package io.natsee.streaming.store.raft;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A clustered node's options, as the reference's {@code cluster { ... }} block and {@code --cluster_*} flags name
 * them, plus the peers' Raft addresses that Ratis needs (the reference finds its peers over NATS; Ratis talks to
 * them directly): each peer is written {@code node_id@host:port}, and the list holds this node too.
 *
 * @param nodeId this node's id ({@code --cluster_node_id}); must be one of the peers
 * @param peers every node of the group with its Raft address ({@code --cluster_peers})
 * @param logPath the Raft log and snapshots ({@code --cluster_log_path}); null: {@code ./<cluster_id>/<node_id>}
 * @param bootstrap {@code --cluster_bootstrap}: this node alone forms the group (a one-peer list is allowed)
 * @param electionTimeout {@code raft_election_timeout}: the shortest time without a leader's heartbeat before a
 *        follower stands for election (the longest is 1.6 times that); Ratis's heartbeats go out at half of it
 * @param heartbeatTimeout {@code raft_heartbeat_timeout}: accepted; Ratis derives its heartbeats from the election
 *        timeout
 * @param leaseTimeout {@code raft_lease_timeout}: accepted; the leader reads its own applied state
 * @param commitTimeout {@code raft_commit_timeout}: accepted; publishes are batched by the server's engine
 * @param raftLogging {@code --cluster_raft_logging}: accepted; Ratis logs through SLF4J when a provider is present
 * @param snapshotThreshold log entries applied between two snapshots of the store
 */
public record ClusterOptions(String nodeId, List<Peer> peers, Path logPath, boolean bootstrap,
                             Duration electionTimeout, Duration heartbeatTimeout, Duration leaseTimeout,
                             Duration commitTimeout, boolean raftLogging, long snapshotThreshold) {

    /**
     * The election timeout's default: followers stand after 300 to 480 ms without a heartbeat, so a dead leader is
     * noticed within about 1 s (heartbeats go out every 150 ms).
     */
    public static final Duration DEFAULT_ELECTION_TIMEOUT = Duration.ofMillis(300);
    public static final Duration DEFAULT_HEARTBEAT_TIMEOUT = Duration.ofSeconds(2);
    public static final Duration DEFAULT_LEASE_TIMEOUT = Duration.ofSeconds(1);
    public static final Duration DEFAULT_COMMIT_TIMEOUT = Duration.ofMillis(100);
    /** Entries (each a batch of operations) between snapshots. */
    public static final long DEFAULT_SNAPSHOT_THRESHOLD = 10_000;

    /** A node of the group: its id and the address its Raft transport listens on. */
    public record Peer(String id, String host, int port) {
        public Peer {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(host, "host");
        }

        /** {@code host:port}. */
        public String address() {
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
        }

        @Override
        public String toString() {
            return id + "@" + address();
        }
    }

    /** Checks the options. */
    public ClusterOptions {
        Objects.requireNonNull(nodeId, "nodeId");
        peers = List.copyOf(peers);
        electionTimeout = Objects.requireNonNullElse(electionTimeout, DEFAULT_ELECTION_TIMEOUT);
        heartbeatTimeout = Objects.requireNonNullElse(heartbeatTimeout, DEFAULT_HEARTBEAT_TIMEOUT);
        leaseTimeout = Objects.requireNonNullElse(leaseTimeout, DEFAULT_LEASE_TIMEOUT);
        commitTimeout = Objects.requireNonNullElse(commitTimeout, DEFAULT_COMMIT_TIMEOUT);
        if (snapshotThreshold <= 0) {
            snapshotThreshold = DEFAULT_SNAPSHOT_THRESHOLD;
        }
        if (nodeId.isEmpty()) {
            throw new IllegalArgumentException("cluster node ID must be set in clustered mode");
        }
        if (peers.isEmpty()) {
            throw new IllegalArgumentException("cluster peers must be given as node_id@host:port"
                    + " (this node included) in clustered mode");
        }
        if (peers.stream().noneMatch(p -> p.id().equals(nodeId))) {
            throw new IllegalArgumentException("cluster peers must include this node (" + nodeId
                    + "@host:port): Raft needs its address");
        }
        if (peers.stream().map(Peer::id).distinct().count() != peers.size()) {
            throw new IllegalArgumentException("cluster peers name a node twice: " + peers);
        }
        if (bootstrap && peers.size() > 1) {
            throw new IllegalArgumentException("cannot bootstrap a cluster with explicit peers");
        }
    }

    /** This node's entry in {@link #peers()}. */
    public Peer self() {
        return peers.stream().filter(p -> p.id().equals(nodeId)).findFirst().orElseThrow();
    }

    /** The Raft log directory for a cluster id: the configured one or the reference's {@code ./<cid>/<node_id>}. */
    public Path logPathFor(String clusterId) {
        return logPath != null ? logPath : Path.of(clusterId, nodeId);
    }

    /**
     * Reads a peer list: {@code id@host:port} entries separated by commas (or given one per list element).
     *
     * @throws IllegalArgumentException for an entry without an address, with the extension's explanation
     */
    public static List<Peer> parsePeers(List<String> entries) {
        List<Peer> peers = new ArrayList<>();
        for (String list : entries) {
            for (String raw : list.split(",")) {
                String entry = raw.trim();
                if (entry.isEmpty()) {
                    continue;
                }
                int at = entry.indexOf('@');
                int colon = entry.lastIndexOf(':');
                if (at <= 0 || colon < at + 2 || colon == entry.length() - 1) {
                    throw new IllegalArgumentException("cluster peer \"" + entry + "\" has no Raft address: write it"
                            + " node_id@host:port (NATS EE's Raft transport connects to its peers directly)");
                }
                String host = entry.substring(at + 1, colon);
                if (host.startsWith("[") && host.endsWith("]")) {
                    host = host.substring(1, host.length() - 1);
                }
                int port;
                try {
                    port = Integer.parseInt(entry.substring(colon + 1));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("cluster peer \"" + entry + "\": invalid port");
                }
                if (port <= 0 || port > 65535) {
                    throw new IllegalArgumentException("cluster peer \"" + entry + "\": invalid port");
                }
                peers.add(new Peer(entry.substring(0, at), host, port));
            }
        }
        return peers;
    }

    /** A builder with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link ClusterOptions}. */
    public static final class Builder {
        private String nodeId = "";
        private List<Peer> peers = List.of();
        private Path logPath;
        private boolean bootstrap;
        private Duration electionTimeout;
        private Duration heartbeatTimeout;
        private Duration leaseTimeout;
        private Duration commitTimeout;
        private boolean raftLogging;
        private long snapshotThreshold = DEFAULT_SNAPSHOT_THRESHOLD;

        public Builder nodeId(String value) { nodeId = value; return this; }
        public Builder peers(List<Peer> value) { peers = value; return this; }
        public Builder logPath(Path value) { logPath = value; return this; }
        public Builder bootstrap(boolean value) { bootstrap = value; return this; }
        public Builder electionTimeout(Duration value) { electionTimeout = value; return this; }
        public Builder heartbeatTimeout(Duration value) { heartbeatTimeout = value; return this; }
        public Builder leaseTimeout(Duration value) { leaseTimeout = value; return this; }
        public Builder commitTimeout(Duration value) { commitTimeout = value; return this; }
        public Builder raftLogging(boolean value) { raftLogging = value; return this; }
        public Builder snapshotThreshold(long value) { snapshotThreshold = value; return this; }

        public ClusterOptions build() {
            return new ClusterOptions(nodeId, peers, logPath, bootstrap, electionTimeout, heartbeatTimeout,
                    leaseTimeout, commitTimeout, raftLogging, snapshotThreshold);
        }
    }
}
