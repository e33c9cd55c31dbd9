package io.natsee.streaming.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import javax.sql.DataSource;

/**
 * The fault-tolerance lock of servers sharing one SQL store: a row of {@code natsee_store_lock}
 * with the owner's id, a tick the owner moves every {@code tickInterval}, and a fencing token.
 *
 * <p>Acquiring: a free row (absent, or released with an empty owner) is taken at once. An owned
 * row is taken over only when its tick has not moved for {@code takeoverTimeout}, measured on this
 * process's own clock between its own observations (no clock is compared across machines). Each
 * takeover increments the token; the new owner's store writes under the new {@link Fence}, and the
 * old owner's store, whose transactions all check its token first, can no longer write even if it
 * was only paused. The owner declares the lock lost (and calls {@code onLost} once) when a tick
 * finds the row taken over, or after {@link #MAX_FAILED_TICKS} ticks in a row failed.
 *
 * <p>Defaults follow the reference: a tick every second, takeover after 3 × 1.5 s unmoved.
 */
public final class JdbcFtLock implements AutoCloseable {

    /** The reference's interval between two ticks. */
    public static final Duration DEFAULT_TICK_INTERVAL = Duration.ofSeconds(1);

    /** The reference's wait for a moving tick before a takeover: 3 × 1.5 s. */
    public static final Duration DEFAULT_TAKEOVER_TIMEOUT = Duration.ofMillis(4500);

    /** Failed ticks in a row after which the owner considers the lock lost, as the reference does. */
    public static final int MAX_FAILED_TICKS = 3;

    private static final System.Logger LOG = System.getLogger(JdbcFtLock.class.getName());

    private final DataSource dataSource;
    private final JdbcDialect dialect;
    private final String name;
    private final String ownerId;
    private final Duration tickInterval;
    private final Duration takeoverTimeout;
    private final LongSupplier nanoClock;
    private final Runnable onLost;
    private boolean held;
    private long token;
    private int failedTicks;
    private boolean schemaReady;
    /** The tick and token last seen on a row owned by another, and when (nanoClock). */
    private long seenTick = -1;
    private long seenToken = -1;
    private long seenAt;
    private ScheduledThreadPoolExecutor ticker;
    /** The connection kept open between attempts and ticks; null after a failure. Guarded by this. */
    private Connection connection;

