package io.natsee.broker;

import io.natsee.broker.auth.AuthOptions;
import io.natsee.broker.cluster.ClusterOptions;
import io.natsee.broker.cluster.ClusterUrls;
import io.natsee.broker.tls.TlsOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Properties;

/**
 * The immutable settings of one broker. Built with {@link #builder()}; every option defaults to
 * nats-server 2.9.10's value (see {@link BrokerDefaults}). Precedence, applied by the callers:
 * defaults, then the configuration file, then the command line or the container's configuration.
 */
public final class BrokerOptions {

    private final String host;
    private final int port;
    private final String httpHost;
    private final int httpPort;
    private final String serverName;
    private final int maxPayload;
    private final int maxControlLine;
    private final long maxPending;
    private final int maxConnections;
    private final int maxSubscriptions;
    private final Duration pingInterval;
    private final int pingMax;
    private final Duration writeDeadline;
    private final Duration authTimeout;
    private final boolean debug;
    private final boolean trace;
    private final Path logFile;
    private final Path pidFile;
    private final int eventLoops;
    private final boolean matchCache;
    private final AuthOptions authorization;
    private final TlsOptions tls;
    private final Path configFile;
    private final long logFileSizeLimit;
    private final int maxTracedMsgLen;
    private final String systemAccount;
    private final Path portsFileDir;
    private final Duration lameDuckDuration;
    private final Duration lameDuckGracePeriod;
    private final ClusterOptions cluster;

    private BrokerOptions(Builder b) {
        this.host = b.host;
        this.port = b.port;
        this.httpHost = b.httpHost;
        this.httpPort = b.httpPort;
        this.serverName = b.serverName;
        this.maxPayload = b.maxPayload;
        this.maxControlLine = b.maxControlLine;
        this.maxPending = b.maxPending;
        this.maxConnections = b.maxConnections;
        this.maxSubscriptions = b.maxSubscriptions;
        this.pingInterval = b.pingInterval;
        this.pingMax = b.pingMax;
        this.writeDeadline = b.writeDeadline;
        this.authTimeout = b.authTimeout;
        this.debug = b.debug;
        this.trace = b.trace;
        this.logFile = b.logFile;
        this.pidFile = b.pidFile;
        this.eventLoops = b.eventLoops;
        this.matchCache = b.matchCache;
        this.authorization = b.authorization;
        this.tls = b.tls;
        this.configFile = b.configFile;
        this.logFileSizeLimit = b.logFileSizeLimit;
        this.maxTracedMsgLen = b.maxTracedMsgLen;
        this.systemAccount = b.systemAccount;
        this.portsFileDir = b.portsFileDir;
        this.lameDuckDuration = b.lameDuckDuration;
        this.lameDuckGracePeriod = b.lameDuckGracePeriod;
        this.cluster = b.cluster;
    }

    /** A builder holding every default. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this instance's values, to derive a changed copy. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.host = host;
        b.port = port;
        b.httpHost = httpHost;
        b.httpPort = httpPort;
        b.serverName = serverName;
        b.maxPayload = maxPayload;
        b.maxControlLine = maxControlLine;
        b.maxPending = maxPending;
        b.maxConnections = maxConnections;
        b.maxSubscriptions = maxSubscriptions;
        b.pingInterval = pingInterval;
        b.pingMax = pingMax;
        b.writeDeadline = writeDeadline;
        b.authTimeout = authTimeout;
        b.debug = debug;
        b.trace = trace;
        b.logFile = logFile;
        b.pidFile = pidFile;
        b.eventLoops = eventLoops;
        b.matchCache = matchCache;
        b.authorization = authorization;
        b.tls = tls;
        b.configFile = configFile;
        b.logFileSizeLimit = logFileSizeLimit;
        b.maxTracedMsgLen = maxTracedMsgLen;
        b.systemAccount = systemAccount;
        b.portsFileDir = portsFileDir;
        b.lameDuckDuration = lameDuckDuration;
        b.lameDuckGracePeriod = lameDuckGracePeriod;
        b.cluster = cluster;
        return b;
    }

    /** Options with every default. */
    public static BrokerOptions defaults() {
        return builder().build();
    }

