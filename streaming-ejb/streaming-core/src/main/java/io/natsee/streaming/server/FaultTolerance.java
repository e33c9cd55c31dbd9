package io.natsee.streaming.server;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.natsee.streaming.store.Store;
import io.natsee.streaming.store.StoreLockedException;
import io.natsee.streaming.store.jdbc.JdbcDataSources;
import io.natsee.streaming.store.jdbc.JdbcFtLock;
import io.natsee.streaming.store.jdbc.JdbcStore;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * Fault tolerance ({@code ft_group}): servers sharing one store, one active, the others standing by. A standby holds
 * no subscription on the streaming subjects; it listens to the active's heartbeats on {@code _STAN.ft.<cid>.<group>}
 * and takes the store lock when they stop: for the FILE store the OS lock on the directory's {@code .rootdir.lck}
 * (released by the OS when the active dies), for the SQL store the {@link JdbcFtLock} row, whose tick it watches all
 * along. The winner opens (recovers) the store and serves. An active whose SQL lock is lost, or that hears an
 * earlier-activated active, stops through {@code fatal}.
 */
final class FaultTolerance implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(FaultTolerance.class.getName());
    static final String PREFIX = "_STAN.ft";
    /** The active's heartbeat interval, as the reference. */
    static final Duration HEARTBEAT_INTERVAL = Duration.ofSeconds(1);
    /** Silence after which a standby tries the lock, as the reference (randomised by 10 %). */
    static final Duration HEARTBEAT_MISSED = Duration.ofMillis(1250);
    /** How often a standby looks at the lock. */
    static final Duration POLL_INTERVAL = Duration.ofMillis(200);
    /** The SQL lock's tick interval: twice the reference's rate, two cheap row updates a second. */
    static final Duration SQL_TICK = Duration.ofMillis(500);
    /**
     * How long a SQL lock's tick must stand still before a standby takes it: 2 s (4 ticks), shorter than the
     * reference's 3 × 1.5 s because the fencing token, not the wait, keeps a paused old owner from writing; it
     * keeps the failover (kill to the first acknowledged publish) well under 5 s.
     */
    static final Duration SQL_TAKEOVER = Duration.ofSeconds(2);

    /** What the server does once this server holds the lock: serve from the store. */
    interface Activation {
        void activate(Store store) throws Exception;
    }

    private final StreamingOptions options;
    private final String serverId;
    private final Connection nats;
    private final ThreadFactory threads;
    private final Consumer<String> fatal;
    private final String subject;
    private final long missedNanos;
    private volatile long lastHeartbeat = System.nanoTime();
    private volatile boolean active;
    private volatile boolean closed;
    private volatile Instant activationTime;
    private Dispatcher dispatcher;
    private Thread loop;
    private JdbcFtLock sqlLock;
    /** Whether the last {@link #tryLock()} really tried the lock (a FILE standby waits for missed heartbeats). */
    private boolean attempted;

    FaultTolerance(StreamingOptions options, String serverId, Connection nats, ThreadFactory threads,
                   Consumer<String> fatal) {
        if (options.store() == StreamingOptions.StoreType.MEMORY) {
            throw new IllegalArgumentException("ft: only FILE or SQL stores supported in FT mode");
        }
        this.options = options;
        this.serverId = serverId;
        this.nats = nats;
        this.threads = threads;
        this.fatal = fatal;
        this.subject = PREFIX + "." + options.clusterId() + "." + options.ftGroup();
        long missed = HEARTBEAT_MISSED.toNanos();
        this.missedNanos = missed + ThreadLocalRandom.current().nextLong(-missed / 10, missed / 10 + 1);
    }

    boolean isActive() {
        return active;
    }

    /** Starts standing by: the heartbeat subscription and the thread that takes the lock, then activates. */
    void start(Activation activation) {
        dispatcher = nats.createDispatcher(this::heartbeat);
        dispatcher.subscribe(subject);
        LOG.log(System.Logger.Level.INFO, "Starting in standby mode");
        loop = threads.newThread(() -> standBy(activation));
        loop.setName("streaming-ft-" + options.ftGroup());
        loop.setDaemon(true);
        loop.start();
    }

    private void standBy(Activation activation) {
        long lastNotice = 0;
        try {
            while (!closed) {
                Thread.sleep(POLL_INTERVAL.toMillis());
                attempted = false;
                Store store = tryLock();
                if (store == null) {
                    if (attempted && System.nanoTime() - lastNotice > Duration.ofMinutes(1).toNanos()) {
                        lastNotice = System.nanoTime();
                        LOG.log(System.Logger.Level.INFO,
                                "ft: unable to get store lock at this time, going back to standby");
                    }
                    continue;
                }
                if (closed) {
                    store.close();
                    return;
                }
                activationTime = Instant.now();
                active = true;
                LOG.log(System.Logger.Level.INFO, "Server is active");
                try {
                    activation.activate(store);
                } catch (Exception e) {
                    fatal.accept("Failed to start: " + e.getMessage());
                    return;
                }
                byte[] beat = new ControlMessage(ControlMessage.FT_HEARTBEAT, serverId,
                        ControlMessage.goTime(activationTime)).encode();
                while (!closed) {
                    try {
                        nats.publish(subject, beat);
                    } catch (IllegalStateException e) {
                        return;
                    }
                    Thread.sleep(HEARTBEAT_INTERVAL.toMillis());
                }
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One attempt: the opened store if this server holds the lock now, else null. */
    private Store tryLock() {
        if (options.store() == StreamingOptions.StoreType.FILE) {
            if (System.nanoTime() - lastHeartbeat < missedNanos) {
                return null;
            }
            attempted = true;
            try {
                return StorageFactory.open(options, null);
            } catch (StoreLockedException e) {
                return null;
            }
        }
        attempted = System.nanoTime() - lastHeartbeat >= missedNanos;
        try {
            if (sqlLock == null) {
                sqlLock = new JdbcFtLock(options.dataSource() != null ? options.dataSource()
                        : JdbcDataSources.create(options.sql()), options.sql().driver(),
                        options.ftGroup(), serverId, SQL_TICK, SQL_TAKEOVER, System::nanoTime,
                        () -> fatal.accept("ft: store lock lost"));
            }
            if (!sqlLock.tryAcquire()) {
                return null;
            }
        } catch (SQLException e) {
            LOG.log(System.Logger.Level.ERROR, "ft: error attempting to get the store lock: {0}", e.getMessage());
            return null;
        }
        sqlLock.startKeepAlive(threads);
        return StorageFactory.open(options, sqlLock.fence());
    }

    /** A heartbeat: a standby notes it; an active aborts if the other was active first. */
    private void heartbeat(Message message) {
        ControlMessage beat = ControlMessage.decode(message.getData());
        if (beat == null || beat.type() != ControlMessage.FT_HEARTBEAT || beat.serverId().equals(serverId)) {
            return;
        }
        if (!active) {
            lastHeartbeat = System.nanoTime();
            return;
        }
        Instant theirs = ControlMessage.goTime(beat.data());
        String claim = "ft: serverID \"" + beat.serverId() + "\" claims to be active";
        if (theirs != null && activationTime != null && theirs.isBefore(activationTime)) {
            fatal.accept(claim + ", aborting");
        } else {
            LOG.log(System.Logger.Level.ERROR, claim);
        }
    }

    /** Stops standing by or heart-beating, and frees the SQL lock row. Called after the store is closed. */
    @Override
    public void close() {
        closed = true;
        if (loop != null && loop != Thread.currentThread()) {
            loop.interrupt();
        }
        if (dispatcher != null) {
            try {
                nats.closeDispatcher(dispatcher);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "closing the FT dispatcher: {0}", e.getMessage());
            }
        }
        if (sqlLock != null) {
            sqlLock.close();
        }
        active = false;
    }
}
