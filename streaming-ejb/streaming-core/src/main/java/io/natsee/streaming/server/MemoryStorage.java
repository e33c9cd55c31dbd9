package io.natsee.streaming.server;

import io.natsee.streaming.store.ChannelLimits;
import io.natsee.streaming.store.ClientRecord;
import io.natsee.streaming.store.StoreLimits;
import io.natsee.streaming.store.StoredMessage;
import io.natsee.streaming.store.SubscriptionRecord;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;

/**
 * Storage in memory, lost when the server stops (the reference's MEMORY store): each channel a log with the
 * channel limits applied on append, oldest messages evicted first.
 */
final class MemoryStorage implements Storage {
    static final String TOO_MANY_CHANNELS = "too many channels";

    private final StoreLimits limits;
    private final Map<String, Log> channels = new HashMap<>();

    MemoryStorage(StoreLimits limits) {
        this.limits = limits;
    }

    @Override
    public ChannelLog channel(String name) throws LimitException {
        Log log = channels.get(name);
        if (log == null) {
            if (limits.maxChannels() > 0 && channels.size() >= limits.maxChannels()) {
                throw new LimitException(TOO_MANY_CHANNELS);
            }
            log = new Log(limits.forChannel(name));
            channels.put(name, log);
        }
        return log;
    }

    @Override
    public void flush() {
    }

    @Override
    public void addClient(ClientRecord client) {
    }

    @Override
    public void removeClient(String clientId) {
    }

    @Override
    public void saveSubscription(String channel, SubscriptionRecord subscription) {
    }

    @Override
    public void removeSubscription(String channel, long subscriptionId) {
    }

    @Override
    public void addPending(String channel, long subscriptionId, long sequence) {
    }

    @Override
    public void ack(String channel, long subscriptionId, long sequence) {
    }

    @Override
    public String type() {
        return "MEMORY";
    }

    @Override
    public void close() {
        channels.clear();
    }

    /** One channel's messages in memory: a list indexed by sequence, evicted from the front. */
    private static final class Log implements ChannelLog {
        private final ChannelLimits limits;
        private final ArrayList<StoredMessage> messages = new ArrayList<>();
        /** Index in {@code messages} of the oldest kept message (evicted ones are nulled, then compacted). */
        private int start;
        private long first = 1;
        private long last;
        private long bytes;

        Log(ChannelLimits limits) {
            this.limits = limits;
        }

        private int count() {
            return messages.size() - start;
        }

        @Override
        public long append(String subject, String reply, byte[] data, long timestampNanos) {
            StoredMessage message = new StoredMessage(++last, subject, reply, data, timestampNanos);
            if (count() == 0) {
                first = last;
            }
            messages.add(message);
            bytes += message.encodedSize();
            evict(timestampNanos);
            return last;
        }

        private void evict(long now) {
            long maxAge = limits.maxAge().toNanos();
            while (count() > 0) {
                StoredMessage oldest = messages.get(start);
                boolean tooMany = limits.maxMsgs() > 0 && count() > limits.maxMsgs();
                boolean tooBig = limits.maxBytes() > 0 && bytes > limits.maxBytes() && count() > 1;
                boolean tooOld = maxAge > 0 && now - oldest.timestamp() > maxAge;
                if (!tooMany && !tooBig && !tooOld) {
                    break;
                }
                messages.set(start++, null);
                bytes -= oldest.encodedSize();
                first = oldest.sequence() + 1;
            }
            if (start > 1024 && start > messages.size() / 2) {
                messages.subList(0, start).clear();
                start = 0;
            }
        }

        @Override
        public StoredMessage lookup(long sequence) {
            if (count() == 0 || sequence < first || sequence > last) {
                return null;
            }
            return messages.get(start + (int) (sequence - first));
        }

        @Override
        public long firstSequence() {
            return count() == 0 ? last + 1 : first;
        }

        @Override
        public long lastSequence() {
            return last;
        }

        @Override
        public long sequenceAtOrAfter(long timestampNanos) {
            int low = start;
            int high = messages.size();
            while (low < high) {
                int middle = (low + high) >>> 1;
                if (messages.get(middle).timestamp() < timestampNanos) {
                    low = middle + 1;
                } else {
                    high = middle;
                }
            }
            return low < messages.size() ? messages.get(low).sequence() : last + 1;
        }

        @Override
        public long messageCount() {
            return count();
        }

        @Override
        public long byteCount() {
            return bytes;
        }
    }
}
