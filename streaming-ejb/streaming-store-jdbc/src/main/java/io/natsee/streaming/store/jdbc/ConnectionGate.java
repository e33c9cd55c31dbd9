package io.natsee.streaming.store.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

/**
 * The store's access to its DataSource: at most {@code maxOpenConns} connections in use at once,
 * and the idle ones kept open for reuse (an unpooled DataSource opens a physical connection per
 * call, which costs milliseconds on PostgreSQL). A connection that failed is closed, not reused.
 */
final class ConnectionGate implements AutoCloseable {

    /** How long a caller waits for a connection when all are in use. */
    static final long ACQUIRE_TIMEOUT_SECONDS = 30;

    /** Idle connections kept when there is no bound. */
    private static final int DEFAULT_IDLE = 8;

    private final DataSource dataSource;
    private final Semaphore permits;
    private final int maxIdle;
    private final ArrayDeque<Connection> idle = new ArrayDeque<>();
    private boolean closed;

    ConnectionGate(DataSource dataSource, int maxOpenConns) {
        this.dataSource = dataSource;
        this.permits = maxOpenConns > 0 ? new Semaphore(maxOpenConns, true) : null;
        this.maxIdle = maxOpenConns > 0 ? maxOpenConns : DEFAULT_IDLE;
    }

    /** A connection in auto-commit mode; give it back with {@link #release}. */
    Connection acquire() throws SQLException {
        if (permits != null) {
            try {
                if (!permits.tryAcquire(ACQUIRE_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    throw new SQLException("no database connection free after " + ACQUIRE_TIMEOUT_SECONDS
                            + " s (sql max open connections reached)");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SQLException("interrupted while waiting for a database connection", e);
            }
        }
        try {
            Connection connection;
            synchronized (this) {
                if (closed) {
                    throw new SQLException("the store is closed");
                }
                connection = idle.pollLast();
            }
            if (connection == null) {
                connection = dataSource.getConnection();
            }
            connection.setAutoCommit(true);
            return connection;
        } catch (SQLException | RuntimeException e) {
            if (permits != null) {
                permits.release();
            }
            throw e;
        }
    }

    /** Gives a connection back: kept for reuse when {@code healthy} and there is room, closed otherwise. */
    void release(Connection connection, boolean healthy) {
        boolean keep = false;
        if (healthy) {
            synchronized (this) {
                if (!closed && idle.size() < maxIdle) {
                    idle.addLast(connection);
                    keep = true;
                }
            }
        }
        if (!keep) {
            closeQuietly(connection);
        }
        if (permits != null) {
            permits.release();
        }
    }

    @Override
    public void close() {
        ArrayDeque<Connection> toClose;
        synchronized (this) {
            closed = true;
            toClose = new ArrayDeque<>(idle);
            idle.clear();
        }
        toClose.forEach(ConnectionGate::closeQuietly);
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException e) {
            // The connection is discarded either way; its failure was already reported to the caller.
            System.getLogger(ConnectionGate.class.getName()).log(System.Logger.Level.DEBUG,
                    "closing a database connection failed: {0}", e.getMessage());
        }
    }
}
