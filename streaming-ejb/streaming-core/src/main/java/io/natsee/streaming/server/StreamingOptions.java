package io.natsee.streaming.server;

import io.natsee.streaming.store.StoreLimits;
import io.natsee.streaming.store.raft.ClusterOptions;
import io.natsee.streaming.store.jdbc.JdbcStoreOptions;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * The streaming server's options, immutable, with nats-streaming-server's defaults.
 *
 * @param clusterId       the cluster id clients name on connect ({@code -cid}); default {@code test-cluster}
 * @param natsUrl         the NATS server to connect to ({@code -ns}); {@code null} starts a side-car broker
 * @param brokerHost      the side-car broker's client host ({@code -a})
 * @param brokerPort      the side-car broker's client port ({@code -p}); 0 picks a free one
 * @param store           MEMORY, FILE or SQL
 * @param directory       the file store's root ({@code --dir})
 * @param fileSync        whether the file store fsyncs on every flush ({@code --file_sync})
 * @param limits          channel limits ({@code store_limits}, {@code -mc -mm -mb -ma -msu -mi})
 * @param heartbeatInterval how often the server pings each client ({@code -hbi}, 30 s)
 * @param heartbeatTimeout  how long the server waits for a heartbeat reply ({@code -hbt}, 10 s)
 * @param heartbeatFailCount missed heartbeats after which a client is closed ({@code -hbf}, 10)
 * @param discoverPrefix  the connect subject's prefix ({@code _STAN.discover})
 * @param debug           {@code -SD}
 * @param trace           {@code -SV}
 * @param maxDeliveries   beyond the reference: deliveries after which a message goes to the dead-letter channel; 0 = unlimited (default)
 * @param deadLetterChannel beyond the reference: where messages that reached {@code maxDeliveries} go; empty = dropped
 * @param sql             the SQL store's options ({@code sql_options}, {@code --sql_*}); required for SQL
 * @param ftGroup         the fault-tolerance group ({@code --ft_group}); empty = not in a group (default)
 * @param partitioning    whether this server owns only the channels of {@code store_limits.channels}
 * @param cluster         clustered mode ({@code --clustered}, {@code cluster { ... }}); null when not clustered
 * @param dataSource      the SQL store's database when the caller brings it (an application server's pooled
 *                        DataSource, found by JNDI name), also used for the FT lock row; null: the store opens
 *                        {@code sql.source()} itself
 */
