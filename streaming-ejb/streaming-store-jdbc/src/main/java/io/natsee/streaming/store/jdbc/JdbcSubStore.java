package io.natsee.streaming.store.jdbc;

import io.natsee.streaming.store.ChannelLimits;
import io.natsee.streaming.store.NotFoundException;
import io.natsee.streaming.store.SubStore;
import io.natsee.streaming.store.SubscriptionRecord;
import io.natsee.streaming.store.TooManySubscriptionsException;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.TreeSet;

/**
 * A channel's subscriptions in the database. The ids of the channel's subscriptions are always in
 * memory (existence checks, counts); their state is in the store's {@link SubscriptionCache} with
 * caching on, read from the database otherwise. Changes go into the store's open batch.
 */
final class JdbcSubStore implements SubStore {

    private final JdbcStore store;
    private final long channelId;
    private final ChannelLimits limits;
    private final LinkedHashSet<Long> ids = new LinkedHashSet<>();
    private boolean deleted;

    JdbcSubStore(JdbcStore store, long channelId, ChannelLimits limits) {
        this.store = store;
        this.channelId = channelId;
        this.limits = limits;
    }

    /** Registers a recovered subscription. */
    synchronized void recovered(long subscriptionId) {
        ids.add(subscriptionId);
    }

    /** The channel was deleted: forgets its subscriptions and writes nothing more; returns their ids. */
    synchronized List<Long> markDeleted() {
        deleted = true;
        List<Long> removed = new ArrayList<>(ids);
        for (Long id : removed) {
            store.cache().remove(id);
        }
        return removed;
    }

    @Override
    public SubscriptionRecord create(SubscriptionRecord subscription) {
        SubscriptionRecord stored;
        synchronized (this) {
            store.commit().checkFailure();
            if (limits.maxSubscriptions() > 0 && ids.size() >= limits.maxSubscriptions()) {
                throw new TooManySubscriptionsException();
            }
            stored = subscription.withId(store.nextSubscriptionId());
            ids.add(stored.id());
            if (!deleted) {
                SubscriptionCache.Entry entry = store.noCaching() ? null
                        : new SubscriptionCache.Entry(stored, new TreeSet<>());
                SubscriptionRecord record = stored;
                change(entry, batch -> batch.putSubscription(channelId, record, true));
            }
        }
        flushIfWriteThrough();
        return stored;
    }

    @Override
    public void update(SubscriptionRecord subscription) {
        synchronized (this) {
            requireKnown(subscription.id());
            SubscriptionCache.Entry entry = cached(subscription.id());
            if (entry != null) {
                entry.record = subscription;
            }
            if (!deleted) {
                change(entry, batch -> batch.putSubscription(channelId, subscription, false));
            }
        }
        flushIfWriteThrough();
    }

    @Override
    public void delete(long subscriptionId) {
        synchronized (this) {
            requireKnown(subscriptionId);
            ids.remove(subscriptionId);
            store.cache().remove(subscriptionId);
            if (!deleted) {
                store.commit().change(batch -> batch.deleteSubscription(subscriptionId));
            }
        }
        flushIfWriteThrough();
    }

    @Override
    public void addPending(long subscriptionId, long sequence) {
        synchronized (this) {
            requireKnown(subscriptionId);
            SubscriptionCache.Entry entry = cached(subscriptionId);
            boolean newPending = true;
            boolean raise = true;
            if (entry != null) {
                newPending = entry.pending.add(sequence);
                raise = sequence > entry.record.lastSent();
                if (raise) {
                    entry.record = entry.record.withLastSent(sequence);
                }
            }
            if (deleted || (!newPending && !raise)) {
                return;
            }
            boolean insert = newPending;
            boolean raiseLastSent = raise;
            change(entry, batch -> {
                if (insert) {
                    batch.addPending(subscriptionId, sequence);
                }
                if (raiseLastSent) {
                    batch.raiseLastSent(subscriptionId, sequence);
                }
            });
        }
        flushIfWriteThrough();
    }

    @Override
    public void ack(long subscriptionId, long sequence) {
        synchronized (this) {
            if (!ids.contains(subscriptionId)) {
                return;
            }
            SubscriptionCache.Entry entry = cached(subscriptionId);
            if ((entry != null && !entry.pending.remove(sequence)) || deleted) {
                return;
            }
            change(entry, batch -> batch.ack(subscriptionId, sequence));
        }
        flushIfWriteThrough();
    }

    @Override
    public SubscriptionRecord get(long subscriptionId) {
        synchronized (this) {
            if (!ids.contains(subscriptionId)) {
                return null;
            }
            SubscriptionCache.Entry entry = cached(subscriptionId);
            if (entry != null) {
                return entry.record;
            }
        }
        return store.reader().subscription(subscriptionId);
    }

    @Override
    public long[] pending(long subscriptionId) {
        synchronized (this) {
            if (!ids.contains(subscriptionId)) {
                return new long[0];
            }
            SubscriptionCache.Entry entry = cached(subscriptionId);
            if (entry != null) {
                return entry.pending.stream().mapToLong(Long::longValue).toArray();
            }
        }
        return store.reader().pending(subscriptionId);
    }

    @Override
    public synchronized int count() {
        return ids.size();
    }

    private void requireKnown(long subscriptionId) {
        store.commit().checkFailure();
        if (!ids.contains(subscriptionId)) {
            throw new NotFoundException("subscription " + subscriptionId + " not found");
        }
    }

    /**
     * The cached state, read from the database on a miss; null when caching is off. Caller holds
     * this store's lock.
     */
    private SubscriptionCache.Entry cached(long subscriptionId) {
        if (store.noCaching()) {
            return null;
        }
        SubscriptionCache cache = store.cache();
        SubscriptionCache.Entry entry = cache.get(subscriptionId);
        if (entry == null) {
            SubscriptionRecord record = store.reader().subscription(subscriptionId);
            if (record == null) {
                throw new NotFoundException("subscription " + subscriptionId + " not found in the database");
            }
            long[] pending = store.reader().pending(subscriptionId);
            TreeSet<Long> set = new TreeSet<>();
            for (long sequence : pending) {
                set.add(sequence);
            }
            entry = new SubscriptionCache.Entry(record, set);
            cache.putClean(subscriptionId, entry);
        }
        return entry;
    }

    /** Adds a change to the open batch, keeping the entry (if any) in the cache until it is committed. */
    private void change(SubscriptionCache.Entry entry, java.util.function.Consumer<WriteBatch> change) {
        if (entry == null) {
            store.commit().change(change);
            return;
        }
        SubscriptionCache cache = store.cache();
        cache.pin(entry.record.id(), entry);
        cache.dirty(entry, store.commit().change(change));
    }

    private void flushIfWriteThrough() {
        if (store.noCaching()) {
            store.flush();
        }
    }
}
