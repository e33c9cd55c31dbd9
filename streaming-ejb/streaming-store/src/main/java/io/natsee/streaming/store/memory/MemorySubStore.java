package io.natsee.streaming.store.memory;

import io.natsee.streaming.store.ChannelLimits;
import io.natsee.streaming.store.NotFoundException;
import io.natsee.streaming.store.SubStore;
import io.natsee.streaming.store.SubscriptionRecord;
import io.natsee.streaming.store.TooManySubscriptionsException;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;

/** A channel's subscriptions and their pending sequences, held in memory. */
final class MemorySubStore implements SubStore {

    private final ChannelLimits limits;
    private final AtomicLong ids;
    private final Map<Long, SubscriptionRecord> records = new LinkedHashMap<>();
    private final Map<Long, TreeSet<Long>> pending = new HashMap<>();

    MemorySubStore(ChannelLimits limits, AtomicLong ids) {
        this.limits = limits;
        this.ids = ids;
    }

    @Override
    public synchronized SubscriptionRecord create(SubscriptionRecord subscription) {
        if (limits.maxSubscriptions() > 0 && records.size() >= limits.maxSubscriptions()) {
            throw new TooManySubscriptionsException();
        }
        SubscriptionRecord stored = subscription.withId(ids.incrementAndGet());
        records.put(stored.id(), stored);
        pending.put(stored.id(), new TreeSet<>());
        return stored;
    }

    @Override
    public synchronized void update(SubscriptionRecord subscription) {
        if (!records.containsKey(subscription.id())) {
            throw new NotFoundException("subscription " + subscription.id() + " not found");
        }
        records.put(subscription.id(), subscription);
    }

    @Override
    public synchronized void delete(long subscriptionId) {
        if (records.remove(subscriptionId) == null) {
            throw new NotFoundException("subscription " + subscriptionId + " not found");
        }
        pending.remove(subscriptionId);
    }

    @Override
    public synchronized void addPending(long subscriptionId, long sequence) {
        SubscriptionRecord record = records.get(subscriptionId);
        if (record == null) {
            throw new NotFoundException("subscription " + subscriptionId + " not found");
        }
        pending.get(subscriptionId).add(sequence);
        if (sequence > record.lastSent()) {
            records.put(subscriptionId, record.withLastSent(sequence));
        }
    }

    @Override
    public synchronized void ack(long subscriptionId, long sequence) {
        TreeSet<Long> set = pending.get(subscriptionId);
        if (set != null) {
            set.remove(sequence);
        }
    }

    @Override
    public synchronized SubscriptionRecord get(long subscriptionId) {
        return records.get(subscriptionId);
    }

    @Override
    public synchronized long[] pending(long subscriptionId) {
        TreeSet<Long> set = pending.get(subscriptionId);
        return set == null ? new long[0] : set.stream().mapToLong(Long::longValue).toArray();
    }

    @Override
    public synchronized int count() {
        return records.size();
    }
}
