package io.natsee.streaming.store.memory;

import io.natsee.streaming.store.ChannelLimits;
import io.natsee.streaming.store.MsgStore;
import io.natsee.streaming.store.MsgStoreState;
import io.natsee.streaming.store.StoredMessage;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/** A channel's message log held in memory, with the limits applied on append and expiry. */
final class MemoryMsgStore implements MsgStore {

    private final String channel;
    private final ChannelLimits limits;
    private final ArrayDeque<StoredMessage> messages = new ArrayDeque<>();
    private final List<StoredMessage> view = new ArrayList<>();
    private long first;
    private long last;
    private long bytes;
    /** Index in {@code view} of the oldest held message; dropped ones before it are trimmed lazily. */
    private int viewOffset;

    MemoryMsgStore(String channel, ChannelLimits limits) {
        this.channel = channel;
        this.limits = limits;
    }

    @Override
    public synchronized long append(String reply, byte[] data, long timestamp) {
        long sequence = ++last;
        if (first == 0) {
            first = sequence;
        }
        StoredMessage message = new StoredMessage(sequence, channel, reply, data, timestamp);
        messages.addLast(message);
        view.add(message);
        bytes += message.encodedSize();
        while (messages.size() > 1 && ((limits.maxMsgs() > 0 && messages.size() > limits.maxMsgs())
                || (limits.maxBytes() > 0 && bytes > limits.maxBytes()))) {
            dropFirst();
        }
        if (!limits.maxAge().isZero()) {
            expireBefore(timestamp - limits.maxAge().toNanos(), true);
        }
        return sequence;
    }

    @Override
    public synchronized StoredMessage lookup(long sequence) {
        if (messages.isEmpty() || sequence < first || sequence > last) {
            return null;
        }
        int index = (int) (sequence - messages.peekFirst().sequence());
        return view.get(viewOffset + index);
    }


    private void dropFirst() {
        StoredMessage dropped = messages.pollFirst();
        bytes -= dropped.encodedSize();
        first = dropped.sequence() + 1;
        viewOffset++;
        if (viewOffset > 1024 && viewOffset > view.size() / 2) {
            view.subList(0, viewOffset).clear();
            viewOffset = 0;
        }
    }

    private long expireBefore(long limit, boolean keepLast) {
        long dropped = 0;
        while (!messages.isEmpty() && (!keepLast || messages.size() > 1)
                && messages.peekFirst().timestamp() < limit) {
            dropFirst();
            dropped++;
        }
        return dropped;
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
        return new MsgStoreState(messages.size(), bytes, first, last);
    }

    @Override
    public synchronized long sequenceForTimestamp(long timestamp) {
        int low = viewOffset;
        int high = view.size();
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (view.get(middle).timestamp() < timestamp) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        return low == view.size() ? last + 1 : view.get(low).sequence();
    }

    @Override
    public synchronized long expire(long now) {
        if (limits.maxAge().isZero()) {
            return 0;
        }
        return expireBefore(now - limits.maxAge().toNanos(), false);
    }
}
