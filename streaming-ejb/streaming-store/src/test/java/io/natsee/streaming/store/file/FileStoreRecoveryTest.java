package io.natsee.streaming.store.file;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.natsee.streaming.store.ClientRecord;
import io.natsee.streaming.store.CorruptStoreException;
import io.natsee.streaming.store.MsgStore;
import io.natsee.streaming.store.RecoveredSubscription;
import io.natsee.streaming.store.StoreLimits;
import io.natsee.streaming.store.SubStore;
import io.natsee.streaming.store.SubscriptionRecord;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Recovery of damaged files: torn tails are cut with a warning, earlier records stay, real corruption is refused. */
class FileStoreRecoveryTest {

    @TempDir
    Path temporary;

    private Path directory;
    private final List<String> warnings = new ArrayList<>();
    private final Logger logger = Logger.getLogger(FileStore.class.getName());
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                synchronized (warnings) {
                    warnings.add(new java.util.logging.SimpleFormatter().formatMessage(record));
                }
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void captureWarnings() {
        directory = temporary.resolve("store");
        logger.addHandler(handler);
    }

    @AfterEach
    void releaseWarnings() {
        logger.removeHandler(handler);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private FileStore open(FileStoreOptions options) {
        return new FileStore(directory, StoreLimits.UNLIMITED, options);
    }

    private void writeMessages(int count, FileStoreOptions options) {
        try (FileStore store = open(options)) {
            MsgStore log = store.getOrCreateChannel("c").messages();
            for (int i = 1; i <= count; i++) {
                log.append("", bytes("message " + i), i);
            }
            store.flush();
        }
    }

    private Path segment(int number) {
        return directory.resolve(FileStore.CHANNELS).resolve("c").resolve(Segment.fileName(number));
    }

    private void assertMessages(FileStore store, int count) {
        MsgStore log = store.lookupChannel("c").messages();
        assertEquals(count, log.lastSequence());
        for (int i = 1; i <= count; i++) {
            assertArrayEquals(bytes("message " + i), log.lookup(i).data(), "message " + i);
        }
    }

    private void assertWarned(String fragment) {
        synchronized (warnings) {
            assertTrue(warnings.stream().anyMatch(w -> w.contains(fragment)), "no warning with '" + fragment
                    + "' in " + warnings);
        }
    }

    private static void append(Path file, byte[] garbage) throws IOException {
        Files.write(file, garbage, StandardOpenOption.APPEND);
    }

    private static void truncate(Path file, long bytesToCut) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(raf.length() - bytesToCut);
        }
    }

    private static void flipByte(Path file, long fromEnd) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            long position = raf.length() - fromEnd;
            raf.seek(position);
            int value = raf.read();
            raf.seek(position);
            raf.write(value ^ 0x5A);
        }
    }

    @Test
    void garbageAfterTheLastRecordIsTruncatedAndTheStoreStaysWritable() throws IOException {
        writeMessages(10, FileStoreOptions.DEFAULT);
        long size = Files.size(segment(1));
        append(segment(1), bytes("\u0000\u0000\u0001garbage that is not a record"));
        try (FileStore store = open(FileStoreOptions.DEFAULT)) {
            assertMessages(store, 10);
            assertWarned("truncated");
            assertEquals(size, Files.size(segment(1)));
            assertEquals(11, store.lookupChannel("c").messages().append("", bytes("message 11"), 11));
            store.flush();
        }
        try (FileStore store = open(FileStoreOptions.DEFAULT)) {
            assertMessages(store, 11);
        }
    }

    @Test
    void aRecordCutInTheMiddleIsDropped() throws IOException {
        writeMessages(10, FileStoreOptions.DEFAULT);
        truncate(segment(1), 5);
        try (FileStore store = open(FileStoreOptions.DEFAULT)) {
            assertMessages(store, 9);
            assertNull(store.lookupChannel("c").messages().lookup(10));
            assertWarned("past the end");
            assertEquals(10, store.lookupChannel("c").messages().append("", bytes("message 10"), 10));
        }
    }

    @Test
    void aCutFrameAndAZeroFilledTailAreDropped() throws IOException {
        writeMessages(4, FileStoreOptions.DEFAULT);
        append(segment(1), new byte[] {0, 0, 0});
        try (FileStore store = open(FileStoreOptions.DEFAULT)) {
            assertMessages(store, 4);
            assertWarned("short frame");
        }
        append(segment(1), new byte[8192]);
        try (FileStore store = open(FileStoreOptions.DEFAULT)) {
            assertMessages(store, 4);
            assertWarned("bad record length 0");
        }
    }

    @Test
    void aLastRecordWithABadCrcIsDroppedUnlessCrcChecksAreOff() throws IOException {
        writeMessages(10, FileStoreOptions.DEFAULT);
        flipByte(segment(1), 2);
        try (FileStore store = open(FileStoreOptions.DEFAULT.withRecovery(false, false))) {
            assertEquals(10, store.lookupChannel("c").messages().lastSequence(), "no CRC check: record kept");
        }
        try (FileStore store = open(FileStoreOptions.DEFAULT)) {
            assertMessages(store, 9);
            assertWarned("CRC mismatch");
        }
    }

    @Test
    void aBadRecordInAnEarlierSegmentIsCorruptionUnlessTruncationIsAllowed() throws IOException {
        FileStoreOptions small = FileStoreOptions.DEFAULT.withSlice(5, FileStoreOptions.DEFAULT_SLICE_MAX_BYTES,
                Duration.ZERO);
        writeMessages(12, small);
        assertTrue(Files.exists(segment(3)));
        flipByte(segment(1), 2);
        CorruptStoreException e = assertThrows(CorruptStoreException.class, () -> open(small));
        assertTrue(e.getMessage().contains("CRC mismatch") && e.getMessage().contains("truncate"), e.getMessage());
        // The failed open released the lock and its files.
        try (FileStore store = open(small.withRecovery(true, true))) {
            MsgStore log = store.lookupChannel("c").messages();
            assertEquals(4, log.lastSequence());
            assertEquals(5, log.append("", bytes("message 5"), 5));
            assertWarned("removed segment");
        }
    }

    @Test
    void aSegmentTornWhileBeingCreatedIsRemoved() throws IOException {
        FileStoreOptions small = FileStoreOptions.DEFAULT.withSlice(5, FileStoreOptions.DEFAULT_SLICE_MAX_BYTES,
                Duration.ZERO);
        writeMessages(5, small);
        Files.write(segment(2), new byte[] {0, 0, 0, 29, 1});
        try (FileStore store = open(small)) {
            assertMessages(store, 5);
            assertWarned("without a complete header");
            assertEquals(6, store.lookupChannel("c").messages().append("", bytes("message 6"), 6));
            store.flush();
        }
        try (FileStore store = open(small)) {
            assertMessages(store, 6);
        }
    }

    @Test
    void tornTailsOfTheSubscriptionAndClientLogsAreDropped() throws IOException {
        long id;
        try (FileStore store = open(FileStoreOptions.DEFAULT)) {
            store.addClient(new ClientRecord("one", "hb.1", null, 1, 5, 3));
            store.addClient(new ClientRecord("two", "hb.2", null, 1, 5, 3));
            SubStore subs = store.getOrCreateChannel("c").subscriptions();
            id = subs.create(new SubscriptionRecord(0, "one", "", "in", "ack", 5, 30, "d", 0, true, false, null)).id();
            subs.addPending(id, 1);
            subs.addPending(id, 2);
            store.flush();
        }
        Path subs = directory.resolve(FileStore.CHANNELS).resolve("c").resolve(FileSubStore.FILE);
        truncate(subs, 3);
        truncate(directory.resolve(ClientLog.FILE), 3);
        try (FileStore store = open(FileStoreOptions.DEFAULT)) {
            assertEquals(List.of(new ClientRecord("one", "hb.1", null, 1, 5, 3)), List.copyOf(store.clients()));
            RecoveredSubscription recovered = store.recover().channels().get("c").subscriptions().get(0);
            assertEquals(id, recovered.record().id());
            assertArrayEquals(new long[] {1}, recovered.pending());
            assertWarned(FileSubStore.FILE);
            assertWarned(ClientLog.FILE);
            store.lookupChannel("c").subscriptions().addPending(id, 3);
            store.flush();
        }
        try (FileStore store = open(FileStoreOptions.DEFAULT)) {
            assertArrayEquals(new long[] {1, 3}, store.recover().channels().get("c").subscriptions().get(0).pending());
        }
    }

    @Test
    void aDirectoryThatIsNotAStoreIsRefusedClearly() throws IOException {
        Files.createDirectories(directory);
        Files.writeString(directory.resolve(ClientLog.FILE), "this is not a client log at all, but text");
        CorruptStoreException e = assertThrows(CorruptStoreException.class, () -> open(FileStoreOptions.DEFAULT));
        assertTrue(e.getMessage().contains(ClientLog.FILE), e.getMessage());
    }
}
