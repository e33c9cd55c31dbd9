package io.natsee.streaming.store.jdbc;

import io.natsee.streaming.store.ChannelLimits;
import io.natsee.streaming.store.MsgStore;
import io.natsee.streaming.store.MsgStoreState;
import io.natsee.streaming.store.StoredMessage;

import java.util.TreeMap;

/**
 * A channel's message log in the database. Sequences, counts and limits are decided in memory
 * ({@link MessageIndex}); appends and limit deletions go into the store's open batch. Messages not
 * yet committed, and (with caching) the most recent ones, are served from memory; the rest are
 * read from the database.
 */
final class JdbcMsgStore implements MsgStore {

    /** Recent messages kept for lookups (deliveries read what was just appended). */
    private static final int RECENT = 256;

    private final JdbcStore store;
    private final long channelId;
    private final String channel;
    private final ChannelLimits limits;
    private final MessageIndex index;
    /** Appended and not committed, by sequence. */
    private final TreeMap<Long, StoredMessage> uncommitted = new TreeMap<>();
    private final StoredMessage[] recent;
    private long first;
    private long last;
    private boolean deleted;

    JdbcMsgStore(JdbcStore store, long channelId, String channel, ChannelLimits limits, MessageIndex index,
                 long first, long last) {
        this.store = store;
        this.channelId = channelId;
        this.channel = channel;
        this.limits = limits;
        this.index = index;
        this.first = first;
        this.last = last;
        this.recent = store.noCaching() ? null : new StoredMessage[RECENT];
    }

    long channelId() {
        return channelId;
    }

    @Override
    public long append(String reply, byte[] data, long timestamp) {
        long sequence;
        synchronized (this) {
            store.commit().checkFailure();
            sequence = ++last;
            if (first == 0) {
                first = sequence;
            }
            StoredMessage message = new StoredMessage(sequence, channel, reply, data, timestamp);
            int size = message.encodedSize();
            index.add(sequence, timestamp, size);
            uncommitted.put(sequence, message);
            if (recent != null) {
                recent[(int) (sequence % RECENT)] = message;
            }
            boolean dropped = false;
            while (index.count() > 1 && ((limits.maxMsgs() > 0 && index.count() > limits.maxMsgs())
                    || (limits.maxBytes() > 0 && index.bytes() > limits.maxBytes()))) {
                dropFirst();
                dropped = true;
            }
            if (!limits.maxAge().isZero()) {
                dropped |= expireBefore(timestamp - limits.maxAge().toNanos(), true) > 0;
            }
            if (!deleted) {
                long newFirst = first;
                boolean trim = dropped;
                store.commit().change(batch -> {
                    batch.addMessage(this, channelId, message, size);
                    if (trim) {
                        batch.trim(channelId, newFirst);
                    }
                });
            }
        }
        if (store.noCaching()) {
            store.flush();
        }
        return sequence;
    }

    /** Caller holds this log's lock. */
    private void dropFirst() {
        long sequence = index.firstSequence();
        index.dropFirst();
        uncommitted.remove(sequence);
        first = index.count() > 0 ? index.firstSequence() : last + 1;
    }

    /** Caller holds this log's lock. */
    private long expireBefore(long limit, boolean keepLast) {
        long dropped = 0;
        while (index.count() > (keepLast ? 1 : 0) && index.firstTimestamp() < limit) {
            dropFirst();
            dropped++;
        }
        return dropped;
    }

    /** The batch holding appends up to {@code sequence} was committed: they are served from the database now. */
    synchronized void committed(long sequence) {
        uncommitted.headMap(sequence, true).clear();
    }

    /** The channel was deleted: nothing of it is written any more. */
    synchronized void markDeleted() {
        deleted = true;
        uncommitted.clear();
    }

    @Override
    public StoredMessage lookup(long sequence) {
        synchronized (this) {
            if (!index.holds(sequence)) {
                return null;
            }
            StoredMessage message = uncommitted.get(sequence);
            if (message != null) {
                return message;
            }
            if (recent != null) {
                message = recent[(int) (sequence % RECENT)];
                if (message != null && message.sequence() == sequence) {
                    return message;
                }
            }
            if (deleted) {
                return null;
            }
        }
        return store.reader().message(channelId, channel, sequence);
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
        return new MsgStoreState(index.count(), index.bytes(), first, last);
    }

    @Override
    public synchronized long sequenceForTimestamp(long timestamp) {
        long sequence = index.firstAtOrAfter(timestamp);
        return sequence < 0 ? last + 1 : sequence;
    }

    @Override
    public long expire(long now) {
        long dropped;
        synchronized (this) {
            if (limits.maxAge().isZero()) {
                return 0;
            }
            dropped = expireBefore(now - limits.maxAge().toNanos(), false);
            if (dropped > 0 && !deleted) {
                long newFirst = first;
                store.commit().change(batch -> batch.trim(channelId, newFirst));
            }
        }
        if (dropped > 0 && store.noCaching()) {
            store.flush();
        }
        return dropped;
    }
}