    /**
     * Reads the documented keys from properties, on top of the defaults. The keys are
     * nats-server's configuration keys, optionally behind a prefix such as {@code nats.}:
     * {@code host}, {@code port}, {@code http_host}, {@code http_port}, {@code server_name},
     * {@code max_payload}, {@code max_control_line}, {@code max_pending},
     * {@code max_connections}, {@code max_subscriptions}, {@code ping_interval} (a duration such
     * as {@code 2m} or seconds), {@code ping_max}, {@code write_deadline}, {@code auth_timeout},
     * {@code debug}, {@code trace}, {@code logfile}, {@code pid_file}, {@code event_loops},
     * {@code logfile_size_limit}, {@code max_traced_msg_len}, {@code system_account}, {@code ports_file_dir},
     * {@code lame_duck_duration}, {@code lame_duck_grace_period}. Cluster:
     * {@code cluster_name}, {@code cluster_host}, {@code cluster_port} (0 off, -1 any free
     * port), {@code routes} (comma separated URLs), {@code cluster_advertise},
     * {@code no_advertise}, {@code connect_retries}. Sizes accept nats-server's suffixes ({@code 64KB}, {@code 1MB}). Security, as nats-server's
     * flags: {@code user}, {@code pass} (or {@code password}), {@code auth} (or {@code token}),
     * {@code tls} ({@code false} switches TLS off), {@code tls_cert}, {@code tls_key},
     * {@code tls_ca}, {@code tls_verify}, {@code tls_timeout}.
     *
     * @throws IllegalArgumentException naming the key whose value is not valid
     */
    public static BrokerOptions fromProperties(Properties properties, String prefix) {
        return builder().applyProperties(properties, prefix).build();
    }

    /** The interface the client port binds to. */
    public String host() {
        return host;
    }

    /** The client port; 0 means the default 4222 and -1 any free port, as in nats-server. */
    public int port() {
        return port;
    }

    /** The interface of the monitoring port; the client host when not set. */
    public String httpHost() {
        return httpHost == null ? host : httpHost;
    }

    /** The monitoring port; 0 means monitoring is off, -1 any free port. */
    public int httpPort() {
        return httpPort;
    }

    /** The server's name; {@code null} means the generated server id is used. */
    public String serverName() {
        return serverName;
    }

    /** Largest payload a client may publish, in bytes. */
    public int maxPayload() {
        return maxPayload;
    }

    /** Longest control line a client may send, in bytes. */
    public int maxControlLine() {
        return maxControlLine;
    }

    /** Outbound bytes queued for one connection before it is closed as a slow consumer. */
    public long maxPending() {
        return maxPending;
    }

    /** Client connections accepted at once. */
    public int maxConnections() {
        return maxConnections;
    }

    /** Subscriptions per connection; 0 means no limit. */
    public int maxSubscriptions() {
        return maxSubscriptions;
    }

    /** Interval between the server's keep-alive pings. */
    public Duration pingInterval() {
        return pingInterval;
    }

    /** Unanswered pings after which a connection is closed as stale. */
    public int pingMax() {
        return pingMax;
    }

    /** How long a blocked write may last before the client is a slow consumer. */
    public Duration writeDeadline() {
        return writeDeadline;
    }

    /** How long a client has to send CONNECT when authentication is required. */
    public Duration authTimeout() {
        return authTimeout;
    }

    /** Whether debug logging is on ({@code -D}). */
    public boolean debug() {
        return debug;
    }

    /** Whether protocol tracing is on ({@code -V}). */
    public boolean trace() {
        return trace;
    }

    /** The log file; {@code null} means standard error. */
    public Path logFile() {
        return logFile;
    }

    /** The file the process id is written to; {@code null} means none. */
    public Path pidFile() {
        return pidFile;
    }

    /** The log file size in bytes after which it is rotated ({@code logfile_size_limit}); 0: never. */
    public long logFileSizeLimit() {
        return logFileSizeLimit;
    }

    /** The longest payload a protocol trace shows, in bytes ({@code max_traced_msg_len}); 0: all of it. */
    public int maxTracedMsgLen() {
        return maxTracedMsgLen;
    }

    /**
     * The system account's name ({@code system_account}); {@code null}, the default, publishes no
     * {@code $SYS} advisories, as nats-server 2.9.10 without one sends none a client can see.
     */
    public String systemAccount() {
        return systemAccount;
    }

    /** The directory of the ports file ({@code ports_file_dir}); {@code null}: none. */
    public Path portsFileDir() {
        return portsFileDir;
    }

