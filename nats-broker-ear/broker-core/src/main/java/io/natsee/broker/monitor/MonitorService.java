package io.natsee.broker.monitor;

import io.natsee.broker.BrokerDefaults;
import io.natsee.broker.BrokerOptions;
import io.natsee.broker.BrokerStatistics;
import io.natsee.broker.tls.TlsOptions;

import io.natsee.broker.subject.Subjects;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
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
     * for compatibility with tools that read it; {@code system_account} renames it and turns on
     * the {@code $SYS} advisories (see {@code SystemEvents}).
     */
    public static final String SYSTEM_ACCOUNT = "$SYS";

    private static final Map<String, Object> EMPTY_BLOCK = Map.of();

    private final MonitorSource broker;
    private final Clock clock;
    private final ProcessUsage processUsage;
    private final Map<String, LongAdder> httpRequests = new ConcurrentHashMap<>();
    private final String runtimeVersion;

    /** Monitoring data of the given source, timed by the given clock. */
    public MonitorService(MonitorSource source, Clock clock) {
        this(source, clock, new ProcessUsage());
    }

    MonitorService(MonitorSource broker, Clock clock, ProcessUsage processUsage) {
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
                broker.connectUrls(),
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
                broker.cluster(),
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
                broker.routeCount(),
                broker.remoteCount(),
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
                systemAccount(options));
    }

    /**
     * The client connections of {@code /connz}: one page of open or closed ones (or both),
     * filtered and sorted as the query says.
     */
    public Connz connz(ConnzQuery query) {
        return ConnzAssembler.connz(broker, query, clock.instant());
    }

    /**
     * The subscriptions of {@code /subsz}: the trie's counters and, when asked, one page of
     * subscriptions (only those a message on {@code test} would reach, when given).
     *
     * @throws MonitorRequestException with nats-server's text when {@code test} is not a literal subject
     */
    public Subsz subsz(SubszQuery query) throws MonitorRequestException {
        String test = query.test();
        if (!test.isEmpty() && !isLiteralSubject(test)) {
            throw new MonitorRequestException("invalid test subject, must be valid publish subject: " + test);
        }
        Instant now = clock.instant();
        Subsz.Statistics statistics = broker.subscriptionStatistics();
        List<SubDetail> page = List.of();
        boolean globalAccount = query.account().isEmpty() || ConnzAssembler.GLOBAL_ACCOUNT.equals(query.account());
        if (query.subscriptions() && globalAccount) {
            List<SubDetail> chosen = new ArrayList<>();
            for (SubDetail subscription : broker.subscriptions()) {
                if (test.isEmpty() || Subjects.matches(subscription.subject(), test)) {
                    chosen.add(subscription.inAccount(ConnzAssembler.GLOBAL_ACCOUNT));
                }
            }
            chosen.sort(Comparator.comparingLong(SubDetail::cid).thenComparing(SubDetail::sid));
            int from = Math.min(query.offset(), chosen.size());
            int to = (int) Math.min((long) query.offset() + query.limit(), chosen.size());
            page = List.copyOf(chosen.subList(from, Math.max(from, to)));
        }
        return new Subsz(broker.serverId(), now, statistics, page.size(), query.offset(), query.limit(), page);
    }

    /**
     * The routes of {@code /routez}; {@code subs} as nats-server reads it: {@code 1}/true lists
     * the subjects, {@code detail} the subscriptions.
     *
     * @throws MonitorRequestException with nats-server's text for a {@code subs} it cannot read
     */
    public Routez routez(java.util.function.Function<String, String> parameters) throws MonitorRequestException {
        String subs = parameters.apply("subs");
        boolean detail = "detail".equals(subs);
        boolean subscriptions = !detail && new QueryParameters(parameters).bool("subs");
        List<Routez.Route> routes = broker.routes(subscriptions, detail);
        return new Routez(broker.serverId(), clock.instant(), routes.size(), routes);
    }

    /** The accounts of {@code /accountz}: the global account and the system account. */
    public Accountz accountz() {
        String system = systemAccount(broker.options());
        return new Accountz(broker.serverId(), clock.instant(), system, List.of(ConnzAssembler.GLOBAL_ACCOUNT, system));
    }

    /** The configured {@code system_account}, else the {@code $SYS} nats-server always has. */
    private static String systemAccount(BrokerOptions options) {
        return options.systemAccount() != null ? options.systemAccount() : SYSTEM_ACCOUNT;
    }

    /** Whether the server is in lame duck mode. */
    public boolean lameDuck() {
        return broker.lameDuck();
    }

    private static boolean isLiteralSubject(String subject) {
        if (Subjects.hasWildcard(subject) || !Subjects.isValidSubscribeSubject(subject)) {
            return false;
        }
        for (int i = 0; i < subject.length(); i++) {
            if (Character.isWhitespace(subject.charAt(i))) {
                return false;
            }
        }
        return true;
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
