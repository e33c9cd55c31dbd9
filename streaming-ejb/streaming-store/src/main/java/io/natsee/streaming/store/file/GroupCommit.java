package io.natsee.streaming.store.file;

import io.natsee.streaming.store.StoreException;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Leader/follower group commit: concurrent {@link #commit} calls share rounds of one
 * {@link Round}, so that many appends followed by many flushes cost one fsync per round.
 *
 * <p>Each call takes a ticket. A round that starts after a ticket was taken covers it, because every
 * change made before the call is then in the buffers the round writes out. If no round runs, the
 * caller runs one itself, covering every ticket taken so far; otherwise it waits, and the callers
 * that arrived meanwhile are covered together by the next round. A failed round fails the store for
 * good: after an fsync error the kernel may have dropped the dirty pages, so nothing can be promised.
 */
final class GroupCommit {

    /** The work of one round: write out and sync everything changed so far. */
    interface Round {
        void run() throws Exception;
    }

    private final Round round;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition done = lock.newCondition();
    private long requested;
    private long completed;
    private boolean running;
    private long rounds;
    private StoreException failure;

    GroupCommit(Round round) {
        this.round = round;
    }

    /** Returns once a round that started after this call has completed; throws if a round failed. */
    void commit() {
        boolean interrupted = false;
        lock.lock();
        try {
            long ticket = ++requested;
            while (completed < ticket) {
                if (failure != null) {
                    throw new StoreException(failure.getMessage(), failure);
                }
                if (running) {
                    try {
                        done.await();
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                    continue;
                }
                running = true;
                long covered = requested;
                StoreException failed = null;
                lock.unlock();
                try {
                    round.run();
                } catch (StoreException e) {
                    failed = e;
                } catch (Exception | Error e) {
                    failed = new StoreException("store flush failed: " + e, e);
                } finally {
                    lock.lock();
                }
                running = false;
                rounds++;
                if (failed == null) {
                    completed = covered;
                } else if (failure == null) {
                    failure = failed;
                }
                done.signalAll();
            }
        } finally {
            lock.unlock();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The failure that ended this store's flushes, or null. */
    StoreException failure() {
        lock.lock();
        try {
            return failure;
        } finally {
            lock.unlock();
        }
    }

    /** Rounds run so far (for tests and measurements). */
    long rounds() {
        lock.lock();
        try {
            return rounds;
        } finally {
            lock.unlock();
        }
    }
}