    /** How long lame duck mode spreads the closing of clients ({@code lame_duck_duration}). */
    public Duration lameDuckDuration() {
        return lameDuckDuration;
    }

    /** How long lame duck mode waits before it closes the first client ({@code lame_duck_grace_period}). */
    public Duration lameDuckGracePeriod() {
        return lameDuckGracePeriod;
    }

    /** The number of IO event loops serving connections. */
    public int eventLoops() {
        return eventLoops;
    }

    /** Whether subject matches are cached per event loop (on by default; off for tests). */
    public boolean matchCache() {
        return matchCache;
    }

    /** Authentication and authorization of clients; {@code null} when clients need none. */
    public AuthOptions authorization() {
        return authorization;
    }

    /** TLS on the client port; {@code null} for plain TCP. */
    public TlsOptions tls() {
        return tls;
    }

    /**
     * The {@code cluster} block and flags; {@code null} when none was given. Routes are served
     * and dialled only when it is {@linkplain ClusterOptions#enabled() enabled} (a port other
     * than 0), as in nats-server.
     */
    public ClusterOptions cluster() {
        return cluster;
    }

    /** The configuration file these options were read from, for reloading; {@code null} if none. */
    public Path configFile() {
        return configFile;
    }

    /**
     * The auth timeout in effect: the authorization block's; else, with TLS and the default auth
     * timeout, the TLS timeout plus one second (as nats-server); else {@link #authTimeout()}.
     */
    public java.time.Duration effectiveAuthTimeout() {
        if (authorization != null && authorization.timeout() != null) {
            return authorization.timeout();
        }
        if (tls != null && authTimeout.equals(BrokerDefaults.AUTH_TIMEOUT)) {
            // nats-server leaves room for the TLS handshake: its default is the TLS timeout plus a second.
            java.time.Duration withTls = tls.timeoutOrDefault().plusSeconds(1);
            return withTls.compareTo(authTimeout) > 0 ? withTls : authTimeout;
        }
        return authTimeout;
    }

    @Override
    public String toString() {
        return "BrokerOptions[host=" + host + ", port=" + port + ", httpPort=" + httpPort
                + ", serverName=" + serverName + ", maxPayload=" + maxPayload
                + ", maxControlLine=" + maxControlLine + ", maxPending=" + maxPending
                + ", maxConnections=" + maxConnections + ", maxSubscriptions=" + maxSubscriptions
                + ", pingInterval=" + pingInterval + ", pingMax=" + pingMax
                + ", writeDeadline=" + writeDeadline + ", eventLoops=" + eventLoops
                + ", authorization=" + authorization + ", tls=" + (tls != null) + ", cluster=" + cluster + "]";
    }

    /** Builds {@link BrokerOptions}; every setter validates its argument. */
    public static final class Builder {
        private String host = BrokerDefaults.HOST;
        private int port = BrokerDefaults.PORT;
        private String httpHost;
        private int httpPort;
        private String serverName;
        private int maxPayload = BrokerDefaults.MAX_PAYLOAD;
        private int maxControlLine = BrokerDefaults.MAX_CONTROL_LINE;
        private long maxPending = BrokerDefaults.MAX_PENDING;
        private int maxConnections = BrokerDefaults.MAX_CONNECTIONS;
        private int maxSubscriptions = BrokerDefaults.MAX_SUBSCRIPTIONS;
        private Duration pingInterval = BrokerDefaults.PING_INTERVAL;
        private int pingMax = BrokerDefaults.PING_MAX;
        private Duration writeDeadline = BrokerDefaults.WRITE_DEADLINE;
        private Duration authTimeout = BrokerDefaults.AUTH_TIMEOUT;
        private boolean debug;
        private boolean trace;
        private Path logFile;
        private Path pidFile;
        private int eventLoops = BrokerDefaults.eventLoops();
        private boolean matchCache = true;
        private AuthOptions authorization;
        private TlsOptions tls;
        private Path configFile;
        private long logFileSizeLimit;
        private int maxTracedMsgLen;
        private String systemAccount;
        private Path portsFileDir;
        private Duration lameDuckDuration = BrokerDefaults.LAME_DUCK_DURATION;
        private Duration lameDuckGracePeriod = BrokerDefaults.LAME_DUCK_GRACE_PERIOD;
        private ClusterOptions cluster;

        private Builder() {
        }

        /** The cluster block; {@code null} for none. */
        public Builder cluster(ClusterOptions cluster) {
            this.cluster = cluster;
            return this;
        }