public record StreamingOptions(String clusterId, String natsUrl, String brokerHost, int brokerPort, StoreType store,
                               Path directory, boolean fileSync, StoreLimits limits, Duration heartbeatInterval,
                               Duration heartbeatTimeout, int heartbeatFailCount, String discoverPrefix,
                               boolean debug, boolean trace, int maxDeliveries, String deadLetterChannel,
                               JdbcStoreOptions sql, String ftGroup, boolean partitioning,
                               ClusterOptions cluster, javax.sql.DataSource dataSource) {

    /** The kinds of store the launcher offers. */
    public enum StoreType { MEMORY, FILE, SQL }

    public static final String DEFAULT_CLUSTER_ID = "test-cluster";
    public static final String DEFAULT_DISCOVER_PREFIX = "_STAN.discover";
    public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(30);
    public static final Duration DEFAULT_HEARTBEAT_TIMEOUT = Duration.ofSeconds(10);
    public static final int DEFAULT_HEARTBEAT_FAIL_COUNT = 10;

    /** Checks the options. */
    public StreamingOptions {
        Objects.requireNonNull(clusterId, "clusterId");
        Objects.requireNonNull(store, "store");
        limits = Objects.requireNonNullElse(limits, StoreLimits.DEFAULT);
        discoverPrefix = Objects.requireNonNullElse(discoverPrefix, DEFAULT_DISCOVER_PREFIX);
        deadLetterChannel = Objects.requireNonNullElse(deadLetterChannel, "");
        ftGroup = Objects.requireNonNullElse(ftGroup, "");
        if (store == StoreType.FILE && directory == null) {
            throw new IllegalArgumentException("for FILE store type, the directory must be specified");
        }
        if (cluster != null && store == StoreType.MEMORY) {
            throw new IllegalArgumentException("stan: clustering mode not supported with MEMORY store type");
        }
        if (cluster != null && store == StoreType.SQL) {
            throw new IllegalArgumentException("clustering with the SQL store is not implemented yet in this server");
        }
        if (cluster != null && partitioning) {
            throw new IllegalArgumentException("stan: channels partitioning in clustering mode is not supported");
        }
        if (cluster != null && ftGroup != null && !ftGroup.isEmpty()) {
            throw new IllegalArgumentException("stan: fault tolerance and clustering are mutually exclusive");
        }
        if (store == StoreType.SQL && sql == null) {
            throw new IllegalArgumentException("for SQL store type, the sql driver and source must be specified");
        }
    }

    /** Whether this server is one of a fault-tolerance group ({@code --ft_group}). */
    public boolean faultTolerant() {
        return !ftGroup.isEmpty();
    }

    /** A builder with the reference's defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link StreamingOptions}. */
    public static final class Builder {
        private String clusterId = DEFAULT_CLUSTER_ID;
        private String natsUrl;
        private String brokerHost = "0.0.0.0";
        private int brokerPort = 4222;
        private StoreType store = StoreType.MEMORY;
        private Path directory;
        private boolean fileSync = true;
        private StoreLimits limits = StoreLimits.DEFAULT;
        private Duration heartbeatInterval = DEFAULT_HEARTBEAT_INTERVAL;
        private Duration heartbeatTimeout = DEFAULT_HEARTBEAT_TIMEOUT;
        private int heartbeatFailCount = DEFAULT_HEARTBEAT_FAIL_COUNT;
        private String discoverPrefix = DEFAULT_DISCOVER_PREFIX;
        private boolean debug;
        private boolean trace;
        private int maxDeliveries;
        private String deadLetterChannel = "";
        private JdbcStoreOptions sql;
        private String ftGroup = "";
        private boolean partitioning;
        private ClusterOptions cluster;
        private javax.sql.DataSource dataSource;

        public Builder clusterId(String value) { clusterId = value; return this; }
        public Builder natsUrl(String value) { natsUrl = value; return this; }
        public Builder brokerHost(String value) { brokerHost = value; return this; }
        public Builder brokerPort(int value) { brokerPort = value; return this; }
        public Builder store(StoreType value) { store = value; return this; }
        /** The store type set so far. */
        public StoreType store() { return store; }
        public Builder directory(Path value) { directory = value; return this; }
        public Builder fileSync(boolean value) { fileSync = value; return this; }
        public Builder limits(StoreLimits value) { limits = value; return this; }
        public Builder heartbeatInterval(Duration value) { heartbeatInterval = value; return this; }
        public Builder heartbeatTimeout(Duration value) { heartbeatTimeout = value; return this; }
        public Builder heartbeatFailCount(int value) { heartbeatFailCount = value; return this; }
        public Builder discoverPrefix(String value) { discoverPrefix = value; return this; }
        public Builder debug(boolean value) { debug = value; return this; }
        public Builder trace(boolean value) { trace = value; return this; }
        public Builder maxDeliveries(int value) { maxDeliveries = value; return this; }
        public Builder deadLetterChannel(String value) { deadLetterChannel = value; return this; }
        public Builder sql(JdbcStoreOptions value) { sql = value; return this; }
        public Builder ftGroup(String value) { ftGroup = value; return this; }
        public Builder partitioning(boolean value) { partitioning = value; return this; }
        public Builder cluster(ClusterOptions value) { cluster = value; return this; }
        public Builder dataSource(javax.sql.DataSource value) { dataSource = value; return this; }

        public StreamingOptions build() {
            return new StreamingOptions(clusterId, natsUrl, brokerHost, brokerPort, store, directory, fileSync, limits,
                    heartbeatInterval, heartbeatTimeout, heartbeatFailCount, discoverPrefix, debug, trace,
                    maxDeliveries, deadLetterChannel, sql, ftGroup, partitioning, cluster, dataSource);
        }
    }
}
