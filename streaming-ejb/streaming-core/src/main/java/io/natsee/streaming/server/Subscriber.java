package io.natsee.streaming.server;

import java.time.Duration;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ScheduledFuture;

/**
 * One subscription of a streaming client on a channel: where its messages go, what it has not acknowledged yet,
 * and, outside a queue group, how far it has been sent. Touched only on the server's engine thread.
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

    final long id;
    final String clientId;
    final ChannelState channel;
    final String durableName;
    final QueueGroup group;
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

    /** The key of a plain durable: client id and durable name (the channel holds the map). */
    static String durableKey(String clientId, String durableName) {
        return clientId + "-" + durableName;
    }

    void cancelTimer() {
        if (redeliveryTimer != null) {
            redeliveryTimer.cancel(false);
            redeliveryTimer = null;
        }
    }
}