        /** The cluster block as set so far, for callers that change one part of it. */
        public ClusterOptions cluster() {
            return cluster;
        }

        /** The log file size in bytes after which it is rotated; 0 (or negative) never rotates. */
        public Builder logFileSizeLimit(long bytes) {
            this.logFileSizeLimit = Math.max(0, bytes);
            return this;
        }

        /** The longest payload a trace line shows; 0 (or negative) shows all. */
        /** Publishes the {@code $SYS} advisories under this system account name; {@code null} or empty: none. */
        public Builder systemAccount(String name) {
            this.systemAccount = name == null || name.isEmpty() ? null : name;
            return this;
        }

        public Builder maxTracedMsgLen(int bytes) {
            this.maxTracedMsgLen = Math.max(0, bytes);
            return this;
        }

        /** Where to write the ports file; {@code null} for none. */
        public Builder portsFileDir(Path directory) {
            this.portsFileDir = directory;
            return this;
        }

        /** The time over which lame duck mode closes clients (positive). */
        public Builder lameDuckDuration(Duration duration) {
            this.lameDuckDuration = positive("lame_duck_duration", duration);
            return this;
        }

        /** The wait before lame duck mode closes the first client (zero or positive). */
        public Builder lameDuckGracePeriod(Duration period) {
            Objects.requireNonNull(period, "lame_duck_grace_period");
            if (period.isNegative()) {
                throw new IllegalArgumentException("lame_duck_grace_period must not be negative: " + period);
            }
            this.lameDuckGracePeriod = period;
            return this;
        }

        /** Client authentication; {@code null} (or one that requires nothing) for none. */
        public Builder authorization(AuthOptions authorization) {
            this.authorization = authorization == null || !authorization.required() && authorization.timeout() == null
                    ? null : authorization;
            return this;
        }

        /** TLS on the client port; {@code null} for none. */
        public Builder tls(TlsOptions tls) {
            this.tls = tls;
            return this;
        }

        /** The configuration file, remembered for reloading. */
        public Builder configFile(Path configFile) {
            this.configFile = configFile;
            return this;
        }

        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /** 0 means the default port 4222, -1 any free port. */
        public Builder port(int port) {
            this.port = checkPort("port", port);
            return this;
        }

        public Builder httpHost(String httpHost) {
            this.httpHost = httpHost;
            return this;
        }

        /** 0 switches monitoring off, -1 asks for any free port. */
        public Builder httpPort(int httpPort) {
            this.httpPort = checkPort("http_port", httpPort);
            return this;
        }

        public Builder serverName(String serverName) {
            this.serverName = serverName == null || serverName.isEmpty() ? null : serverName;
            return this;
        }

        /** In bytes; 0 or less restores the default, as nats-server does. */
        public Builder maxPayload(long maxPayload) {
            if (maxPayload > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("max_payload " + maxPayload + " is larger than " + Integer.MAX_VALUE);
            }
            this.maxPayload = maxPayload <= 0 ? BrokerDefaults.MAX_PAYLOAD : (int) maxPayload;
            return this;
        }

        /** In bytes; 0 or less restores the default. */
        public Builder maxControlLine(long maxControlLine) {
            if (maxControlLine > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("max_control_line " + maxControlLine + " is too large");
            }
            this.maxControlLine = maxControlLine <= 0 ? BrokerDefaults.MAX_CONTROL_LINE : (int) maxControlLine;
            return this;
        }

        /** In bytes; 0 or less restores the default. */
        public Builder maxPending(long maxPending) {
            this.maxPending = maxPending <= 0 ? BrokerDefaults.MAX_PENDING : maxPending;
            return this;
        }

        /** 0 or less restores the default. */
        public Builder maxConnections(int maxConnections) {
            this.maxConnections = maxConnections <= 0 ? BrokerDefaults.MAX_CONNECTIONS : maxConnections;
            return this;
        }

        /** 0 means no limit. */
        public Builder maxSubscriptions(int maxSubscriptions) {
            if (maxSubscriptions < 0) {
                throw new IllegalArgumentException("max_subscriptions must not be negative: " + maxSubscriptions);
            }
            this.maxSubscriptions = maxSubscriptions;
            return this;
        }

        public Builder pingInterval(Duration pingInterval) {
            this.pingInterval = positive("ping_interval", pingInterval);
            return this;
        }

