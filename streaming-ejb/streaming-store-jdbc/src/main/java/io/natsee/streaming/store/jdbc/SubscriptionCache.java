package io.natsee.streaming.store.jdbc;

import io.natsee.streaming.store.SubscriptionRecord;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * The subscription state held in memory: record and pending sequences by subscription id, least
 * recently used first. At most {@code capacity} entries are kept, except that an entry changed in
 * a batch not yet committed is never evicted (the database does not have its state yet); an
 * evicted subscription is read back from the database when next used.
 */
final class SubscriptionCache {

    /** The cached state of one subscription; its {@link JdbcSubStore} guards the fields. */
    static final class Entry {
        SubscriptionRecord record;
        final TreeSet<Long> pending;
        /** The epoch of the newest batch holding a change of it; guarded by the cache. */
        private long dirtyEpoch;

        Entry(SubscriptionRecord record, TreeSet<Long> pending) {
            this.record = record;
            this.pending = pending;
        }
    }

    private final int capacity;
    private final LinkedHashMap<Long, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);

    SubscriptionCache(int capacity) {
        this.capacity = capacity;
    }

    synchronized Entry get(long subscriptionId) {
        return entries.get(subscriptionId);
    }

    /** Adds an entry clean (its state is the database's). */
    synchronized void putClean(long subscriptionId, Entry entry) {
        entries.put(subscriptionId, entry);
    }

    /** Pins an entry before it is changed, so that it cannot be evicted before {@link #dirty}. */
    synchronized void pin(long subscriptionId, Entry entry) {
        entry.dirtyEpoch = Long.MAX_VALUE;
        entries.put(subscriptionId, entry);
    }

    /** Marks an entry changed in the batch of that epoch. */
    synchronized void dirty(Entry entry, long epoch) {
        entry.dirtyEpoch = epoch;
    }

    synchronized void remove(long subscriptionId) {
        entries.remove(subscriptionId);
    }

    synchronized int size() {
        return entries.size();
    }

    /** Evicts least recently used entries committed by {@code committedEpoch} while over capacity. */
    synchronized void trim(long committedEpoch) {
        Iterator<Map.Entry<Long, Entry>> iterator = entries.entrySet().iterator();
        while (entries.size() > capacity && iterator.hasNext()) {
            if (iterator.next().getValue().dirtyEpoch <= committedEpoch) {
                iterator.remove();
            }
        }
    }
}
