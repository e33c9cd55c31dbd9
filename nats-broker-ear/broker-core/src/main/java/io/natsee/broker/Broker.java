package io.natsee.broker;

import io.natsee.broker.monitor.MonitorService;
import io.natsee.broker.server.ServerContext;
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

    private final BrokerOptions options;
    private final ThreadFactory threadFactory;
    private final Clock clock;
    private final String serverId;
    private final CountDownLatch ready = new CountDownLatch(1);
    private final MonitorService monitor;
    private volatile ServerContext context;
    private volatile NettyTransport transport;
    private volatile int port = -1;
    private volatile boolean closed;

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
        this.monitor = new MonitorService(this, clock);
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
        NettyTransport netty = new NettyTransport(options.eventLoops(), threadFactory);
        ServerContext server = new ServerContext(options, serverId, netty.eventLoops(), clock);
        int requested = options.port() == 0 ? BrokerDefaults.PORT : options.port() == BrokerDefaults.RANDOM_PORT ? 0 : options.port();
        try {
            server.listening(options.host(), requested == 0 ? 0 : requested);
            int bound = netty.bind(options.host(), requested, server);
            server.listening(options.host(), bound);
            this.port = bound;
        } catch (IOException | RuntimeException e) {
            netty.close();
            throw e;
        }
        this.transport = netty;
        this.context = server;
        ready.countDown();
        LOG.log(System.Logger.Level.INFO, "Listening for client connections on {0}:{1,number,#}", options.host(), port);
        LOG.log(System.Logger.Level.DEBUG, "IO: {0} event loop(s), {1}", netty.eventLoops(),
                netty.nativeTransport() ? "native epoll" : "NIO");
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
        NettyTransport netty = transport;
        ServerContext server = context;
        if (netty == null || server == null) {
            return;
        }
        netty.stopAccepting();
        server.shutdown();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (server.connectionCount() > 0 && System.nanoTime() < deadline) {
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