        /** 0 or less restores the default. */
        public Builder pingMax(int pingMax) {
            this.pingMax = pingMax <= 0 ? BrokerDefaults.PING_MAX : pingMax;
            return this;
        }

        public Builder writeDeadline(Duration writeDeadline) {
            this.writeDeadline = positive("write_deadline", writeDeadline);
            return this;
        }

        public Builder authTimeout(Duration authTimeout) {
            this.authTimeout = positive("auth_timeout", authTimeout);
            return this;
        }

        public Builder debug(boolean debug) {
            this.debug = debug;
            return this;
        }

        public Builder trace(boolean trace) {
            this.trace = trace;
            return this;
        }

        public Builder logFile(Path logFile) {
            this.logFile = logFile;
            return this;
        }

        public Builder pidFile(Path pidFile) {
            this.pidFile = pidFile;
            return this;
        }

        public Builder eventLoops(int eventLoops) {
            if (eventLoops < 1) {
                throw new IllegalArgumentException("event_loops must be at least 1: " + eventLoops);
            }
            this.eventLoops = eventLoops;
            return this;
        }

        public Builder matchCache(boolean matchCache) {
            this.matchCache = matchCache;
            return this;
        }

        /** Applies the keys documented on {@link BrokerOptions#fromProperties}. */
        public Builder applyProperties(Properties properties, String prefix) {
            String p = prefix == null ? "" : prefix;
            java.util.Map<String, String> security = new java.util.HashMap<>();
            for (String name : properties.stringPropertyNames()) {
                if (!name.startsWith(p)) {
                    continue;
                }
                String key = name.substring(p.length()).toLowerCase(Locale.ROOT).replace('.', '_').replace('-', '_');
                String value = properties.getProperty(name).trim();
                if (SECURITY_KEYS.contains(key)) {
                    security.put(key, value);
                    continue;
                }
                try {
                    applyProperty(key, value);
                } catch (RuntimeException e) {
                    throw new IllegalArgumentException("invalid value for " + name + ": '" + value + "': " + e.getMessage(), e);
                }
            }
            applySecurityProperties(security, p);
            return this;
        }

        /** The security keys {@link #applyProperties} reads, as nats-server's flags name them. */
        private static final java.util.Set<String> SECURITY_KEYS = java.util.Set.of(
                "user", "pass", "password", "auth", "token", "tls", "tlscert", "tls_cert", "tlskey", "tls_key",
                "tlscacert", "tls_ca", "tls_ca_file", "tlsverify", "tls_verify", "tls_timeout");

        /**
         * Applies {@code user}/{@code pass} (or {@code password}), {@code auth} (or
         * {@code token}), and the TLS keys as nats-server's matching flags do: they replace the
         * file's single user or token (a users list stays), and name the PEM files of the client
         * port's TLS. Values are never echoed in errors (they may be secrets).
         */
        private void applySecurityProperties(java.util.Map<String, String> keys, String prefix) {
            String user = keys.get("user");
            String password = keys.containsKey("pass") ? keys.get("pass") : keys.get("password");
            String token = keys.containsKey("auth") ? keys.get("auth") : keys.get("token");
            if (user != null || password != null || token != null) {
                AuthOptions current = authorization;
                java.util.List<io.natsee.broker.auth.User> users = current == null ? java.util.List.of() : current.users();
                AuthOptions merged = new AuthOptions(
                        users.isEmpty() ? blankToNull(user != null ? user : current == null ? null : current.user()) : null,
                        users.isEmpty() ? blankToNull(password != null ? password : current == null ? null : current.password()) : null,
                        blankToNull(token != null ? token : current == null ? null : current.token()),
                        users, current == null ? null : current.defaultPermissions(), current == null ? null : current.timeout());
                authorization(merged);
            }
            String cert = first(keys, "tlscert", "tls_cert");
            String key = first(keys, "tlskey", "tls_key");
            String ca = first(keys, "tlscacert", "tls_ca", "tls_ca_file");
            String verify = first(keys, "tlsverify", "tls_verify");
            String timeout = keys.get("tls_timeout");
            if ("false".equalsIgnoreCase(keys.get("tls"))) {
                tls(null);
            } else if (cert != null || key != null || ca != null || verify != null || timeout != null) {
                TlsOptions current = tls;
                Path certFile = cert != null ? Path.of(cert) : current == null ? null : current.certFile();
                Path keyFile = key != null ? Path.of(key) : current == null ? null : current.keyFile();
                if (certFile == null || keyFile == null) {
                    throw new IllegalArgumentException(prefix + "tls_cert and " + prefix + "tls_key must both be set for TLS");
                }
                tls(new TlsOptions(certFile, keyFile,
                        ca != null ? Path.of(ca) : current == null ? null : current.caFile(),
                        verify != null ? Boolean.parseBoolean(verify) : current != null && current.verify(),
                        current != null && current.verifyAndMap(),
                        timeout != null ? Values.parseDuration(timeout) : current == null ? null : current.timeout(),
                        current == null ? java.util.List.of() : current.cipherSuites()));
            }
        }

