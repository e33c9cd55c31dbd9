package io.natsee.streaming.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.natsee.streaming.store.MsgStore;
import io.natsee.streaming.store.StoreLimits;
import io.natsee.streaming.store.StoreLockedException;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

/** The FT lock row: one owner at a time, takeover of a silent owner after the timeout, fencing of the old owner. */
abstract class JdbcFtLockTestBase {

    private static final Duration TICK = Duration.ofMillis(100);
    private static final Duration TIMEOUT = Duration.ofMillis(450);

    /** Options of a new, empty database (or schema). */
    protected abstract JdbcStoreOptions newDatabase();

    private final AtomicLong clock = new AtomicLong();

    private JdbcFtLock lock(JdbcStoreOptions database, String owner, Runnable onLost) {
        return new JdbcFtLock(JdbcDataSources.create(database), database.driver(), "group", owner, TICK, TIMEOUT,
                clock::get, onLost);
    }

    private static Thread daemon(Runnable task) {
        Thread thread = new Thread(task, "ft-lock-keep-alive");
        thread.setDaemon(true);
        return thread;
    }

    private void advance(Duration duration) {
        clock.addAndGet(duration.toNanos());
    }

    @Test
    void onlyOneOfTwoOwnersHoldsTheLockWhileTheOwnerTicks() throws Exception {
        JdbcStoreOptions database = newDatabase();
        AtomicInteger lost = new AtomicInteger();
        try (JdbcFtLock first = lock(database, "server-a", lost::incrementAndGet);
             JdbcFtLock second = lock(database, "server-b", lost::incrementAndGet)) {
            assertTrue(first.tryAcquire());
            assertEquals(1, first.fence().token());
            for (int i = 0; i < 10; i++) {
                assertFalse(second.tryAcquire(), "attempt " + i);
                assertTrue(first.tick());
                advance(TIMEOUT);
            }
            assertFalse(second.isHeld());
            assertThrows(IllegalStateException.class, second::fence);
            assertTrue(first.isHeld());
            assertEquals(0, lost.get());
        }
    }

    @Test
    void anOwnerThatStopsTickingLosesTheLockAfterTheTimeout() throws Exception {
        JdbcStoreOptions database = newDatabase();
        AtomicInteger lostByFirst = new AtomicInteger();
        try (JdbcFtLock first = lock(database, "server-a", lostByFirst::incrementAndGet);
             JdbcFtLock second = lock(database, "server-b", () -> { })) {
            assertTrue(first.tryAcquire());
            assertFalse(second.tryAcquire());
            advance(TIMEOUT.minusMillis(1));
            assertFalse(second.tryAcquire(), "taken before the timeout");
            advance(Duration.ofMillis(1));
            assertTrue(second.tryAcquire(), "not taken after the timeout");
            assertEquals(2, second.fence().token());
            assertTrue(first.isHeld(), "the silent owner does not know yet");
            assertFalse(first.tick());
            assertFalse(first.isHeld());
            assertEquals(1, lostByFirst.get());
            assertFalse(first.tick());
            assertEquals(1, lostByFirst.get(), "the lost callback runs once");
        }
    }

    @Test
    void aReleasedLockIsTakenAtOnceWithANewToken() throws Exception {
        JdbcStoreOptions database = newDatabase();
        try (JdbcFtLock first = lock(database, "server-a", () -> { });
             JdbcFtLock second = lock(database, "server-b", () -> { })) {
            assertTrue(first.tryAcquire());
            first.release();
            assertTrue(second.tryAcquire());
            assertEquals(2, second.fence().token());
        }
    }

    @Test
    void theKeepAliveThreadKeepsTheLockUntilItStops() throws Exception {
        JdbcStoreOptions database = newDatabase();
        CountDownLatch lost = new CountDownLatch(1);
        JdbcFtLock first = new JdbcFtLock(JdbcDataSources.create(database), database.driver(), "group", "server-a",
                TICK, TIMEOUT, System::nanoTime, lost::countDown);
        JdbcFtLock second = new JdbcFtLock(JdbcDataSources.create(database), database.driver(), "group", "server-b",
                TICK, TIMEOUT, System::nanoTime, () -> { });
        try {
            assertTrue(first.tryAcquire());
            first.startKeepAlive(JdbcFtLockTestBase::daemon);
            assertFalse(second.awaitAcquire(TIMEOUT.multipliedBy(3)), "taken while the owner ticks");
            first.stopKeepAlive();
            assertTrue(second.awaitAcquire(TIMEOUT.multipliedBy(6)), "not taken after the owner stopped");
            first.startKeepAlive(JdbcFtLockTestBase::daemon);
            assertTrue(lost.await(5, TimeUnit.SECONDS), "the paused owner did not learn it lost the lock");
            assertFalse(first.isHeld());
        } finally {
            first.close();
            second.close();
        }
    }

    @Test
    void theOldOwnersWritesAreRefusedAfterATakeover() throws Exception {
        JdbcStoreOptions database = newDatabase();
        DataSource dataSource = JdbcDataSources.create(database);
        byte[] data = "x".getBytes(StandardCharsets.UTF_8);
        try (JdbcFtLock first = lock(database, "server-a", () -> { });
             JdbcFtLock second = lock(database, "server-b", () -> { })) {
            assertTrue(first.tryAcquire());
            JdbcStore old = new JdbcStore(dataSource, database, StoreLimits.UNLIMITED, first.fence());
            MsgStore oldLog = old.getOrCreateChannel("c").messages();
            oldLog.append("", data, 1);
            old.flush();
            assertFalse(second.tryAcquire());
            advance(TIMEOUT);
            assertTrue(second.tryAcquire());
            try (JdbcStore current = new JdbcStore(dataSource, database, StoreLimits.UNLIMITED, second.fence())) {
                MsgStore log = current.lookupChannel("c").messages();
                oldLog.append("", data, 2);
                StoreLockedException refused = assertThrows(StoreLockedException.class, old::flush);
                assertTrue(refused.getMessage().contains("taken over"), refused.getMessage());
                assertThrows(StoreLockedException.class, () -> oldLog.append("", data, 3));
                assertThrows(StoreLockedException.class, old::close);
                assertEquals(2, log.append("", "new".getBytes(StandardCharsets.UTF_8), 4));
                current.flush();
            }
            try (JdbcStore reopened = new JdbcStore(dataSource, database, StoreLimits.UNLIMITED)) {
                MsgStore log = reopened.lookupChannel("c").messages();
                assertEquals(2, log.state().messages());
                assertArrayEquals("new".getBytes(StandardCharsets.UTF_8), log.lookup(2).data());
                assertNull(log.lookup(3));
            }
        }
    }
}
