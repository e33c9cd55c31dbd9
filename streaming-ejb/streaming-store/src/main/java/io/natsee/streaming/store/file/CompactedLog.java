package io.natsee.streaming.store.file;

import io.natsee.streaming.store.CorruptStoreException;
import io.natsee.streaming.store.StoreException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A state kept as an append-only log of changes in one file, compacted by rewriting the live state
 * when enough of the file is obsolete (the subscription log of a channel, the client log).
 *
 * <p>The first record is a header (type {@link #HEADER}, a magic number, a version). On open the
 * records are replayed in order; a torn tail is truncated with a warning. A compaction writes the
 * live state to {@code <file>.tmp}, syncs it and renames it over the log, so a crash leaves either
 * the old log or the new one. Subclasses synchronize on this object for every change.
 */
abstract class CompactedLog implements Durable {

    static final int HEADER = 0x10;
    static final int VERSION = 1;
    /** Bytes of the header record: frame, type, magic, version. */
    static final int HEADER_BYTES = RecordLog.FRAME + 1 + 4 + 4;
    /** Size above which a mostly obsolete log is compacted without waiting for the interval. */
    static final long FORCED_COMPACTION_SIZE = 64L * 1024 * 1024;
    private static final System.Logger LOG = System.getLogger(FileStore.class.getName());

    protected final FileStore store;
    protected final FileStoreOptions options;
    private final Path path;
    private final int magic;
    private RecordLog log;
    private boolean dirty;
    private boolean closed;
    private long lastCompaction = System.nanoTime();
    private long compactions;

    CompactedLog(FileStore store, Path path, int magic, FileStoreOptions options) {
        this.store = store;
        this.path = path;
        this.magic = magic;
        this.options = options;
    }

    /** Replays one change record (type byte already read) during {@link #open()}. */
    protected abstract void replay(int type, RecordReader record, long offset);

    /** Writes the live state as change records, for a compaction. Caller holds this object's lock. */
    protected abstract void writeSnapshot(RecordLog target);

    /** Bytes the live state takes in the log (an estimate of a compacted file's size). */
    protected abstract long liveBytes();

    /** Replays the file if it exists (truncating a torn tail), or creates it; then positions for appends. */
    final synchronized void open() throws IOException {
        if (Files.exists(path)) {
            boolean[] header = new boolean[1];
            RecordLog.ScanResult result;
            try {
                result = RecordLog.scan(path, options.crcCheck(), (offset, payload) -> {
                    RecordReader reader = new RecordReader(payload);
                    int type = reader.getByte();
                    if (!header[0]) {
                        if (type != HEADER || reader.getInt() != magic) {
                            throw new CorruptStoreException("no header record");
                        }
                        int version = reader.getInt();
                        if (version != VERSION) {
                            throw new CorruptStoreException("unknown format version " + version);
                        }
                        header[0] = true;
                        return;
                    }
                    replay(type, reader, offset);
                });
            } catch (CorruptStoreException e) {
                throw new CorruptStoreException(path + ": " + e.getMessage(), e);
            }
            if (!result.clean()) {
                LOG.log(System.Logger.Level.WARNING, "{0}: {1} at offset {2}: truncated {3} bytes", path,
                        result.problem(), result.validEnd(), result.fileSize() - result.validEnd());
            }
            if (header[0]) {
                log = RecordLog.open(path, result.validEnd(), options.bufferSize());
                return;
            }
            if (!FileUtil.tornAtCreation(path, HEADER_BYTES)) {
                throw new CorruptStoreException(path + ": no header record (" + result.problem()
                        + "); not a file of this store");
            }
            Files.delete(path);
        }
        log = RecordLog.create(path, options.bufferSize());
        writeHeader(log);
        log.writeOut();
        if (options.sync()) {
            log.force();
            FileUtil.syncDirectory(path.getParent());
        }
    }

    private void writeHeader(RecordLog target) {
        target.begin();
        target.putByte(HEADER);
        target.putInt(magic);
        target.putInt(VERSION);
        target.end();
    }

    /** The log to append a change to. Caller holds this object's lock, then calls {@link #appended()}. */
    protected final RecordLog log() {
        if (closed) {
            throw new StoreException(path.getFileName() + " is closed");
        }
        return log;
    }

    /** After a change record was appended: schedules it for the next flush. Caller holds the lock. */
    protected final void appended() {
        if (!dirty) {
            dirty = true;
            store.markDirty(this);
        }
        if (log.overLimit()) {
            try {
                log.writeOut();
            } catch (IOException e) {
                throw new StoreException("cannot write " + path + ": " + e, e);
            }
        }
    }

    /** Writes out this log now and, with sync on, forces it (for changes that cannot wait for a flush). */
    protected final void syncNow() throws IOException {
        log.writeOut();
        if (options.sync()) {
            log.force();
        }
    }

    @Override
    public final synchronized void writeOut(Batch batch) throws IOException {
        dirty = false;
        if (closed) {
            return;
        }
        if (compactionDue()) {
            compact();
            return;
        }
        log.writeOut();
        batch.logs.add(log);
    }

    /**
     * Whether to compact now: when the options say so (size, fragmentation, interval), and also
     * before the interval is over when the log is both large ({@value #FORCED_COMPACTION_SIZE}
     * bytes) and mostly obsolete (ten times its live state), so that a high ack rate cannot grow
     * it without bound between two compactions.
     */
    private boolean compactionDue() {
        if (!options.compactEnabled()) {
            return false;
        }
        long size = log.position();
        long live = liveBytes();
        if (size >= FORCED_COMPACTION_SIZE && size > 10 * live) {
            return true;
        }
        return size >= options.compactMinSize()
                && (size - live) * 100 >= (long) options.compactFragmentation() * size
                && System.nanoTime() - lastCompaction >= options.compactInterval().toNanos();
    }

    /** Rewrites the log with the live state only. Caller holds this object's lock. */
    final void compact() throws IOException {
        Path temporary = path.resolveSibling(path.getFileName() + ".tmp");
        Files.deleteIfExists(temporary);
        RecordLog next = RecordLog.create(temporary, options.bufferSize());
        try {
            writeHeader(next);
            writeSnapshot(next);
            next.writeOut();
            if (options.sync()) {
                next.force();
            }
            Files.move(temporary, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            if (options.sync()) {
                FileUtil.syncDirectory(path.getParent());
            }
        } catch (IOException | RuntimeException e) {
            next.close();
            Files.deleteIfExists(temporary);
            throw e;
        }
        RecordLog previous = log;
        log = next.renamed(path);
        previous.close();
        lastCompaction = System.nanoTime();
        compactions++;
    }

    /** Compactions done since the log was opened (for tests). */
    final synchronized long compactions() {
        return compactions;
    }

    /** Current size of the log in bytes, buffered records included (for tests). */
    final synchronized long size() {
        return log.position();
    }

    /** Writes out what is buffered and closes the file; idempotent. */
    synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (log == null) {
            return; // never opened
        }
        try {
            log.writeOut();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "{0}: cannot write out on close: {1}", path, e.toString());
        }
        try {
            log.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "{0}: cannot close: {1}", path, e.toString());
        }
    }
}