        private static String first(java.util.Map<String, String> keys, String... names) {
            for (String name : names) {
                if (keys.containsKey(name)) {
                    return keys.get(name);
                }
            }
            return null;
        }

        private static String blankToNull(String value) {
            return value == null || value.isEmpty() ? null : value;
        }

        private void applyProperty(String key, String value) {
            switch (key) {
                case "host", "net", "addr" -> host(value);
                case "port" -> port(Integer.parseInt(value));
                case "http_host" -> httpHost(value);
                case "http_port", "monitor_port" -> httpPort(Integer.parseInt(value));
                case "server_name", "name" -> serverName(value);
                case "max_payload" -> maxPayload(Values.parseSize(value));
                case "max_control_line" -> maxControlLine(Values.parseSize(value));
                case "max_pending" -> maxPending(Values.parseSize(value));
                case "max_connections", "max_conn" -> maxConnections(Math.toIntExact(Values.parseSize(value)));
                case "max_subscriptions", "max_subs" -> maxSubscriptions(Math.toIntExact(Values.parseSize(value)));
                case "ping_interval" -> pingInterval(Values.parseDuration(value));
                case "ping_max" -> pingMax(Integer.parseInt(value));
                case "write_deadline" -> writeDeadline(Values.parseDuration(value));
                case "auth_timeout" -> authTimeout(Values.parseDuration(value));
                case "debug" -> debug(Boolean.parseBoolean(value));
                case "trace" -> trace(Boolean.parseBoolean(value));
                case "logfile", "log_file" -> logFile(value.isEmpty() ? null : Path.of(value));
                case "pid_file", "pidfile" -> pidFile(value.isEmpty() ? null : Path.of(value));
                case "event_loops" -> eventLoops(Integer.parseInt(value));
                case "logfile_size_limit", "log_size_limit" -> logFileSizeLimit(Values.parseSize(value));
                case "max_traced_msg_len" -> maxTracedMsgLen(Math.toIntExact(Values.parseSize(value)));
                case "system_account" -> systemAccount(value.trim());
                case "ports_file_dir" -> portsFileDir(value.isEmpty() ? null : Path.of(value));
                case "lame_duck_duration" -> lameDuckDuration(Values.parseDuration(value));
                case "lame_duck_grace_period" -> lameDuckGracePeriod(Values.parseDuration(value));
                case "cluster_name" -> cluster(clusterOrOff().withName(value));
                case "cluster_host" -> cluster(clusterOrOff().withListen(value, clusterOrOff().port()));
                case "cluster_port" -> cluster(clusterOrOff().withListen(clusterOrOff().host(), Integer.parseInt(value)));
                case "routes" -> cluster(clusterOrOff().withRoutes(ClusterUrls.routes(value)));
                case "cluster_advertise" -> cluster(clusterOrOff().withAdvertise(value));
                case "no_advertise" -> cluster(clusterOrOff().withNoAdvertise(Boolean.parseBoolean(value)));
                case "connect_retries" -> cluster(clusterOrOff().withConnectRetries(Integer.parseInt(value)));
                default -> {
                    // Keys of other components (streaming, the resource adapter) share the prefix.
                }
            }
        }

        private ClusterOptions clusterOrOff() {
            return cluster == null ? ClusterOptions.of(0) : cluster;
        }

        public BrokerOptions build() {
            return new BrokerOptions(this);
        }

        private static int checkPort(String name, int port) {
            if (port < -1 || port > 65535) {
                throw new IllegalArgumentException(name + " must be between -1 and 65535: " + port);
            }
            return port;
        }

        private static Duration positive(String name, Duration d) {
            Objects.requireNonNull(d, name);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive: " + d);
            }
            return d;
        }
    }
}
