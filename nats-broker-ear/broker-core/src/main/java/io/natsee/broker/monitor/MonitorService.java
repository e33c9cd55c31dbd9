package io.natsee.broker.monitor;

import io.natsee.broker.Broker;
import io.natsee.broker.BrokerDefaults;
import io.natsee.broker.BrokerOptions;
import io.natsee.broker.BrokerStatistics;
import io.natsee.broker.tls.TlsOptions;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The broker's monitoring data as records, the same figures nats-server 2.9.10 serves over HTTP.
 * Adapters (the standalone HTTP server, JAX-RS, the admin UI) translate these records and count
 * their requests through {@link #countHttpRequest}; this class knows nothing of HTTP. Thread-safe.
 */
public final class MonitorService {

    /** The client protocol level nats-server 2.9 announces. */
    public static final int PROTOCOL = 1;
    /**
     * The system account nats-server 2.9.10 always creates and names in {@code /varz}. Reported
     * for compatibility with tools that read it; this broker has no system account traffic yet.
     */
    public static final String SYSTEM_ACCOUNT = "$SYS";

    private static final Map<String, Object> EMPTY_BLOCK = Map.of();

    private final Broker broker;
    private final Clock clock;
    private final ProcessUsage processUsage;
    private final Map<String, LongAdder> httpRequests = new ConcurrentHashMap<>();
    private final String runtimeVersion;

    /** Monitoring data of the given broker, timed by the system clock. */
    public MonitorService(Broker broker) {
        this(broker, Clock.systemUTC());
    }

    /** Monitoring data of the given broker, timed by the given clock. */
    public MonitorService(Broker broker, Clock clock) {
        this(broker, clock, new ProcessUsage());
    }

    MonitorService(Broker broker, Clock clock, ProcessUsage processUsage) {
        this.broker = Objects.requireNonNull(broker, "broker");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.processUsage = Objects.requireNonNull(processUsage, "processUsage");
        this.runtimeVersion = "java" + Runtime.version();
    }

    /** The general server information of {@code /varz}. */
    public Varz varz() {
        BrokerOptions options = broker.options();
        BrokerStatistics statistics = broker.statistics();
        Instant now = clock.instant();
        Instant start = broker.startTime() != null ? broker.startTime() : now;
        String serverId = broker.serverId();
        String serverName = broker.serverName() != null ? broker.serverName() : serverId;
        int cores = Runtime.getRuntime().availableProcessors();
        return new Varz(
                serverId,
                serverName,
                BrokerDefaults.VERSION,
                PROTOCOL,
                null,
                runtimeVersion,
                broker.host(),
                broker.port(),
                options.authorization() != null && options.authorization().required(),
                options.tls() != null,
                options.tls() != null && options.tls().requiresClientCertificates(),
                null,
                List.of(),
                options.maxConnections(),
                options.maxSubscriptions(),
                options.pingInterval(),
                options.pingMax(),
                options.httpHost(),
                options.httpPort(),
                "",
                0,
                seconds(options.effectiveAuthTimeout()),
                options.maxControlLine(),
                options.maxPayload(),
                options.maxPending(),
                Varz.ClusterVarz.none(),
                EMPTY_BLOCK,
                EMPTY_BLOCK,
                EMPTY_BLOCK,
                EMPTY_BLOCK,
                EMPTY_BLOCK,
                // nats-server shows its TLS handshake timeout (2 s by default) even without TLS.
                seconds(options.tls() != null ? options.tls().timeoutOrDefault() : TlsOptions.DEFAULT_TIMEOUT),
                options.writeDeadline(),
                start,
                now,
                GoFormats.uptime(Duration.between(start, now)),
                processUsage.residentBytes(),
                cores,
                cores,
                processUsage.cpuPercent(),
                statistics.connections(),
                statistics.totalConnections(),
                0,
                0,
                0,
                statistics.inMsgs(),
                statistics.outMsgs(),
                statistics.inBytes(),
                statistics.outBytes(),
                statistics.slowConsumers(),
                statistics.subscriptions(),
                httpRequestStats(),
                start,
                List.of(),
                SYSTEM_ACCOUNT);
    }

    /** The answer of {@code /healthz}. */
    public Healthz healthz() {
        return Healthz.ok();
    }

    /**
     * Counts one request to a monitoring endpoint, reported per path in {@code http_req_stats}.
     * Adapters call it before they build the answer, as nats-server does, so a {@code /varz}
     * answer already counts itself.
     */
    public void countHttpRequest(String path) {
        httpRequests.computeIfAbsent(path, key -> new LongAdder()).increment();
    }

    /** The requests counted per path, sorted by path. */
    public Map<String, Long> httpRequestStats() {
        Map<String, Long> stats = new TreeMap<>();
        httpRequests.forEach((path, count) -> stats.put(path, count.sum()));
        return stats;
    }

    private static double seconds(Duration duration) {
        return duration.toNanos() / 1e9;
    }
}
