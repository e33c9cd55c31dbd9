package io.natsee.streaming.ee;

import io.natsee.streaming.server.StreamingOptions;
import io.natsee.streaming.server.StreamingServer;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionManagement;
import jakarta.ejb.TransactionManagementType;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs the NATS Streaming server for as long as this application is deployed: once the NATS
 * server (by default the broker of the same stack) accepts connections, it opens the store,
 * connects and serves; on undeploy or server stop it closes (store flushed and closed, NATS
 * connection closed). Its engine and timer threads come from the container's
 * {@code ManagedThreadFactory}. Configuration: see {@link StreamingConfiguration}. A server that
 * cannot start (bad configuration, store, or no NATS server within {@code streaming.broker_wait})
 * fails the deployment with the reason.
 *
 * <p>In an FT group ({@code streaming.ft_group}) a server that stops by itself (its SQL lock lost,
 * the heartbeat of an earlier active heard, its activation failed) is replaced, after
 * {@link #STAND_BY_AGAIN_DELAY}, by a new server that stands by in the group: the reference's
 * process exits and its supervisor starts it again; here the application stays deployed, so the
 * member must come back by itself instead of staying closed while its serverz says FT_STANDBY.
 *
 * <p>Bean-managed transactions: the stores keep their own (the SQL store commits its batches on
 * connections from the container's pool itself), so start-up must not run inside a container
 * transaction; one would enlist the pool's connections and try to commit them at the end of
 * {@code @PostConstruct}, after the store had put them back into auto-commit.
 */
@Singleton
@Startup
@TransactionManagement(TransactionManagementType.BEAN)
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class StreamingLifecycle {

    private static final Logger LOG = Logger.getLogger(StreamingLifecycle.class.getName());
    /** How long an FT member that stopped by itself waits before standing by again (bounds a restart loop). */
    static final Duration STAND_BY_AGAIN_DELAY = Duration.ofSeconds(1);

    @Resource(lookup = "java:comp/DefaultManagedThreadFactory")
    private ManagedThreadFactory threadFactory;

    private volatile StreamingServer server;
    private volatile boolean stopped;

    @PostConstruct
    void start() {
        serve(StreamingConfiguration.settings(StreamingConfiguration.read()), threadFactory);
    }

    /** Starts the server ({@link #startServer}); in an FT group, one that stops by itself is replaced by a new standby. */
    void serve(StreamingConfiguration.Settings settings, ThreadFactory threads) {
        server = startServer(settings, threads, settings.options().faultTolerant()
                ? standByAgainOnFatal(settings, threads) : reason -> { });
    }

    /** The fatal handler of one FT member: once, on a new thread, a new member in its place after the delay. */
    private Consumer<String> standByAgainOnFatal(StreamingConfiguration.Settings settings, ThreadFactory threads) {
        AtomicBoolean fired = new AtomicBoolean();
        return reason -> {
            if (stopped || !fired.compareAndSet(false, true)) {
                return;
            }
            LOG.warning(() -> "NATS Streaming server " + settings.options().clusterId() + " stopped (" + reason
                    + "); standing by again in FT group " + settings.options().ftGroup() + " in "
                    + STAND_BY_AGAIN_DELAY.toMillis() + " ms");
            Thread restart = threads.newThread(() -> standByAgain(settings, threads));
            restart.setName("streaming-ft-restart");
            restart.setDaemon(true);
            restart.start();
        };
    }

    private void standByAgain(StreamingConfiguration.Settings settings, ThreadFactory threads) {
        while (!stopped) {
            try {
                Thread.sleep(STAND_BY_AGAIN_DELAY.toMillis());
            } catch (InterruptedException e) {
                return;
            }
            synchronized (this) {
                if (stopped) {
                    return;
                }
                try {
                    serve(settings, threads);
                    return;
                } catch (IllegalStateException e) {
                    LOG.log(Level.SEVERE, "NATS Streaming server " + settings.options().clusterId()
                            + " cannot stand by again; trying again in " + STAND_BY_AGAIN_DELAY.toMillis() + " ms", e);
                }
            }
        }
    }

    /**
     * Waits until the NATS server accepts connections, then starts a streaming server on the
     * factory's threads. (Not an overload of {@link #start()}: Payara Server resolves the callback by name.)
     *
     * @throws IllegalStateException naming what failed; nothing is left running
     */
    static StreamingServer startServer(StreamingConfiguration.Settings settings, ThreadFactory threads) {
        return startServer(settings, threads, reason -> { });
    }

    /** {@link #startServer(StreamingConfiguration.Settings, ThreadFactory)}, telling {@code onFatal} if the server stops by itself. */
    static StreamingServer startServer(StreamingConfiguration.Settings settings, ThreadFactory threads, Consumer<String> onFatal) {
        StreamingOptions options = settings.options();
        awaitAccepting(options.natsUrl(), settings.brokerWait());
        StreamingServer started = new StreamingServer(options, null, threads, Clock.systemUTC());
        started.onFatal(onFatal);
        try {
            started.start();
        } catch (IOException | RuntimeException e) {
            started.close();
            throw new IllegalStateException("NATS Streaming server " + options.clusterId() + " cannot start on "
                    + options.natsUrl() + " with the " + options.store() + " store: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            started.close();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("NATS Streaming server start interrupted", e);
        }
        LOG.info(() -> "NATS Streaming server " + options.clusterId() + " ready on " + started.natsUrl() + ", "
                + options.store() + " store" + (options.store() == StreamingOptions.StoreType.FILE
                ? " in " + options.directory().toAbsolutePath().normalize()
                : settings.dataSourceName() != null ? " on the DataSource " + settings.dataSourceName() : "")
                + (options.faultTolerant() ? ", FT group " + options.ftGroup() : ""));
        return started;
    }

    /** Polls the URL's address until it accepts a TCP connection (the broker has started), at most {@code wait}. */
    static void awaitAccepting(String natsUrl, Duration wait) {
        URI uri = URI.create(natsUrl.split(",")[0].trim());
        String host = uri.getHost() == null ? "127.0.0.1" : uri.getHost();
        int port = uri.getPort() < 0 ? 4222 : uri.getPort();
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(host, port), 1000);
                return;
            } catch (IOException notYet) {
                if (System.nanoTime() >= deadline) {
                    throw new IllegalStateException("NATS Streaming server: no NATS server accepts on " + natsUrl
                            + " after " + wait.toSeconds() + " s (deploy the broker first, or set streaming.nats_server): "
                            + notYet.getMessage());
                }
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + natsUrl, e);
            }
        }
    }

    @PreDestroy
    void stop() {
        stopped = true;
        StreamingServer running;
        synchronized (this) {
            running = server;
            server = null;
        }
        if (running != null) {
            running.close();
            LOG.info(() -> "NATS Streaming server " + running.options().clusterId() + " stopped");
        }
    }

    /** The running server; {@code null} once stopped. */
    public StreamingServer server() {
        return server;
    }
}
