package io.natsee.streaming.store.jdbc;

import io.natsee.streaming.store.ClientRecord;
import io.natsee.streaming.store.ServerInfoRecord;
import io.natsee.streaming.store.StoredMessage;
import io.natsee.streaming.store.SubscriptionRecord;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The changes made since the last commit, reduced to what the database needs and written in one
 * transaction by {@link BatchWriter}. Guarded by {@link GroupCommit}'s batch lock while it is open;
 * read by one committer after it is closed.
 *
 * <p>Order within the transaction: the structural changes in the order they were made (server info,
 * clients, channel and subscription rows), then the message inserts, the limit deletions, the
 * pending-set changes, the last-sent raises, and last the channel deletions. That order is correct
 * because channel and subscription ids are never reused and rows refer to each other only by id:
 * a pending insert never precedes its subscription's row, and a deleted channel's rows inserted in
 * the same batch are deleted at the end.
 */
final class WriteBatch {

    /** A structural change, applied in order. */
    sealed interface Change {
    }

    /** Replace the server info. */
    record ServerInfoPut(ServerInfoRecord info) implements Change {
    }

    /** Insert or replace a client, keeping its first-added order {@code ord}. */
    record ClientPut(long ord, ClientRecord client) implements Change {
    }

    /** Delete a client. */
    record ClientDelete(String clientId) implements Change {
    }

    /** Insert a channel row. */
    record ChannelCreate(long channelId, String name) implements Change {
    }

    /** Insert ({@code insert}) or update a subscription row. */
    record SubscriptionPut(long channelId, SubscriptionRecord record, boolean insert) implements Change {
    }

    /** Delete a subscription with its pending rows. */
    record SubscriptionDelete(long subscriptionId) implements Change {
    }

    /** One message row. */
    record MessageRow(long channelId, StoredMessage message, int size) {
    }

    final long epoch;
    final List<Change> changes = new ArrayList<>();
    final List<MessageRow> messages = new ArrayList<>();
    /** channel id to its new first sequence: rows below it are deleted. */
    final Map<Long, Long> trims = new LinkedHashMap<>();
    /** subscription id to (sequence to true = insert, false = delete). */
    final Map<Long, Map<Long, Boolean>> pending = new LinkedHashMap<>();
    /** subscription id to a last sent it must be raised to. */
    final Map<Long, Long> lastSent = new LinkedHashMap<>();
    final List<Long> channelDeletes = new ArrayList<>();
    /** The newest sequence each message log has in this batch, told after the commit. */
    final Map<JdbcMsgStore, Long> appended = new IdentityHashMap<>();
    long nextChannelId = -1;
    long nextSubscriptionId = -1;
    private boolean empty = true;

    private final boolean toggles;

    WriteBatch(long epoch, boolean toggles) {
        this.epoch = epoch;
        this.toggles = toggles;
    }

    boolean isEmpty() {
        return empty;
    }

    void change(Change change) {
        changes.add(change);
        empty = false;
    }

    void addMessage(JdbcMsgStore log, long channelId, StoredMessage message, int size) {
        messages.add(new MessageRow(channelId, message, size));
        appended.put(log, message.sequence());
        empty = false;
    }

    void trim(long channelId, long firstSequence) {
        trims.merge(channelId, firstSequence, Math::max);
        empty = false;
    }

    /** Records that the sequence is pending (see {@link #setPending}). */
    void addPending(long subscriptionId, long sequence) {
        setPending(subscriptionId, sequence, true);
    }

    /** Records that the sequence is no longer pending (see {@link #setPending}). */
    void ack(long subscriptionId, long sequence) {
        setPending(subscriptionId, sequence, false);
    }

    /**
     * With {@code toggles} (the caller knows the pending set and reports only real changes, so
     * adds and acks of one sequence alternate), a change that undoes one in this batch cancels it:
     * the row is as the database has it. Without, the last change wins and is written as an
     * idempotent insert or delete.
     */
    private void setPending(long subscriptionId, long sequence, boolean present) {
        Map<Long, Boolean> ofSubscription = pending.computeIfAbsent(subscriptionId, id -> new HashMap<>());
        if (toggles && ofSubscription.containsKey(sequence)) {
            ofSubscription.remove(sequence);
        } else {
            ofSubscription.put(sequence, present);
        }
        empty = false;
    }

    void raiseLastSent(long subscriptionId, long sequence) {
        lastSent.merge(subscriptionId, sequence, Math::max);
        empty = false;
    }

    void putSubscription(long channelId, SubscriptionRecord record, boolean insert) {
        if (!insert) {
            // The full record carries the last sent in force now; a raise queued before it is obsolete.
            lastSent.remove(record.id());
        }
        change(new SubscriptionPut(channelId, record, insert));
    }

    void deleteSubscription(long subscriptionId) {
        pending.remove(subscriptionId);
        lastSent.remove(subscriptionId);
        change(new SubscriptionDelete(subscriptionId));
    }

    void deleteChannel(long channelId, Iterable<Long> subscriptionIds) {
        for (Long id : subscriptionIds) {
            pending.remove(id);
            lastSent.remove(id);
        }
        trims.remove(channelId);
        channelDeletes.add(channelId);
        empty = false;
    }

    void counters(long nextChannel, long nextSubscription) {
        nextChannelId = nextChannel;
        nextSubscriptionId = nextSubscription;
        empty = false;
    }
}
