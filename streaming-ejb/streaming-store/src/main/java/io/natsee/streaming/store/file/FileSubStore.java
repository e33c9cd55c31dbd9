package io.natsee.streaming.store.file;

import io.natsee.streaming.store.ChannelLimits;
import io.natsee.streaming.store.CorruptStoreException;
import io.natsee.streaming.store.NotFoundException;
import io.natsee.streaming.store.RecoveredSubscription;
import io.natsee.streaming.store.SubStore;
import io.natsee.streaming.store.SubscriptionRecord;
import io.natsee.streaming.store.TooManySubscriptionsException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A channel's subscriptions and their pending sequences, kept in {@code subs.dat}: a log of
 * put (create or update), delete, pending and ack records, compacted when mostly obsolete.
 */
final class FileSubStore extends CompactedLog implements SubStore {

    static final String FILE = "subs.dat";
    private static final int MAGIC = 0x4E45_5353; // "NESS"
    private static final int PUT = 1;
    private static final int DELETE = 2;
    private static final int PENDING = 3;
    private static final int ACK = 4;
    private static final int ID_FLOOR = 5;
    /** Bytes of a pending or ack record in the log: frame, type, id, sequence. */
    private static final int SEQUENCE_RECORD_BYTES = RecordLog.FRAME + 1 + 8 + 8;

    /** One subscription: its record, its pending sequences and the highest sequence ever added. */
    private static final class Entry {
        SubscriptionRecord record;
        final TreeSet<Long> pending = new TreeSet<>();
        long highestAdded;
        int recordBytes;

        Entry(SubscriptionRecord record) {
            this.record = record;
        }
    }

    private final ChannelLimits limits;
    private final Map<Long, Entry> entries = new LinkedHashMap<>();
    private long liveBytes;

    FileSubStore(FileStore store, Path directory, ChannelLimits limits, FileStoreOptions options) {
        super(store, directory.resolve(FILE), MAGIC, options);
        this.limits = limits;
    }

    // ---- SubStore ----

    @Override
    public synchronized SubscriptionRecord create(SubscriptionRecord subscription) {
        if (limits.maxSubscriptions() > 0 && entries.size() >= limits.maxSubscriptions()) {
            throw new TooManySubscriptionsException();
        }
        RecordLog log = log();
        SubscriptionRecord stored = subscription.withId(store.nextSubscriptionId());
        Entry entry = new Entry(stored);
        entry.recordBytes = writePut(log, stored);
        entries.put(stored.id(), entry);
        liveBytes += entry.recordBytes;
        appended();
        return stored;
    }

    @Override
    public synchronized void update(SubscriptionRecord subscription) {
        Entry entry = existing(subscription.id());
        RecordLog log = log();
        liveBytes -= entry.recordBytes;
        entry.record = subscription;
        entry.recordBytes = writePut(log, subscription);
        liveBytes += entry.recordBytes;
        appended();
    }

    @Override
    public synchronized void delete(long subscriptionId) {
        Entry entry = existing(subscriptionId);
        RecordLog log = log();
        log.begin();
        log.putByte(DELETE);
        log.putLong(subscriptionId);
        log.end();
        entries.remove(subscriptionId);
        liveBytes -= entry.recordBytes + (long) entry.pending.size() * SEQUENCE_RECORD_BYTES;
        appended();
    }

    @Override
    public synchronized void addPending(long subscriptionId, long sequence) {
        Entry entry = existing(subscriptionId);
        RecordLog log = log();
        boolean added = entry.pending.add(sequence);
        if (!added && sequence <= entry.record.lastSent()) {
            return;
        }
        writeSequence(log, PENDING, subscriptionId, sequence);
        if (added) {
            liveBytes += SEQUENCE_RECORD_BYTES;
        }
        entry.highestAdded = Math.max(entry.highestAdded, sequence);
        if (sequence > entry.record.lastSent()) {
            entry.record = entry.record.withLastSent(sequence);
        }
        appended();
    }

    @Override
    public synchronized void ack(long subscriptionId, long sequence) {
        Entry entry = entries.get(subscriptionId);
        if (entry == null || !entry.pending.remove(sequence)) {
            return;
        }
        writeSequence(log(), ACK, subscriptionId, sequence);
        liveBytes -= SEQUENCE_RECORD_BYTES;
        appended();
    }

    @Override
    public synchronized SubscriptionRecord get(long subscriptionId) {
        Entry entry = entries.get(subscriptionId);
        return entry == null ? null : entry.record;
    }

    @Override
    public synchronized long[] pending(long subscriptionId) {
        Entry entry = entries.get(subscriptionId);
        return entry == null ? new long[0] : toArray(entry.pending);
    }

    @Override
    public synchronized int count() {
        return entries.size();
    }

