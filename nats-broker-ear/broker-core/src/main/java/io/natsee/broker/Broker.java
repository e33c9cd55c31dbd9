package io.natsee.broker;

import io.natsee.broker.monitor.MonitorService;
import io.natsee.broker.monitor.MonitorSource;
import io.natsee.broker.monitor.SystemRequests;
import io.natsee.broker.cluster.ClusterOptions;
import io.natsee.broker.cluster.RouteManager;
import io.natsee.broker.server.ServerContext;
import io.natsee.broker.tls.TlsSettings;
import io.natsee.broker.transport.NettyTransport;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * A NATS server: built from {@link BrokerOptions}, started with {@link #start()}, stopped with
 * {@link #close()} (gracefully: queued messages are flushed, then clients are closed). Several
 * brokers can run in one JVM; threads come from the given {@link ThreadFactory}.
 */
public final class Broker implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(Broker.class.getName());
    private static final char[] BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();

    private volatile BrokerOptions options;
    private final ThreadFactory threadFactory;
    private final Clock clock;
    private final String serverId;
    private final CountDownLatch ready = new CountDownLatch(1);
    private final MonitorSource monitorSource;
    private final MonitorService monitor;
    private volatile ServerContext context;
    /** The cluster side; {@code null} when no cluster is configured. */
    private volatile RouteManager routes;
    private volatile NettyTransport transport;
    private volatile int port = -1;
    private volatile boolean closed;
    private LameDuckMode lameDuck;

    /** A broker whose IO threads are plain daemon threads named {@code natsee-io-*}. */
    public Broker(BrokerOptions options) {
        this(options, null);
    }

    /** A broker whose IO threads come from {@code threadFactory} (the container's, in an application server). */
    public Broker(BrokerOptions options, ThreadFactory threadFactory) {
        this(options, threadFactory, Clock.systemUTC());
    }

    public Broker(BrokerOptions options, ThreadFactory threadFactory, Clock clock) {
        this.options = options;
        this.threadFactory = threadFactory;
        this.clock = clock;
        this.serverId = newServerId();
        this.monitorSource = new BrokerMonitorSource(this);
        this.monitor = new MonitorService(monitorSource, clock);
    }

    /** Binds the client port and starts serving; returns once the port accepts connections. */
    public synchronized void start() throws IOException {
        if (context != null) {
            throw new IllegalStateException("broker already started");
        }
        if (closed) {
            throw new IllegalStateException("broker closed");
        }
        if (options.maxPayload() > BrokerDefaults.MAX_PAYLOAD_WARNING) {
            LOG.log(System.Logger.Level.WARNING, "Maximum payloads over {0} are generally discouraged and could lead to poor performance",
                    BrokerDefaults.MAX_PAYLOAD_WARNING);
        }
        TlsSettings tls = options.tls() == null ? null : TlsSettings.load(options.tls());
        NettyTransport netty = new NettyTransport(options.eventLoops(), threadFactory);
        ServerContext server = new ServerContext(options, serverId, netty.eventLoops(), clock);
        server.systemEvents().answerRequestsWith(new SystemRequests(monitor));
        int requested = options.port() == 0 ? BrokerDefaults.PORT : options.port() == BrokerDefaults.RANDOM_PORT ? 0 : options.port();
        ClusterOptions cluster = options.cluster();
        RouteManager manager = null;
        try {
            if (cluster != null && cluster.enabled()) {
                // Made before the client port opens, so that it hears every local subscription:
                // a client may subscribe before the cluster port is bound.
                manager = new RouteManager(server, netty, cluster);
            }
            server.listening(options.host(), requested == 0 ? 0 : requested);
            int bound = netty.bind(options.host(), requested, server, tls);
            server.listening(options.host(), bound);
            this.port = bound;
            if (manager != null) {
                manager.start(options.host());
                this.routes = manager;
            }
        } catch (IOException | RuntimeException e) {
            if (manager != null) {
                manager.close();
            }
            netty.close();
            throw e;
        }
        this.transport = netty;
        this.context = server;
        ready.countDown();
        LOG.log(System.Logger.Level.INFO, "Listening for client connections on {0}:{1,number,#}", options.host(), port);
        if (tls != null) {
            LOG.log(System.Logger.Level.INFO, "TLS required for client connections");
        }
        LOG.log(System.Logger.Level.DEBUG, "IO: {0} event loop(s), {1}", netty.eventLoops(),
                netty.nativeTransport() ? "native epoll" : "NIO");
    }

    /**
     * Applies a changed configuration to the running broker, as nats-server's reload does for
     * what this server can change at run time: the authorization (users, passwords, tokens,
     * NKeys, permissions, auth timeout; existing clients are checked again, closed when they no
     * longer authenticate, and lose subscriptions they may no longer have), max_payload (open
     * clients too), max_connections (clients above the new limit are closed), and the logging
     * switches (debug, trace, log file, which the launcher applies). Any other change is refused
     * with an {@link IllegalArgumentException} naming the options, and nothing is applied.
     */
    public synchronized void reload(BrokerOptions newOptions) {
        ServerContext server = context;
        if (server == null || closed) {
            throw new IllegalStateException("broker not running");
        }
        java.util.List<String> fixed = unreloadableChanges(options, newOptions);
        if (!fixed.isEmpty()) {
            throw new IllegalArgumentException("config reload not supported for " + String.join(", ", fixed));
        }
        server.reloadAuthorization(newOptions.authorization(), newOptions.effectiveAuthTimeout());
        server.reloadTrace(newOptions.trace(), newOptions.maxTracedMsgLen());
        int closed = server.reloadLimits(newOptions.maxConnections(), newOptions.maxPayload());
        if (closed > 0) {
            LOG.log(System.Logger.Level.INFO, "Closed {0,number,#} connections to fall within max_connections", closed);
        }
        if (newOptions.maxConnections() != options.maxConnections()) {
            LOG.log(System.Logger.Level.INFO, "Reloaded: max_connections = {0,number,#}", newOptions.maxConnections());
        }
        if (newOptions.maxPayload() != options.maxPayload()) {
            LOG.log(System.Logger.Level.INFO, "Reloaded: max_payload = {0,number,#}", newOptions.maxPayload());
        }
        this.options = newOptions;
        LOG.log(System.Logger.Level.INFO, "Reloaded server configuration");
    }

    private static java.util.List<String> unreloadableChanges(BrokerOptions a, BrokerOptions b) {
        java.util.List<String> changed = new java.util.ArrayList<>();
        check(changed, "host", a.host(), b.host());
        check(changed, "port", a.port(), b.port());
        check(changed, "http_host", a.httpHost(), b.httpHost());
        check(changed, "http_port", a.httpPort(), b.httpPort());
        check(changed, "server_name", a.serverName(), b.serverName());
        check(changed, "max_control_line", a.maxControlLine(), b.maxControlLine());
        check(changed, "max_pending", a.maxPending(), b.maxPending());
        check(changed, "max_subscriptions", a.maxSubscriptions(), b.maxSubscriptions());
        check(changed, "ping_interval", a.pingInterval(), b.pingInterval());
        check(changed, "ping_max", a.pingMax(), b.pingMax());
        check(changed, "write_deadline", a.writeDeadline(), b.writeDeadline());
        check(changed, "event_loops", a.eventLoops(), b.eventLoops());
        check(changed, "tls", a.tls(), b.tls());
        return changed;
    }

    private static void check(java.util.List<String> changed, String name, Object before, Object after) {
        if (!java.util.Objects.equals(before, after)) {
            changed.add(name);
        }
    }

    /**
     * Enters lame duck mode ({@code --signal ldm}): stops accepting clients, tells the open ones
     * through INFO {@code "ldm":true}, waits the grace period, closes them gradually over the
     * rest of {@code lame_duck_duration}, then closes the broker. Returns at once; calling it
     * again returns the same run.
     *
     * @return completes when the broker has closed at the end of lame duck mode
     * @throws IllegalStateException when the broker is not running
     */
    public synchronized java.util.concurrent.CompletableFuture<Void> enterLameDuckMode() {
        if (lameDuck != null) {
            return lameDuck.done();
        }
        ServerContext server = context;
        NettyTransport netty = transport;
        if (server == null || closed) {
            throw new IllegalStateException("broker not running");
        }
        netty.stopAccepting();
        java.util.List<io.natsee.broker.server.ClientConnection> clients = server.beginLameDuck();
        LameDuckMode run = new LameDuckMode(clients, options.lameDuckDuration(), options.lameDuckGracePeriod(), this::close);
        lameDuck = run;
        Thread thread = threadFactory != null ? threadFactory.newThread(run) : new Thread(run);
        thread.setName("natsee-lame-duck");
        thread.setDaemon(true);
        thread.start();
        return run.done();
    }

    /** Whether lame duck mode has begun. */
    public boolean inLameDuckMode() {
        ServerContext server = context;
        return server != null && server.lameDuck();
    }

    /** Waits until the client port accepts connections; false if that did not happen in time. */
    public boolean awaitReady(Duration timeout) throws InterruptedException {
        return ready.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Whether the broker is started and not closed. */
    public boolean isRunning() {
        return context != null && !closed;
    }

    /** The bound client port; -1 before start. */
    public int port() {
        return port;
    }

    /** The interface the client port is bound to. */
    public String host() {
        return options.host();
    }

    public BrokerOptions options() {
        return options;
    }

    /** The server's unique id, as INFO shows it (56 characters starting with N, like nats-server's). */
    public String serverId() {
        return serverId;
    }

    /** The server name: the configured one, or the id. */
    public String serverName() {
        return options.serverName() == null ? serverId : options.serverName();
    }

    /** When the broker started; {@code null} before start. */
    public Instant startTime() {
        ServerContext server = context;
        return server == null ? null : server.start();
    }

    /** The counters, summed over the event loops. */
    public BrokerStatistics statistics() {
        ServerContext server = context;
        if (server == null) {
            return new BrokerStatistics(0, 0, 0, 0, 0, 0, 0, 0, null);
        }
        return server.statistics();
    }

    /** The monitoring data methods ({@code /varz}, {@code /healthz}), shared by every adapter. */
    public MonitorService monitor() {
        return monitor;
    }

    /** What monitoring reads of this broker; for adapters that build their own {@link MonitorService}. */
    public MonitorSource monitorSource() {
        return monitorSource;
    }

    /** The cluster side (routes), or {@code null} when no cluster is configured or before start. */
    public RouteManager routes() {
        return routes;
    }

    /** The engine's shared state, for monitoring; {@code null} before start. */
    public ServerContext server() {
        return context;
    }

    /**
     * Stops accepting, flushes what is queued for each client and closes it, then stops the IO
     * threads. Waits a few seconds at most. Safe to call twice.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (lameDuck != null) {
            lameDuck.cancel();
        }
        NettyTransport netty = transport;
        ServerContext server = context;
        if (netty == null || server == null) {
            return;
        }
        netty.stopAccepting();
        RouteManager cluster = routes;
        if (cluster != null) {
            cluster.close();
        }
        server.shutdown();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while ((server.connectionCount() > 0 || (cluster != null && cluster.openCount() > 0)) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        netty.close();
        LOG.log(System.Logger.Level.INFO, "Server Exiting..");
    }

    private static String newServerId() {
        SecureRandom random = new SecureRandom();
        StringBuilder id = new StringBuilder(56).append('N');
        for (int i = 1; i < 56; i++) {
            id.append(BASE32[random.nextInt(BASE32.length)]);
        }
        return id.toString();
    }
}
