package io.natsee.streaming.store.file;

import java.time.Duration;
import java.util.Objects;

/**
 * The options of a {@link FileStore}: the reference's {@code file_options} that apply to this store.
 *
 * <p>Reference names: {@code sync} is {@code file_sync}, {@code sliceMaxMsgs}/{@code sliceMaxBytes}/
 * {@code sliceMaxAge} are {@code file_slice_max_msgs}/{@code _bytes}/{@code _age},
 * {@code bufferSize} is {@code file_buffer_size}, {@code crcCheck} is {@code file_crc} (the CRC is
 * always written; this option only decides whether recovery checks it), {@code truncateBadEof} is
 * {@code file_truncate_bad_eof}, and {@code compactEnabled}/{@code compactFragmentation}/
 * {@code compactInterval}/{@code compactMinSize} are {@code file_compact_enabled}/{@code _frag}/
 * {@code _interval}/{@code _min_size}. The reference's CRC polynomial, fds limit, parallel recovery,
 * auto sync and archive script are not offered: this store uses CRC32C, keeps its files open,
 * recovers channels one after the other and syncs only on {@link FileStore#flush()}.
 *
 * @param sync whether every {@link FileStore#flush()} fsyncs the files it wrote (default true);
 *        when false a flush only hands the bytes to the operating system, which survives a killed
 *        process but not a crash of the machine
 * @param sliceMaxMsgs messages per segment file before a new one is started; 0 for no count limit
 * @param sliceMaxBytes bytes per segment file before a new one is started (default 64 MiB, at most 1 GiB)
 * @param sliceMaxAge age of a segment's first message after which a new segment is started; zero for none
 * @param bufferSize bytes buffered per file before they are written to the operating system
 *        between flushes (default 2 MiB)
 * @param crcCheck whether recovery checks each record's CRC (default true; lengths are always checked)
 * @param truncateBadEof whether a bad record in a segment that is not the channel's last one is
 *        truncated (with the segments after it) instead of failing the open with
 *        {@link io.natsee.streaming.store.CorruptStoreException} (default false); a bad record at
 *        the end of the last file of a log is always truncated with a warning (it was torn by a crash)
 * @param compactEnabled whether the subscription and client logs are compacted (default true)
 * @param compactFragmentation percentage of a log's bytes that must be obsolete before it is
 *        compacted (default 50)
 * @param compactInterval minimum time between two compactions of the same log (default 5 minutes);
 *        a log over 64 MiB holding ten times its live state is compacted regardless
 * @param compactMinSize size in bytes below which a log is never compacted (default 1 MiB)
 * @param syncThreads threads that fsync the files of one flush in parallel when it wrote several
 *        (default 8; 1 syncs them one after the other in the flushing thread). Not in the reference,
 *        whose flush syncs file after file: fsyncs of different files overlap well on most disks.
 */
