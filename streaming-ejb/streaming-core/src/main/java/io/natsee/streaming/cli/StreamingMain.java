package io.natsee.streaming.cli;

import io.natsee.broker.BrokerOptions;
import io.natsee.broker.config.ConfigException;
import io.natsee.broker.config.ConfigLoader;
import io.natsee.streaming.server.StreamingOptions;
import io.natsee.streaming.server.ChannelDeletion;
import io.natsee.streaming.server.StreamingServer;
import io.natsee.streaming.store.ChannelLimits;
import io.natsee.streaming.store.StoreLimits;
import io.natsee.streaming.store.jdbc.JdbcDataSources;
import io.natsee.streaming.store.jdbc.JdbcStoreOptions;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;

/**
 * {@code bin/natsee-streaming}: the streaming server with nats-streaming-server's flags. Exit status 0 after
 * SIGTERM/SIGINT, 1 on a bad command line or a failed start.
 */
public final class StreamingMain {

    private StreamingMain() {
    }

    public static void main(String[] args) {
        StreamingLog.install();
        StreamingFlags flags = StreamingFlags.parse(args);
        if (flags.bool("h", false) || flags.bool("help", false)) {
            System.out.println(usage());
            return;
        }
        for (Map.Entry<String, String> refused : StreamingFlags.NOT_YET.entrySet()) {
            if (flags.values.containsKey(refused.getKey())) {
                flags.errors.add("-" + refused.getKey() + ": " + refused.getValue() + " in this server");
            }
        }
        StreamingOptions options = null;
        BrokerOptions broker = null;
        int monitorPort = 0;
        try {
            StreamingOptions.Builder builder = StreamingOptions.builder();
            StoreLimits limits = StoreLimits.DEFAULT;
            ClusterSettings cluster = new ClusterSettings();
            Properties sql = new Properties();
            if (flags.get("sc") != null) {
                limits = StreamingConfig.apply(Path.of(flags.get("sc")), builder, limits, sql, cluster);
            }
            cluster.apply(flags);
            limits = limitFlags(flags, limits);
            builder.limits(limits.validate());
            apply(flags, builder);
            builder.cluster(cluster.options());
            builder.sql(sqlOptions(flags, sql, builder));
            options = builder.build();
            broker = brokerOptions(flags);
            monitorPort = flags.get("m") == null ? 0 : Integer.parseInt(flags.get("m"));
        } catch (ConfigException e) {
            flags.errors.add(e.getMessage());
        } catch (RuntimeException e) {
            flags.errors.add(e.getMessage());
        }
        if (!flags.errors.isEmpty()) {
            for (String error : flags.errors) {
                System.err.println("nats-streaming-server: " + error);
            }
            System.err.println(usage());
            System.exit(1);
            return;
        }
        StreamingServer server = new StreamingServer(options, broker, Executors.defaultThreadFactory(),
                Clock.systemUTC());
        server.onFatal(reason -> {
            System.err.println("nats-streaming-server: " + reason);
            System.exit(1);
        });
        CountDownLatch stopped = new CountDownLatch(1);
        StreamingHttpServer http = new StreamingHttpServer(server, ChannelDeletion.tokenFromEnvironment());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            http.close();
            server.close();
            stopped.countDown();
        }, "streaming-shutdown"));
        try {
            // The monitoring port listens before the server prints its ready line, so that whoever waits for that
            // line can read the monitoring at once.
            if (monitorPort > 0) {
                String host = broker == null ? "0.0.0.0" : broker.host();
                http.start(host == null || host.isEmpty() ? "0.0.0.0" : host, monitorPort);
            }
            server.start();
            stopped.await();
        } catch (Exception e) {
            System.err.println("nats-streaming-server: " + e.getMessage());
            System.exit(1);
        }
    }

    private static void apply(StreamingFlags flags, StreamingOptions.Builder builder) {
        if (flags.get("cid") != null) {
            builder.clusterId(flags.get("cid"));
        }
        if (flags.get("st") != null) {
            String store = flags.get("st").toUpperCase();
            switch (store) {
                case "MEMORY" -> builder.store(StreamingOptions.StoreType.MEMORY);
                case "FILE" -> builder.store(StreamingOptions.StoreType.FILE);
                case "SQL" -> builder.store(StreamingOptions.StoreType.SQL);
                default -> throw new IllegalArgumentException("unsupported store type: " + flags.get("st"));
            }
        }
        if (flags.get("dir") != null) {
            builder.directory(Path.of(flags.get("dir")));
        }
        if (flags.get("ns") != null) {
            builder.natsUrl(flags.get("ns"));
        }
        if (flags.get("hbi") != null) {
            builder.heartbeatInterval(GoDurations.parse(flags.get("hbi")));
        }
        if (flags.get("hbt") != null) {
            builder.heartbeatTimeout(GoDurations.parse(flags.get("hbt")));
        }
        if (flags.get("hbf") != null) {
            builder.heartbeatFailCount(Integer.parseInt(flags.get("hbf")));
        }
        if (flags.values.containsKey("file_sync")) {
            builder.fileSync(flags.bool("file_sync", true));
        }
        boolean debugAndTrace = flags.bool("SDV", false);
        builder.debug(debugAndTrace || flags.bool("SD", false));
        builder.trace(debugAndTrace || flags.bool("SV", false));
        if (flags.get("ft_group") != null) {
            builder.ftGroup(flags.get("ft_group"));
        }
        if (flags.values.containsKey("partitioning")) {
            // Beyond the reference, whose command line has no such flag (its config file's key only).
            builder.partitioning(flags.bool("partitioning", false));
        }
        if (flags.get("max_deliveries") != null) {
            builder.maxDeliveries(Integer.parseInt(flags.get("max_deliveries")));
        }
        if (flags.get("dead_letter_channel") != null) {
            builder.deadLetterChannel(flags.get("dead_letter_channel"));
        }
    }

    /**
     * The SQL store's options from the config file's {@code sql_options} and the {@code --sql_*} flags (which win);
     * null when no driver is named and the store is not SQL.
     */
    private static JdbcStoreOptions sqlOptions(StreamingFlags flags, Properties sql, StreamingOptions.Builder builder) {
        for (String key : List.of("sql_driver", "sql_source", "sql_max_open_conns", "sql_bulk_insert_limit")) {
            if (flags.get(key) != null) {
                sql.setProperty(key, flags.get(key));
            }
        }
        if (flags.values.containsKey("sql_no_caching")) {
            sql.setProperty("sql_no_caching", String.valueOf(flags.bool("sql_no_caching", false)));
        }
        boolean sqlStore = builder.store() == StreamingOptions.StoreType.SQL;
        String driver = sql.getProperty("sql_driver", "").trim();
        if (driver.isEmpty()) {
            if (sqlStore) {
                throw new IllegalArgumentException("sql: a driver is required (--sql_driver postgres|h2)");
            }
            return null;
        }
        if (driver.equalsIgnoreCase("mysql")) {
            throw new IllegalArgumentException("sql: driver \"mysql\" is not supported by this server (supported: "
                    + "postgres, h2)");
        }
        if (sqlStore && sql.getProperty("sql_source", "").isBlank()) {
            throw new IllegalArgumentException("sql: a source is required (--sql_source)");
        }
        if ("0".equals(sql.getProperty("sql_bulk_insert_limit", "").trim())) {
            sql.remove("sql_bulk_insert_limit");
        }
        JdbcStoreOptions options = JdbcStoreOptions.fromProperties(sql);
        if (sqlStore) {
            JdbcDataSources.jdbcUrl(options.driver(), options.source());
        }
        return options;
    }

    private static StoreLimits limitFlags(StreamingFlags flags, StoreLimits limits) {
        ChannelLimits global = limits.global();
        if (flags.get("mc") != null) {
            limits = limits.withMaxChannels(Integer.parseInt(flags.get("mc")));
        }
        if (flags.get("msu") != null) {
            global = global.withMaxSubscriptions(Integer.parseInt(flags.get("msu")));
        }
        if (flags.get("mm") != null) {
            global = global.withMaxMsgs(Long.parseLong(flags.get("mm")));
        }
        if (flags.get("mb") != null) {
            global = global.withMaxBytes(Long.parseLong(flags.get("mb")));
        }
        if (flags.get("ma") != null) {
            global = global.withMaxAge(GoDurations.parse(flags.get("ma")));
        }
        if (flags.get("mi") != null) {
            global = global.withMaxInactivity(GoDurations.parse(flags.get("mi")));
        }
        return limits.withGlobal(global);
    }

    /** The side-car broker's options (ignored with -ns): -a, -p, -c, --user, --pass, --auth. */
    private static BrokerOptions brokerOptions(StreamingFlags flags) throws ConfigException {
        BrokerOptions.Builder builder = BrokerOptions.builder();
        if (flags.get("c") != null) {
            ConfigLoader.load(Path.of(flags.get("c")), builder);
        }
        if (flags.get("a") != null) {
            builder.host(flags.get("a"));
        }
        if (flags.get("p") != null) {
            builder.port(Integer.parseInt(flags.get("p")));
        }
        if (flags.get("user") != null || flags.get("pass") != null || flags.get("auth") != null) {
            throw new IllegalArgumentException("--user/--pass/--auth for the side-car server: use -c with an "
                    + "authorization block in this version");
        }
        return builder.build();
    }

    static String usage() {
        return String.join("\n", List.of(
                "Usage: natsee-streaming [options]",
                "Streaming Server Options:",
                "    -cid, --cluster_id  <string>      Cluster ID (default: test-cluster)",
                "    -st,  --store <string>            Store type: MEMORY|FILE|SQL (default: MEMORY)",
                "          --dir <string>              For FILE store type, this is the root directory",
                "          --ft_group <string>         Name of the FT Group. A group can be 2 or more servers with a single active server and all sharing the same datastore",
                "          --partitioning <bool>       Own only the channels of store_limits.channels (beyond the reference: its config file's key)",
                "    -mc,  --max_channels <int>        Max number of channels (0 for unlimited)",
                "    -msu, --max_subs <int>            Max number of subscriptions per channel (0 for unlimited)",
                "    -mm,  --max_msgs <int>            Max number of messages per channel (0 for unlimited)",
                "    -mb,  --max_bytes <size>          Max messages total size per channel (0 for unlimited)",
                "    -ma,  --max_age <duration>        Max duration a message can be stored (\"0s\" for unlimited)",
                "    -mi,  --max_inactivity <duration> Max inactivity (no new message, no subscription) after which a channel can be garbage collected (0 for unlimited)",
                "    -ns,  --nats_server <string>      Connect to this external NATS Server URL (embedded otherwise)",
                "    -sc,  --stan_config <string>      Streaming server configuration file",
                "    -hbi, --hb_interval <duration>    Interval at which server sends heartbeat to a client",
                "    -hbt, --hb_timeout <duration>     How long server waits for a heartbeat response",
                "    -hbf, --hb_fail_count <int>       Number of failed heartbeats before server closes the client connection",
                "          --file_sync <bool>          Enable File.Sync on Flush (default: true)",
                "Streaming Server Clustering Options:",
                "    --clustered <bool>                Run the server in a clustered configuration (default: false)",
                "    --cluster_node_id <string>        ID of the node within the cluster",
                "    --cluster_bootstrap <bool>        Bootstrap the cluster as a seed node (default: false)",
                "    --cluster_peers <string, ...>     Every node of the cluster as node_id@host:port, this one included",
                "                                      (NATS EE: the address is the node's Raft transport)",
                "    --cluster_log_path <string>       Directory to store log replication data",
                "    --cluster_raft_logging <bool>     Enable logging from the Raft library (default: false)",
                "    -SD,  -SV, -SDV                   Streaming debug, trace, both",
                "SQL Store Options:",
                "          --sql_driver <string>       Name of the SQL Driver (\"postgres\" or, beyond the reference, \"h2\")",
                "          --sql_source <string>       Datasource used when opening an SQL connection to the database",
                "          --sql_no_caching <bool>     Enable/Disable caching for improved performance",
                "          --sql_max_open_conns <int>  Maximum number of opened connections to the database",
                "          --sql_bulk_insert_limit <int> Maximum number of messages stored with a single SQL \"INSERT\" statement",
                "Embedded NATS Server Options:",
                "    -a, --addr <host>                 Bind to host address (default: 0.0.0.0)",
                "    -p, --port <port>                 Use port for clients (default: 4222)",
                "    -m, --http_port <port>            Use port for http monitoring",
                "    -c, --config <file>               Configuration file"));
    }
}
