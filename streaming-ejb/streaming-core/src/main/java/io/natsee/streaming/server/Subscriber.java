package io.natsee.streaming.server;

import io.natsee.streaming.store.SubscriptionRecord;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ScheduledFuture;

/**
 * One subscription of a streaming client on a channel: its store record's id, where its messages go, what it has
 * not acknowledged yet, and, outside a queue group, how far it has been sent. Touched only on the engine thread.
 */
final class Subscriber {

    /** A message sent and not acknowledged yet. */
    static final class Pending {
        int deliveries;
        long deadlineNanos;

        Pending(int deliveries, long deadlineNanos) {
            this.deliveries = deliveries;
            this.deadlineNanos = deadlineNanos;
        }
    }

    /** The id of its record in the channel's {@link io.natsee.streaming.store.SubStore}. */
    final long id;
    final ChannelState channel;
    final String durableName;
    final QueueGroup group;
    /** The owning client; {@code ""} for the offline shadow of a durable queue group. */
    String clientId;
    String inbox;
    String ackInbox;
    int maxInFlight;
    Duration ackWait;
    /** Outside a queue group: the last sequence sent to this subscriber. */
    long lastSent;
    final TreeMap<Long, Pending> pending = new TreeMap<>();
    boolean offline;
    ScheduledFuture<?> redeliveryTimer;

    Subscriber(long id, String clientId, ChannelState channel, String durableName, QueueGroup group, String inbox,
               String ackInbox, int maxInFlight, Duration ackWait) {
        this.id = id;
        this.clientId = Objects.requireNonNull(clientId);
        this.channel = channel;
        this.durableName = Objects.requireNonNullElse(durableName, "");
        this.group = group;
        this.inbox = inbox;
        this.ackInbox = ackInbox;
        this.maxInFlight = maxInFlight;
        this.ackWait = ackWait;
    }

    boolean isDurable() {
        return !durableName.isEmpty() || (group != null && group.durable);
    }

    boolean hasRoom() {
        return !offline && pending.size() < maxInFlight;
    }

    boolean isStalled() {
        return pending.size() >= maxInFlight;
    }

    /** The position this subscription delivers from: its own, or its queue group's. */
    long position() {
        return group == null ? lastSent : group.lastSent;
    }

    /** The key of a plain durable: client id and durable name (the channel holds the map). */
    static String durableKey(String clientId, String durableName) {
        return clientId + "-" + durableName;
    }

    /** This subscription as the store keeps it. */
    SubscriptionRecord record() {
        return record(id, clientId, group == null ? "" : group.name, inbox, ackInbox, maxInFlight, ackWait,
                durableName, position(), isDurable(), offline);
    }

    /** A record for a subscription not created yet (id 0, assigned by the store). */
    static SubscriptionRecord record(long id, String clientId, String queueGroup, String inbox, String ackInbox,
                                     int maxInFlight, Duration ackWait, String durableName, long lastSent,
                                     boolean durable, boolean offline) {
        return new SubscriptionRecord(id, clientId, queueGroup, inbox, ackInbox, maxInFlight,
                (int) ackWait.toSeconds(), durableName, lastSent, durable, offline, Map.of());
    }

    void cancelTimer() {
        if (redeliveryTimer != null) {
            redeliveryTimer.cancel(false);
            redeliveryTimer = null;
        }
    }
}