    /**
     * A lock handle; nothing is read or written before {@link #tryAcquire()}.
     *
     * @param name the lock row's name (the FT group)
     * @param ownerId this server's unique id
     * @param nanoClock monotonic nanoseconds ({@code System::nanoTime} outside tests)
     * @param onLost called once, on the ticking thread, when an acquired lock is lost
     */
    public JdbcFtLock(DataSource dataSource, JdbcDialect dialect, String name, String ownerId, Duration tickInterval,
                      Duration takeoverTimeout, LongSupplier nanoClock, Runnable onLost) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.dialect = Objects.requireNonNull(dialect, "dialect");
        this.name = requireText(name, "lock name");
        this.ownerId = requireText(ownerId, "owner id");
        if (tickInterval.isNegative() || tickInterval.isZero()) {
            throw new IllegalArgumentException("tick interval must be positive (" + tickInterval + ")");
        }
        if (takeoverTimeout.compareTo(tickInterval) <= 0) {
            throw new IllegalArgumentException("takeover timeout (" + takeoverTimeout
                    + ") must be longer than the tick interval (" + tickInterval + ")");
        }
        this.tickInterval = tickInterval;
        this.takeoverTimeout = takeoverTimeout;
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        this.onLost = Objects.requireNonNull(onLost, "onLost");
    }

    private static String requireText(String value, String what) {
        if (value == null || value.isBlank() || value.length() > 256) {
            throw new IllegalArgumentException(what + " must be 1 to 256 characters");
        }
        return value;
    }

    /** The owner id of this handle. */
    public String ownerId() {
        return ownerId;
    }

    /** Whether this handle holds the lock (as of its last acquire or tick). */
    public synchronized boolean isHeld() {
        return held;
    }

    /**
     * The fence the store must write under.
     *
     * @throws IllegalStateException if the lock is not held
     */
    public synchronized Fence fence() {
        if (!held) {
            throw new IllegalStateException("store lock \"" + name + "\" is not held by " + ownerId);
        }
        return new Fence(name, token);
    }

    /**
     * One attempt to acquire the lock: true if this handle holds it now. A standby calls it
     * repeatedly (every tick interval, say); a takeover needs observations spanning the timeout.
     *
     * @throws SQLException if the database cannot be reached
     */
    public synchronized boolean tryAcquire() throws SQLException {
        if (held) {
            return true;
        }
        try {
            Connection connection = connection();
            if (!schemaReady) {
                StoreLoader.installSchema(connection, dialect);
                schemaReady = true;
            }
            connection.setAutoCommit(true);
            String owner;
            long tick;
            long currentToken;
            try (PreparedStatement select = connection.prepareStatement(SqlStatements.SELECT_LOCK)) {
                select.setString(1, name);
                try (ResultSet row = select.executeQuery()) {
                    if (!row.next()) {
                        return insert(connection);
                    }
                    owner = row.getString(1);
                    tick = row.getLong(2);
                    currentToken = row.getLong(3);
                }
            }
            long now = nanoClock.getAsLong();
            if (!owner.isEmpty()) {
                if (tick != seenTick || currentToken != seenToken) {
                    seenTick = tick;
                    seenToken = currentToken;
                    seenAt = now;
                    return false;
                }
                if (now - seenAt < takeoverTimeout.toNanos()) {
                    return false;
                }
            }
            try (PreparedStatement take = connection.prepareStatement(SqlStatements.TAKE_LOCK)) {
                take.setString(1, ownerId);
                take.setString(2, name);
                take.setLong(3, tick);
                take.setLong(4, currentToken);
                if (take.executeUpdate() != 1) {
                    return false;
                }
            }
            acquired(currentToken + 1, owner);
            return true;
        } catch (SQLException e) {
            discardConnection();
            throw e;
        }
    }

    /** The kept connection, opened if needed. Caller holds this handle's lock. */
    private Connection connection() throws SQLException {
        if (connection == null) {
            connection = dataSource.getConnection();
            connection.setAutoCommit(true);
        }
        return connection;
    }

    /** Caller holds this handle's lock. */
    private void discardConnection() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                LOG.log(System.Logger.Level.DEBUG, "store lock \"{0}\": closing a failed connection: {1}", name,
                        e.getMessage());
            }
            connection = null;
        }
    }

    private boolean insert(Connection connection) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(SqlStatements.INSERT_LOCK)) {
            insert.setString(1, name);
            insert.setString(2, ownerId);
            insert.executeUpdate();
        } catch (SQLException e) {
            // Another contender inserted the row first (a unique violation); it owns the lock now.
            if (e.getSQLState() != null && e.getSQLState().startsWith("23")) {
                return false;
            }
            throw e;
        }
        acquired(1, "");
        return true;
    }

    /** Caller holds this handle's lock. */
    private void acquired(long newToken, String previousOwner) {
        held = true;
        token = newToken;
        failedTicks = 0;
        LOG.log(System.Logger.Level.INFO, "store lock \"{0}\" acquired by {1} (token {2}{3})", name, ownerId, newToken,
                previousOwner.isEmpty() ? "" : ", taken over from " + previousOwner);
    }

    /**
     * Tries {@link #tryAcquire()} every tick interval until it succeeds or {@code timeout} passes.
     *
     * @return whether the lock is held
     */
    public boolean awaitAcquire(Duration timeout) throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                if (tryAcquire()) {
                    return true;
                }
            } catch (SQLException e) {
                if (System.nanoTime() >= deadline) {
                    throw e;
                }
                LOG.log(System.Logger.Level.WARNING, "store lock \"{0}\": acquire attempt failed: {1}", name,
                        e.getMessage());
            }
            if (System.nanoTime() >= deadline) {
                return false;
            }
            TimeUnit.NANOSECONDS.sleep(Math.min(tickInterval.toNanos(), Math.max(1, deadline - System.nanoTime())));
        }
    }

    /**
     * Moves the tick once: the keep-alive. Declares the lock lost when the row was taken over or
     * after {@link #MAX_FAILED_TICKS} failures in a row. No-op when not held.
     *
     * @return whether the lock is still held
     */
    public boolean tick() {
        boolean lost;
        synchronized (this) {
            if (!held) {
                return false;
            }
            String problem = null;
            try (PreparedStatement update = connection().prepareStatement(SqlStatements.TICK_LOCK)) {
                update.setString(1, name);
                update.setString(2, ownerId);
                update.setLong(3, token);
                if (update.executeUpdate() == 1) {
                    failedTicks = 0;
                    return true;
                }
                problem = "taken over by another server";
                failedTicks = MAX_FAILED_TICKS;
            } catch (SQLException e) {
                discardConnection();
                failedTicks++;
                problem = e.getMessage();
                LOG.log(System.Logger.Level.WARNING, "store lock \"{0}\": tick {1} of {2} failed: {3}", name,
                        failedTicks, MAX_FAILED_TICKS, problem);
            }
            lost = failedTicks >= MAX_FAILED_TICKS;
            if (lost) {
                held = false;
                LOG.log(System.Logger.Level.ERROR, "store lock \"{0}\" lost by {1}: {2}", name, ownerId, problem);
            }
        }
        if (lost) {
            stopKeepAlive();
            onLost.run();
        }
        return !lost;
    }

    /** Starts ticking every tick interval on a thread of the factory. */
    public synchronized void startKeepAlive(ThreadFactory threads) {
        if (ticker != null) {
            return;
        }
        ticker = new ScheduledThreadPoolExecutor(1, threads);
        long interval = tickInterval.toNanos();
        ticker.scheduleWithFixedDelay(this::tickLogged, interval, interval, TimeUnit.NANOSECONDS);
    }

    private void tickLogged() {
        try {
            tick();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "store lock \"" + name + "\": keep-alive failed", e);
        }
    }

    /** Stops the keep-alive ticks (the lock is then lost after the takeover timeout). */
    public void stopKeepAlive() {
        ScheduledThreadPoolExecutor running;
        synchronized (this) {
            running = ticker;
            ticker = null;
        }
        if (running != null) {
            running.shutdownNow();
        }
    }

    /** Stops ticking, frees the row when held (a standby may take it at once) and closes the connection. */
    public void release() throws SQLException {
        stopKeepAlive();
        synchronized (this) {
            if (!held) {
                discardConnection();
                return;
            }
            held = false;
            try (PreparedStatement update = connection().prepareStatement(SqlStatements.RELEASE_LOCK)) {
                update.setString(1, name);
                update.setString(2, ownerId);
                update.setLong(3, token);
                update.executeUpdate();
            } finally {
                discardConnection();
            }
        }
    }

    /** {@link #release()}, logging a failure (the row then frees itself after the takeover timeout). */
    @Override
    public void close() {
        try {
            release();
        } catch (SQLException e) {
            LOG.log(System.Logger.Level.WARNING, "store lock \"{0}\": release failed, a standby takes over after"
                    + " the timeout: {1}", name, e.getMessage());
        }
    }
}