public record FileStoreOptions(boolean sync, long sliceMaxMsgs, long sliceMaxBytes, Duration sliceMaxAge,
                               int bufferSize, boolean crcCheck, boolean truncateBadEof, boolean compactEnabled,
                               int compactFragmentation, Duration compactInterval, long compactMinSize,
                               int syncThreads) {

    /** Default of {@code sync}: fsync on every flush, as the reference's {@code file_sync}. */
    public static final boolean DEFAULT_SYNC = true;
    /** Default of {@code sliceMaxBytes}: 64 MiB, the reference's. */
    public static final long DEFAULT_SLICE_MAX_BYTES = 64L * 1024 * 1024;
    /** Largest {@code sliceMaxBytes}: record offsets inside a segment are kept as ints. */
    public static final long MAX_SLICE_MAX_BYTES = 1L << 30;
    /** Default of {@code bufferSize}: 2 MiB, the reference's. */
    public static final int DEFAULT_BUFFER_SIZE = 2 * 1024 * 1024;
    /** Default of {@code compactFragmentation}: 50 %, the reference's. */
    public static final int DEFAULT_COMPACT_FRAGMENTATION = 50;
    /** Default of {@code compactInterval}: 5 minutes, the reference's. */
    public static final Duration DEFAULT_COMPACT_INTERVAL = Duration.ofMinutes(5);
    /** Default of {@code compactMinSize}: 1 MiB, the reference's. */
    public static final long DEFAULT_COMPACT_MIN_SIZE = 1024 * 1024;

    /** Default of {@code syncThreads}. */
    public static final int DEFAULT_SYNC_THREADS = 8;

    /** The defaults. */
    public static final FileStoreOptions DEFAULT = new FileStoreOptions(DEFAULT_SYNC, 0, DEFAULT_SLICE_MAX_BYTES,
            Duration.ZERO, DEFAULT_BUFFER_SIZE, true, false, true, DEFAULT_COMPACT_FRAGMENTATION,
            DEFAULT_COMPACT_INTERVAL, DEFAULT_COMPACT_MIN_SIZE, DEFAULT_SYNC_THREADS);

    /** The options without {@code syncThreads} (which takes its default). */
    public FileStoreOptions(boolean sync, long sliceMaxMsgs, long sliceMaxBytes, Duration sliceMaxAge,
                            int bufferSize, boolean crcCheck, boolean truncateBadEof, boolean compactEnabled,
                            int compactFragmentation, Duration compactInterval, long compactMinSize) {
        this(sync, sliceMaxMsgs, sliceMaxBytes, sliceMaxAge, bufferSize, crcCheck, truncateBadEof, compactEnabled,
                compactFragmentation, compactInterval, compactMinSize, DEFAULT_SYNC_THREADS);
    }

    /** Checks the ranges and normalises null durations. */
    public FileStoreOptions {
        sliceMaxAge = Objects.requireNonNullElse(sliceMaxAge, Duration.ZERO);
        compactInterval = Objects.requireNonNullElse(compactInterval, Duration.ZERO);
        if (sliceMaxMsgs < 0) {
            throw new IllegalArgumentException("file slice max msgs cannot be negative (" + sliceMaxMsgs + ")");
        }
        if (sliceMaxBytes <= 0 || sliceMaxBytes > MAX_SLICE_MAX_BYTES) {
            throw new IllegalArgumentException("file slice max bytes must be between 1 and " + MAX_SLICE_MAX_BYTES
                    + " (" + sliceMaxBytes + ")");
        }
        if (sliceMaxAge.isNegative()) {
            throw new IllegalArgumentException("file slice max age cannot be negative (" + sliceMaxAge + ")");
        }
        if (bufferSize < 1) {
            throw new IllegalArgumentException("file buffer size must be positive (" + bufferSize + ")");
        }
        if (compactFragmentation < 0 || compactFragmentation > 100) {
            throw new IllegalArgumentException("file compact fragmentation must be 0..100 (" + compactFragmentation
                    + ")");
        }
        if (compactInterval.isNegative() || compactMinSize < 0) {
            throw new IllegalArgumentException("file compact interval and min size cannot be negative");
        }
        if (syncThreads < 1) {
            throw new IllegalArgumentException("file sync threads must be at least 1 (" + syncThreads + ")");
        }
    }

    /** This with another number of sync threads. */
    public FileStoreOptions withSyncThreads(int value) {
        return new FileStoreOptions(sync, sliceMaxMsgs, sliceMaxBytes, sliceMaxAge, bufferSize, crcCheck,
                truncateBadEof, compactEnabled, compactFragmentation, compactInterval, compactMinSize, value);
    }

    /** This with another sync policy. */
    public FileStoreOptions withSync(boolean value) {
        return new FileStoreOptions(value, sliceMaxMsgs, sliceMaxBytes, sliceMaxAge, bufferSize, crcCheck,
                truncateBadEof, compactEnabled, compactFragmentation, compactInterval, compactMinSize, syncThreads);
    }

    /** This with other slice limits. */
    public FileStoreOptions withSlice(long maxMsgs, long maxBytes, Duration maxAge) {
        return new FileStoreOptions(sync, maxMsgs, maxBytes, maxAge, bufferSize, crcCheck,
                truncateBadEof, compactEnabled, compactFragmentation, compactInterval, compactMinSize, syncThreads);
    }

    /** This with another buffer size. */
    public FileStoreOptions withBufferSize(int value) {
        return new FileStoreOptions(sync, sliceMaxMsgs, sliceMaxBytes, sliceMaxAge, value, crcCheck,
                truncateBadEof, compactEnabled, compactFragmentation, compactInterval, compactMinSize, syncThreads);
    }

    /** This with other recovery checks. */
    public FileStoreOptions withRecovery(boolean checkCrc, boolean truncateBadEofValue) {
        return new FileStoreOptions(sync, sliceMaxMsgs, sliceMaxBytes, sliceMaxAge, bufferSize, checkCrc,
                truncateBadEofValue, compactEnabled, compactFragmentation, compactInterval, compactMinSize,
                syncThreads);
    }

    /** This with other compaction settings. */
    public FileStoreOptions withCompaction(boolean enabled, int fragmentation, Duration interval, long minSize) {
        return new FileStoreOptions(sync, sliceMaxMsgs, sliceMaxBytes, sliceMaxAge, bufferSize, crcCheck,
                truncateBadEof, enabled, fragmentation, interval, minSize, syncThreads);
    }
}
