package io.natsee.streaming.store.file;

import io.natsee.streaming.store.ChannelLimits;
import io.natsee.streaming.store.CorruptStoreException;
import io.natsee.streaming.store.MsgStore;
import io.natsee.streaming.store.MsgStoreState;
import io.natsee.streaming.store.StoreException;
import io.natsee.streaming.store.StoredMessage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A channel's message log in segment files ({@code msgs.<n>.dat}), with the limits applied on
 * append and expiry.
 *
 * <p>Records of a segment: a header (the channel's last sequence before the segment and its first
 * sequence then), then messages (sequence, timestamp, the channel's first sequence after this
 * append's limits, reply, data) and floor markers written when {@link #expire} drops messages. The
 * first sequence is thus recovered from the records themselves; a segment is deleted once all its
 * messages are dropped, the last one never. Reads come from a small cache of recent messages, the
 * write buffer or the file. All state is guarded by this object's lock.
 */
final class FileMsgStore implements MsgStore, Durable {

    static final int HEADER = 0x10;
    static final int MESSAGE = 1;
    static final int FLOOR = 2;
    static final int SEGMENT_MAGIC = 0x4E45_4D53; // "NEMS"
    static final int VERSION = 1;
    /** Bytes of a segment's header record: frame, type, magic, version, start last, floor. */
    static final int HEADER_BYTES = RecordLog.FRAME + 1 + 4 + 4 + 8 + 8;
    /** Payload bytes of a message record besides reply and data: type, sequence, timestamp, floor, reply length. */
    static final int MESSAGE_OVERHEAD = 1 + 8 + 8 + 8 + 4;
    private static final int CACHE_SIZE = 1024;
    private static final int CACHE_MAX_DATA = 16 * 1024;
    private static final System.Logger LOG = System.getLogger(FileStore.class.getName());

    private final FileStore store;
    private final String channel;
    private final int subjectLength;
    private final Path directory;
    private final ChannelLimits limits;
    private final FileStoreOptions options;
    private final List<Segment> segments = new ArrayList<>();
    private final List<Segment> removed = new ArrayList<>();
    private final StoredMessage[] cache = new StoredMessage[CACHE_SIZE];
    private Segment active;
    private long first;
    private long last;
    private long bytes;
    private boolean dirty;
    private boolean directoryChanged;
    private boolean closed;
    private StoreException failure;

    private FileMsgStore(FileStore store, String channel, Path directory, ChannelLimits limits,
                         FileStoreOptions options) {
        this.store = store;
        this.channel = channel;
        this.subjectLength = channel.getBytes(StandardCharsets.UTF_8).length;
        this.directory = directory;
        this.limits = limits;
        this.options = options;
    }

    /** Opens the log of a channel directory: recovers its segments, or starts the first one. */
    static FileMsgStore open(FileStore store, String channel, Path directory, ChannelLimits limits,
                             FileStoreOptions options) throws IOException {
        FileMsgStore log = new FileMsgStore(store, channel, directory, limits, options);
        new SegmentRecovery(log, channel, directory, options).run();
        log.afterRecovery();
        return log;
    }

    // ---- recovery hooks (SegmentRecovery) ----

    void recovered(Segment segment) {
        segments.add(segment);
    }

    void recoveredFloor(long floor) {
        first = Math.max(first, floor);
    }

    int subjectLength() {
        return subjectLength;
    }

    private void afterRecovery() throws IOException {
        if (segments.isEmpty()) {
            Segment segment = newSegment(1, 0, 0);
            segment.log.writeOut();
            segments.add(segment);
            directoryChanged = true;
        }
        active = segments.get(segments.size() - 1);
        last = active.lastSequence();
        long recoveredFloor = first;
        if (last == 0) {
            first = 0;
        } else {
            first = Math.min(Math.max(first, segments.get(0).firstSequence()), last + 1);
            for (long sequence = first; sequence <= last; sequence++) {
                bytes += segmentOf(sequence).size(sequence);
            }
            long newest = segmentOf(last) == null ? 0 : segmentOf(last).timestamp(last);
            applyLimits(newest);
        }
        dropRemovedSegments();
        if (first > recoveredFloor && last > 0) {
            writeFloor();
        }
    }

    // ---- MsgStore ----

    @Override
    public synchronized long append(String reply, byte[] data, long timestamp) {
        checkUsable();
        String replyText = reply == null ? "" : reply;
        byte[] replyBytes = replyText.isEmpty() ? null : replyText.getBytes(StandardCharsets.UTF_8);
        int replyLength = replyBytes == null ? 0 : replyBytes.length;
        if ((long) data.length + replyLength + MESSAGE_OVERHEAD > RecordLog.MAX_PAYLOAD) {
            throw new IllegalArgumentException("message of " + data.length + " bytes exceeds the file store's maximum"
                    + " of " + (RecordLog.MAX_PAYLOAD - MESSAGE_OVERHEAD - replyLength));
        }
        try {
            if (shouldRoll(timestamp)) {
                roll();
            }
            long sequence = last + 1;
            int size = StoredMessage.encodedSize(sequence, subjectLength, replyLength, data.length, timestamp,
                    false, 0, 0);
            RecordLog log = active.log;
            long offset = log.position();
            last = sequence;
            if (first == 0) {
                first = sequence;
            }
            active.add(offset, timestamp, size);
            bytes += size;
            applyLimits(timestamp);
            log.begin();
            log.putByte(MESSAGE);
            log.putLong(sequence);
            log.putLong(timestamp);
            log.putLong(first);
            log.putInt(replyLength);
            if (replyBytes != null) {
                log.putBytes(replyBytes, 0, replyLength);
            }
            log.putBytes(data, 0, data.length);
            log.end();
            if (data.length <= CACHE_MAX_DATA) {
                cache[(int) (sequence & (CACHE_SIZE - 1))] =
                        new StoredMessage(sequence, channel, replyText, data, timestamp);
            }
            markDirty();
            if (log.overLimit()) {
                log.writeOut();
            }
            return sequence;
        } catch (IOException e) {
            throw fail("append to channel " + channel, e);
        }
    }

    @Override
    public synchronized StoredMessage lookup(long sequence) {
        checkUsable();
        if (sequence < first || sequence > last || sequence < 1) {
            return null;
        }
        StoredMessage cached = cache[(int) (sequence & (CACHE_SIZE - 1))];
        if (cached != null && cached.sequence() == sequence) {
            return cached;
        }
        Segment segment = segmentOf(sequence);
        if (segment == null) {
            return null;
        }
        try {
            RecordReader reader = new RecordReader(segment.log.read(segment.offset(sequence)));
            if (reader.getByte() != MESSAGE || reader.getLong() != sequence) {
                throw new CorruptStoreException("record at offset " + segment.offset(sequence) + " of "
                        + segment.log.path() + " is not message " + sequence);
            }
            long timestamp = reader.getLong();
            reader.getLong();
            String reply = reader.getString();
            return new StoredMessage(sequence, channel, reply, reader.rest(), timestamp);
        } catch (IOException e) {
            throw new StoreException("cannot read message " + sequence + " of channel " + channel + ": " + e, e);
        }
    }

    @Override
    public synchronized long firstSequence() {
        return first;
    }

    @Override
    public synchronized long lastSequence() {
        return last;
    }

    @Override
    public synchronized MsgStoreState state() {
        return new MsgStoreState(held(), bytes, first, last);
    }

    @Override
    public synchronized long sequenceForTimestamp(long timestamp) {
        long low = first;
        long high = last + 1;
        if (held() == 0) {
            return last + 1;
        }
        while (low < high) {
            long middle = (low + high) >>> 1;
            if (segmentOf(middle).timestamp(middle) < timestamp) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        return low;
    }

    @Override
    public synchronized long expire(long now) {
        checkUsable();
        if (limits.maxAge().isZero()) {
            return 0;
        }
        long dropped = expireBefore(now - limits.maxAge().toNanos(), false);
        if (dropped > 0) {
            try {
                writeFloor();
            } catch (IOException e) {
                throw fail("expire in channel " + channel, e);
            }
        }
        return dropped;
    }

    // ---- limits and segments ----

    private long held() {
        return last == 0 || first > last ? 0 : last - first + 1;
    }

    private void applyLimits(long newestTimestamp) {
        while (held() > 1 && ((limits.maxMsgs() > 0 && held() > limits.maxMsgs())
                || (limits.maxBytes() > 0 && bytes > limits.maxBytes()))) {
            dropFirst();
        }
        if (!limits.maxAge().isZero()) {
            expireBefore(newestTimestamp - limits.maxAge().toNanos(), true);
        }
    }

    private long expireBefore(long limit, boolean keepLast) {
        long dropped = 0;
        while (held() > (keepLast ? 1 : 0) && segmentOf(first).timestamp(first) < limit) {
            dropFirst();
            dropped++;
        }
        return dropped;
    }

    private void dropFirst() {
        Segment segment = segmentOf(first);
        bytes -= segment.size(first);
        cache[(int) (first & (CACHE_SIZE - 1))] = null;
        first++;
        while (segments.size() > 1 && segments.get(0).lastSequence() < first) {
            removed.add(segments.remove(0));
        }
    }

    private Segment segmentOf(long sequence) {
        int low = 0;
        int high = segments.size() - 1;
        while (low <= high) {
            int middle = (low + high) >>> 1;
            Segment segment = segments.get(middle);
            if (sequence <= segment.startLast) {
                high = middle - 1;
            } else if (sequence > segment.lastSequence()) {
                low = middle + 1;
            } else {
                return segment;
            }
        }
        return null;
    }

    private boolean shouldRoll(long timestamp) {
        if (active.count() == 0) {
            return false;
        }
        return (options.sliceMaxMsgs() > 0 && active.count() >= options.sliceMaxMsgs())
                || active.log.position() >= options.sliceMaxBytes()
                || (!options.sliceMaxAge().isZero()
                    && timestamp - active.firstTimestamp() >= options.sliceMaxAge().toNanos());
    }

    /**
     * Starts a new segment. The old one is written out and, with sync on, forced first, so that on
     * recovery a bad record in any segment but the last one is real corruption, not a torn write.
     * Costs two fsyncs per segment (64 MiB by default), in the appending thread.
     */
    private void roll() throws IOException {
        active.log.writeOut();
        if (options.sync()) {
            active.log.force();
        }
        active = newSegment(active.number + 1, last, first);
        segments.add(active);
        // The new header is made durable now: once it is, older segments may be deleted by limits
        // without losing the channel's last sequence.
        active.log.writeOut();
        if (options.sync()) {
            active.log.force();
            FileUtil.syncDirectory(directory);
        } else {
            directoryChanged = true;
        }
        markDirty();
    }

    private Segment newSegment(int number, long startLast, long floor) throws IOException {
        RecordLog log = RecordLog.create(directory.resolve(Segment.fileName(number)), options.bufferSize());
        log.begin();
        log.putByte(HEADER);
        log.putInt(SEGMENT_MAGIC);
        log.putInt(VERSION);
        log.putLong(startLast);
        log.putLong(floor);
        log.end();
        markDirty();
        return new Segment(number, startLast, log);
    }

    private void writeFloor() throws IOException {
        RecordLog log = active.log;
        log.begin();
        log.putByte(FLOOR);
        log.putLong(first);
        log.end();
        markDirty();
        if (log.overLimit()) {
            log.writeOut();
        }
    }

    private void dropRemovedSegments() {
        for (Segment segment : removed) {
            try {
                segment.log.close();
                Files.deleteIfExists(segment.log.path());
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "channel {0}: cannot delete dropped segment {1}: {2}",
                        channel, segment.log.path(), e.toString());
            }
            directoryChanged = true;
        }
        removed.clear();
    }

    // ---- durability ----

    private void markDirty() {
        if (!dirty) {
            dirty = true;
            store.markDirty(this);
        }
    }

    @Override
    public synchronized void writeOut(Batch batch) throws IOException {
        dirty = false;
        if (closed) {
            return;
        }
        if (failure != null) {
            throw failure;
        }
        active.log.writeOut();
        batch.logs.add(active.log);
        dropRemovedSegments();
        if (directoryChanged) {
            batch.directories.add(directory);
            directoryChanged = false;
        }
    }

    /** Writes out what is buffered and closes the files; later calls throw. */
    synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (failure == null) {
                active.log.writeOut();
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "channel {0}: cannot write out on close: {1}", channel, e.toString());
        }
        for (Segment segment : segments) {
            closeQuietly(segment.log);
        }
        for (Segment segment : removed) {
            closeQuietly(segment.log);
        }
    }

    private void closeQuietly(RecordLog log) {
        try {
            log.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "channel {0}: cannot close {1}: {2}", channel, log.path(),
                    e.toString());
        }
    }

    private void checkUsable() {
        if (closed) {
            throw new StoreException("channel " + channel + " is closed");
        }
        if (failure != null) {
            throw new StoreException(failure.getMessage(), failure);
        }
    }

    private StoreException fail(String what, Exception cause) {
        failure = new StoreException("cannot " + what + ": " + cause, cause);
        return failure;
    }
}
