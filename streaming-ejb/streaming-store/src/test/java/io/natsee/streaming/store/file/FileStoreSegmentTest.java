package io.natsee.streaming.store.file;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.natsee.streaming.store.ChannelLimits;
import io.natsee.streaming.store.ClientRecord;
import io.natsee.streaming.store.MsgStore;
import io.natsee.streaming.store.MsgStoreState;
import io.natsee.streaming.store.StoreLimits;
import io.natsee.streaming.store.SubStore;
import io.natsee.streaming.store.SubscriptionRecord;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Segment rolling, removal of segments beyond the channel limits, log compaction and group commit. */
class FileStoreSegmentTest {

    private static final long SECOND = 1_000_000_000L;

    @TempDir
    Path temporary;

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private Path directory() {
        return temporary.resolve("store");
    }

    private List<String> segmentFiles(String channel) throws IOException {
        try (Stream<Path> files = Files.list(directory().resolve(FileStore.CHANNELS).resolve(channel))) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("msgs.")).sorted().toList();
        }
    }

    private static FileStoreOptions slices(long maxMsgs, long maxBytes, Duration maxAge) {
        return FileStoreOptions.DEFAULT.withSync(false).withSlice(maxMsgs, maxBytes, maxAge);
    }

    @Test
    void segmentsRollByCountAndAreReadBackAcrossReopen() throws IOException {
        FileStoreOptions options = slices(3, FileStoreOptions.DEFAULT_SLICE_MAX_BYTES, Duration.ZERO);
        try (FileStore store = new FileStore(directory(), StoreLimits.UNLIMITED, options)) {
            MsgStore log = store.getOrCreateChannel("c").messages();
            for (int i = 1; i <= 10; i++) {
                log.append("", bytes("m" + i), i * 10L);
            }
            store.flush();
            assertEquals(List.of("msgs.1.dat", "msgs.2.dat", "msgs.3.dat", "msgs.4.dat"), segmentFiles("c"));
            assertEquals(7, log.sequenceForTimestamp(65));
        }
        try (FileStore store = new FileStore(directory(), StoreLimits.UNLIMITED, options)) {
            MsgStore log = store.lookupChannel("c").messages();
            for (int i = 1; i <= 10; i++) {
                assertArrayEquals(bytes("m" + i), log.lookup(i).data());
            }
            assertEquals(1, log.sequenceForTimestamp(0));
            assertEquals(4, log.sequenceForTimestamp(31));
            assertEquals(10, log.sequenceForTimestamp(100));
            assertEquals(11, log.sequenceForTimestamp(101));
            assertEquals(11, log.append("", bytes("m11"), 110));
            assertEquals(List.of("msgs.1.dat", "msgs.2.dat", "msgs.3.dat", "msgs.4.dat"), segmentFiles("c"));
        }
    }

    @Test
    void segmentsRollByBytesAndByAge() throws IOException {
        try (FileStore store = new FileStore(directory(), StoreLimits.UNLIMITED, slices(0, 1000, Duration.ZERO))) {
            MsgStore log = store.getOrCreateChannel("bytes").messages();
            for (int i = 1; i <= 10; i++) {
                log.append("", new byte[300], i);
            }
            store.flush();
            assertEquals(4, segmentFiles("bytes").size(), segmentFiles("bytes").toString());
        }
        Files.walk(directory()).sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        try (FileStore store = new FileStore(directory(), StoreLimits.UNLIMITED,
                slices(0, FileStoreOptions.DEFAULT_SLICE_MAX_BYTES, Duration.ofSeconds(10)))) {
            MsgStore log = store.getOrCreateChannel("age").messages();
            for (int i = 0; i < 6; i++) {
                log.append("", bytes("x"), i * 4 * SECOND);
            }
            store.flush();
            // Segments start at 0 s and 12 s: the one at 12 s was started 12 s after the first's first message.
            assertEquals(List.of("msgs.1.dat", "msgs.2.dat"), segmentFiles("age"));
        }
    }

    @Test
    void segmentsBeyondMaxMsgsAreRemovedAndTheFirstSequenceIsKept() throws IOException {
        StoreLimits limits = StoreLimits.UNLIMITED.withGlobal(ChannelLimits.NONE.withMaxMsgs(5));
        FileStoreOptions options = slices(2, FileStoreOptions.DEFAULT_SLICE_MAX_BYTES, Duration.ZERO);
        try (FileStore store = new FileStore(directory(), limits, options)) {
            MsgStore log = store.getOrCreateChannel("c").messages();
            for (int i = 1; i <= 20; i++) {
                log.append("", bytes("m" + i), i);
            }
            store.flush();
            assertEquals(16, log.firstSequence());
            assertEquals(List.of("msgs.10.dat", "msgs.8.dat", "msgs.9.dat"), segmentFiles("c"));
        }
        // Reopened with looser limits, the dropped messages stay dropped.
        try (FileStore store = new FileStore(directory(), StoreLimits.UNLIMITED, options)) {
            MsgStore log = store.lookupChannel("c").messages();
            assertEquals(new MsgStoreState(5, log.state().bytes(), 16, 20), log.state());
            assertNull(log.lookup(15));
            assertArrayEquals(bytes("m16"), log.lookup(16).data());
        }
        // Reopened with tighter limits, they apply at recovery.
        StoreLimits tighter = StoreLimits.UNLIMITED.withGlobal(ChannelLimits.NONE.withMaxMsgs(2));
        try (FileStore store = new FileStore(directory(), tighter, options)) {
            MsgStore log = store.lookupChannel("c").messages();
            assertEquals(19, log.firstSequence());
            assertEquals(2, log.state().messages());
            store.flush();
        }
        try (FileStore store = new FileStore(directory(), StoreLimits.UNLIMITED, options)) {
            assertEquals(19, store.lookupChannel("c").messages().firstSequence());
        }
    }

    @Test
    void maxBytesAndMaxAgeRemoveSegmentsToo() throws IOException {
        int size = new io.natsee.streaming.store.StoredMessage(9, "c", "", new byte[100], 9 * SECOND).encodedSize();
        StoreLimits limits = StoreLimits.UNLIMITED.withGlobal(ChannelLimits.NONE.withMaxBytes(size * 3L)
                .withMaxAge(Duration.ofSeconds(100)));
        FileStoreOptions options = slices(2, FileStoreOptions.DEFAULT_SLICE_MAX_BYTES, Duration.ZERO);
        try (FileStore store = new FileStore(directory(), limits, options)) {
            MsgStore log = store.getOrCreateChannel("c").messages();
            for (int i = 1; i <= 9; i++) {
                log.append("", new byte[100], i * SECOND);
            }
            assertEquals(7, log.firstSequence());
            store.flush();
            assertEquals(List.of("msgs.4.dat", "msgs.5.dat"), segmentFiles("c"));
            assertEquals(3, log.expire(1000 * SECOND));
            assertEquals(new MsgStoreState(0, 0, 10, 9), log.state());
            store.flush();
            assertEquals(List.of("msgs.5.dat"), segmentFiles("c"));
        }
        try (FileStore store = new FileStore(directory(), limits, options)) {
            MsgStore log = store.lookupChannel("c").messages();
            assertEquals(new MsgStoreState(0, 0, 10, 9), log.state());
            assertEquals(10, log.append("", new byte[100], 2000 * SECOND));
        }
    }

    @Test
    void theSubscriptionAndClientLogsAreCompactedAndStillRecovered() {
        FileStoreOptions options = FileStoreOptions.DEFAULT.withSync(false)
                .withCompaction(true, 50, Duration.ZERO, 4096);
        long id;
        long sizeBefore;
        try (FileStore store = new FileStore(directory(), StoreLimits.UNLIMITED, options)) {
            SubStore subs = store.getOrCreateChannel("c").subscriptions();
            id = subs.create(new SubscriptionRecord(0, "me", "", "in", "ack", 5, 30, "d", 0, true, false, null)).id();
            long deleted = subs.create(new SubscriptionRecord(0, "me", "", "in2", "ack2", 5, 30, "", 0, false, false,
                    null)).id();
            subs.delete(deleted);
            for (long seq = 1; seq <= 2000; seq++) {
                subs.addPending(id, seq);
                if (seq % 100 != 0) {
                    subs.ack(id, seq);
                }
            }
            for (int i = 0; i < 300; i++) {
                store.addClient(new ClientRecord("client" + (i % 3), "hb." + i, null, 1, 5, 3));
            }
            store.deleteClient("client2");
            FileSubStore log = store.subscriptionLog("c");
            sizeBefore = log.size();
            store.flush();
            assertEquals(1, log.compactions());
            assertTrue(log.size() < sizeBefore / 10, log.size() + " after compaction, " + sizeBefore + " before");
            assertEquals(1, store.clientLog().compactions());
            subs.addPending(id, 2001);
            store.flush();
        }
        try (FileStore store = new FileStore(directory(), StoreLimits.UNLIMITED, options)) {
            var recovered = store.recover().channels().get("c").subscriptions();
            assertEquals(1, recovered.size());
            long[] expected = new long[21];
            for (int i = 0; i < 20; i++) {
                expected[i] = (i + 1) * 100L;
            }
            expected[20] = 2001;
            assertArrayEquals(expected, recovered.get(0).pending());
            assertEquals(2001, recovered.get(0).record().lastSent());
            assertEquals(List.of("client0", "client1"), store.clients().stream().map(ClientRecord::id).toList());
            assertEquals("hb.298", store.clients().stream().filter(c -> c.id().equals("client1")).findFirst()
                    .orElseThrow().heartbeatInbox());
            assertTrue(store.getOrCreateChannel("other").subscriptions().create(new SubscriptionRecord(0, "me", "",
                    "in", "ack", 5, 30, "", 0, false, false, null)).id() > id + 1, "deleted id not reused");
        }
    }

    @Test
    void concurrentFlushesShareFsyncs() throws Exception {
        int threads = 16;
        int flushesPerThread = 50;
        try (FileStore store = new FileStore(directory(), StoreLimits.UNLIMITED, FileStoreOptions.DEFAULT)) {
            MsgStore log = store.getOrCreateChannel("c").messages();
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<?>> futures = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    futures.add(pool.submit(() -> {
                        for (int i = 0; i < flushesPerThread; i++) {
                            log.append("", bytes("0123456789abcdef"), 1);
                            store.flush();
                        }
                    }));
                }
                for (Future<?> future : futures) {
                    future.get(60, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            long rounds = store.flushRounds();
            assertEquals(threads * flushesPerThread, log.lastSequence());
            assertTrue(rounds < threads * flushesPerThread, rounds + " rounds for " + threads * flushesPerThread
                    + " flushes: no round was shared");
        }
    }

    @Test
    void aFlushOverManyChannelsSyncsThemInParallelOrOneByOne() {
        for (int syncThreads : new int[] {1, 4}) {
            Path directory = temporary.resolve("parallel" + syncThreads);
            FileStoreOptions options = FileStoreOptions.DEFAULT.withSyncThreads(syncThreads);
            try (FileStore store = new FileStore(directory, StoreLimits.UNLIMITED, options)) {
                for (int c = 0; c < 20; c++) {
                    MsgStore log = store.getOrCreateChannel("c" + c).messages();
                    log.append("", bytes("first of " + c), 1);
                    store.getOrCreateChannel("c" + c).subscriptions().create(new SubscriptionRecord(0, "me", "",
                            "in", "ack", 5, 30, "", 0, false, false, null));
                }
                store.flush();
                for (int c = 0; c < 20; c++) {
                    store.lookupChannel("c" + c).messages().append("", bytes("second of " + c), 2);
                }
                store.flush();
            }
            try (FileStore store = new FileStore(directory, StoreLimits.UNLIMITED, options)) {
                for (int c = 0; c < 20; c++) {
                    MsgStore log = store.lookupChannel("c" + c).messages();
                    assertArrayEquals(bytes("second of " + c), log.lookup(2).data());
                    assertEquals(1, store.recover().channels().get("c" + c).subscriptions().size());
                }
            }
        }
    }

    @Test
    void anOversizedMessageIsRefusedAndTheStoreStaysUsable() {
        try (FileStore store = new FileStore(directory(), StoreLimits.UNLIMITED, FileStoreOptions.DEFAULT)) {
            MsgStore log = store.getOrCreateChannel("c").messages();
            assertEquals(1, log.append("", bytes("a"), 1));
            String hugeReply = "r".repeat(10);
            byte[] huge = new byte[RecordLog.MAX_PAYLOAD];
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> log.append(hugeReply, huge, 2));
            assertTrue(e.getMessage().contains("exceeds"), e.getMessage());
            assertEquals(2, log.append("", bytes("b"), 3));
            store.flush();
            assertFalse(log.lookup(2) == null);
        }
    }

    @Test
    void closedStoresRefuseWorkAndCloseTwice() {
        FileStore store = new FileStore(directory(), StoreLimits.UNLIMITED, FileStoreOptions.DEFAULT);
        MsgStore log = store.getOrCreateChannel("c").messages();
        log.append("", bytes("a"), 1);
        store.close();
        store.close();
        assertThrows(io.natsee.streaming.store.StoreException.class, () -> log.append("", bytes("b"), 2));
        assertThrows(io.natsee.streaming.store.StoreException.class, store::flush);
        try (FileStore again = new FileStore(directory(), StoreLimits.UNLIMITED, FileStoreOptions.DEFAULT)) {
            assertEquals(1, again.lookupChannel("c").messages().lastSequence(), "close flushed");
        }
    }
}
