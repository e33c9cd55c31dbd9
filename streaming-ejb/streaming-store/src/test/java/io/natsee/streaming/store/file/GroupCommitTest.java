package io.natsee.streaming.store.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.natsee.streaming.store.StoreException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/** The group commit's promise: a commit returns only after a round that saw every change made before it. */
class GroupCommitTest {

    @Test
    void everyCommitIsCoveredByARoundThatStartedAfterItAndRoundsAreShared() throws Exception {
        AtomicLong changes = new AtomicLong();
        AtomicLong durable = new AtomicLong();
        GroupCommit commit = new GroupCommit(() -> {
            long seen = changes.get();
            Thread.sleep(1); // an fsync
            durable.accumulateAndGet(seen, Math::max);
        });
        int threads = 8;
        int perThread = 100;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        long mine = changes.incrementAndGet();
                        commit.commit();
                        long covered = durable.get();
                        if (covered < mine) {
                            throw new AssertionError("change " + mine + " returned with only " + covered + " durable");
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> future : futures) {
                future.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertTrue(commit.rounds() < threads * perThread, commit.rounds() + " rounds: none shared");
    }

    @Test
    void aFailedRoundFailsItsCallersAndEveryLaterCommit() {
        AtomicInteger calls = new AtomicInteger();
        GroupCommit commit = new GroupCommit(() -> {
            if (calls.incrementAndGet() == 2) {
                throw new IOException("disk gone");
            }
        });
        commit.commit();
        StoreException first = assertThrows(StoreException.class, commit::commit);
        assertTrue(first.getMessage().contains("disk gone"), first.getMessage());
        StoreException later = assertThrows(StoreException.class, commit::commit);
        assertTrue(later.getMessage().contains("disk gone"), later.getMessage());
        assertEquals(2, calls.get(), "no round runs after a failure");
    }
}