    /** The subscriptions as {@link io.natsee.streaming.store.Store#recover()} reports them, ascending by id. */
    synchronized List<RecoveredSubscription> recovered() {
        List<RecoveredSubscription> result = new ArrayList<>();
        entries.values().stream().sorted((a, b) -> Long.compare(a.record.id(), b.record.id())).forEach(entry -> {
            SubscriptionRecord record = entry.record;
            if (entry.highestAdded > record.lastSent()) {
                record = record.withLastSent(entry.highestAdded);
            }
            result.add(new RecoveredSubscription(record, toArray(entry.pending)));
        });
        return result;
    }

    private Entry existing(long subscriptionId) {
        Entry entry = entries.get(subscriptionId);
        if (entry == null) {
            throw new NotFoundException("subscription " + subscriptionId + " not found");
        }
        return entry;
    }

    private static long[] toArray(TreeSet<Long> set) {
        long[] values = new long[set.size()];
        int i = 0;
        for (long value : set) {
            values[i++] = value;
        }
        return values;
    }

    // ---- records ----

    private static int writePut(RecordLog log, SubscriptionRecord record) {
        long start = log.position();
        log.begin();
        log.putByte(PUT);
        log.putLong(record.id());
        log.putString(record.clientId());
        log.putString(record.queueGroup());
        log.putString(record.inbox());
        log.putString(record.ackInbox());
        log.putInt(record.maxInFlight());
        log.putInt(record.ackWaitSeconds());
        log.putString(record.durableName());
        log.putLong(record.lastSent());
        log.putByte((record.durable() ? 1 : 0) | (record.closed() ? 2 : 0));
        log.putInt(record.attributes().size());
        for (Map.Entry<String, String> attribute : record.attributes().entrySet()) {
            log.putString(attribute.getKey());
            log.putString(attribute.getValue());
        }
        log.end();
        return (int) (log.position() - start);
    }

    private static void writeSequence(RecordLog log, int type, long subscriptionId, long sequence) {
        log.begin();
        log.putByte(type);
        log.putLong(subscriptionId);
        log.putLong(sequence);
        log.end();
    }

    @Override
    protected void replay(int type, RecordReader record, long offset) {
        switch (type) {
            case PUT -> {
                long id = record.getLong();
                String clientId = record.getString();
                String queueGroup = record.getString();
                String inbox = record.getString();
                String ackInbox = record.getString();
                int maxInFlight = record.getInt();
                int ackWait = record.getInt();
                String durableName = record.getString();
                long lastSent = record.getLong();
                int flags = record.getByte();
                int attributeCount = record.getInt();
                if (attributeCount < 0) {
                    throw new CorruptStoreException("negative attribute count at offset " + offset);
                }
                Map<String, String> attributes = new HashMap<>();
                for (int i = 0; i < attributeCount; i++) {
                    attributes.put(record.getString(), record.getString());
                }
                SubscriptionRecord subscription = new SubscriptionRecord(id, clientId, queueGroup, inbox, ackInbox,
                        maxInFlight, ackWait, durableName, lastSent, (flags & 1) != 0, (flags & 2) != 0, attributes);
                store.observeSubscriptionId(id);
                Entry entry = entries.get(id);
                int bytes = RecordLog.FRAME + record.length();
                if (entry == null) {
                    entry = new Entry(subscription);
                    entries.put(id, entry);
                } else {
                    liveBytes -= entry.recordBytes;
                    entry.record = subscription;
                }
                entry.recordBytes = bytes;
                liveBytes += bytes;
            }
            case DELETE -> {
                Entry entry = entries.remove(record.getLong());
                if (entry != null) {
                    liveBytes -= entry.recordBytes + (long) entry.pending.size() * SEQUENCE_RECORD_BYTES;
                }
            }
            case PENDING -> {
                Entry entry = entries.get(record.getLong());
                long sequence = record.getLong();
                if (entry != null) {
                    if (entry.pending.add(sequence)) {
                        liveBytes += SEQUENCE_RECORD_BYTES;
                    }
                    entry.highestAdded = Math.max(entry.highestAdded, sequence);
                    if (sequence > entry.record.lastSent()) {
                        entry.record = entry.record.withLastSent(sequence);
                    }
                }
            }
            case ACK -> {
                Entry entry = entries.get(record.getLong());
                if (entry != null && entry.pending.remove(record.getLong())) {
                    liveBytes -= SEQUENCE_RECORD_BYTES;
                }
            }
            case ID_FLOOR -> store.observeSubscriptionId(record.getLong());
            default -> throw new CorruptStoreException("unknown record type " + type + " at offset " + offset);
        }
    }

    @Override
    protected void writeSnapshot(RecordLog target) {
        target.begin();
        target.putByte(ID_FLOOR);
        target.putLong(store.currentSubscriptionId());
        target.end();
        for (Entry entry : entries.values()) {
            SubscriptionRecord record = entry.record;
            if (entry.highestAdded > record.lastSent()) {
                record = record.withLastSent(entry.highestAdded);
            }
            entry.recordBytes = writePut(target, record);
            for (long sequence : entry.pending) {
                writeSequence(target, PENDING, record.id(), sequence);
            }
        }
    }

    @Override
    protected long liveBytes() {
        return liveBytes;
    }
}
