package io.natsee.streaming.store.jdbc;

import io.natsee.streaming.store.StoreException;
import io.natsee.streaming.store.StoreLockedException;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * Group commit: changes go into the open {@link WriteBatch}; {@link #flush()} closes it and writes
 * it in one transaction. A caller that finds a commit in progress waits for it and then returns at
 * once if that commit covered its changes, so many concurrent flushes share one database commit.
 *
 * <p>Epochs: each batch has one; {@code committedEpoch} is the newest one committed. A batch whose
 * write failed stays queued and is written again (before newer ones, in the same transaction) by
 * the next flush; the failure is thrown to the flushers it concerned. A lost fencing check is
 * final: from then on every change and flush throws {@link StoreLockedException}.
 *
 * <p>One flusher at a time is the leader and writes; the others wait on the commit monitor and
 * return as soon as a commit covered their changes. Lock order: a caller's own lock (channel,
 * subscriptions) before the batch lock; the commit monitor and the batch lock are never nested.
 */
final class GroupCommit {

    private final ConnectionGate connections;
    private final BatchWriter writer;
    private final boolean toggles;
    private final LongConsumer afterCommit;
    private final Object batchLock = new Object();
    private final Object commitMonitor = new Object();
    /** Whether a leader is writing; guarded by commitMonitor. */
    private boolean committing;
    /** Guarded by batchLock. */
    private WriteBatch open;
    /** Closed batches not yet committed, oldest first; touched only by the leader. */
    private final List<WriteBatch> unwritten = new ArrayList<>();
    private volatile long committedEpoch;
    /** Transactions committed; written by the leader. */
    private volatile long commits;
    private volatile StoreException failure;

    /**
     * @param toggles whether callers report exact pending-set changes (see {@link WriteBatch})
     * @param afterCommit told the newest committed epoch after each commit, on the committer's thread
     */
    GroupCommit(ConnectionGate connections, BatchWriter writer, boolean toggles, LongConsumer afterCommit) {
        this.connections = connections;
        this.writer = writer;
        this.toggles = toggles;
        this.afterCommit = afterCommit;
        this.open = new WriteBatch(1, toggles);
    }

    /** Adds a change to the open batch and returns the batch's epoch. */
    long change(Consumer<WriteBatch> change) {
        synchronized (batchLock) {
            checkFailure();
            change.accept(open);
            return open.epoch;
        }
    }

    /** The newest committed epoch. */
    long committedEpoch() {
        return committedEpoch;
    }

    /** How many transactions were committed. */
    long commits() {
        return commits;
    }

    /** Throws the final failure, if any. */
    void checkFailure() {
        StoreException known = failure;
        if (known != null) {
            throw known;
        }
    }

    /** Commits every change made before the call; see the class comment. */
    void flush() {
        long target;
        synchronized (batchLock) {
            checkFailure();
            target = open.isEmpty() ? open.epoch - 1 : open.epoch;
        }
        synchronized (commitMonitor) {
            // Waiters learn that a leader's commit covered them without queueing for a lock one by
            // one: the leader wakes them all when it is done.
            while (committedEpoch < target) {
                if (!committing) {
                    committing = true;
                    break;
                }
                try {
                    commitMonitor.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new StoreException("interrupted while waiting for a commit");
                }
            }
            if (committedEpoch >= target) {
                return;
            }
        }
        try {
            checkFailure();
            synchronized (batchLock) {
                if (!open.isEmpty()) {
                    unwritten.add(open);
                    open = new WriteBatch(open.epoch + 1, toggles);
                }
            }
            if (!unwritten.isEmpty()) {
                write();
            }
        } finally {
            synchronized (commitMonitor) {
                committing = false;
                commitMonitor.notifyAll();
            }
        }
    }

    /** Caller is the leader ({@code committing}). */
    private void write() {
        Connection connection;
        try {
            connection = connections.acquire();
        } catch (SQLException e) {
            throw new StoreException("cannot commit to the database: " + e.getMessage(), e);
        }
        boolean healthy = false;
        try {
            writer.write(connection, unwritten);
            healthy = true;
        } catch (FencedException e) {
            failure = new StoreLockedException(e.getMessage());
            healthy = true;
            throw failure;
        } catch (SQLException e) {
            throw new StoreException("commit to the database failed (the changes stay queued and are written by the"
                    + " next flush): " + e.getMessage(), e);
        } finally {
            connections.release(connection, healthy);
        }
        long epoch = unwritten.get(unwritten.size() - 1).epoch;
        List<WriteBatch> written = new ArrayList<>(unwritten);
        unwritten.clear();
        committedEpoch = epoch;
        commits++;
        for (WriteBatch batch : written) {
            for (Map.Entry<JdbcMsgStore, Long> appended : batch.appended.entrySet()) {
                appended.getKey().committed(appended.getValue());
            }
        }
        afterCommit.accept(epoch);
    }
}
