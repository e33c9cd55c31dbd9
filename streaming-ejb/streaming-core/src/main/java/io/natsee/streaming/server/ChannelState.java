package io.natsee.streaming.server;

import io.natsee.streaming.store.Channel;
import io.natsee.streaming.store.MsgStore;
import io.natsee.streaming.store.MsgStoreState;
import io.natsee.streaming.store.StoredMessage;
import io.natsee.streaming.store.SubStore;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A channel as the server serves it: the store's channel (message log and subscription records) and the
 * subscriptions in memory (plain, durable, queue groups), with the delivery of what each subscription may
 * receive next. Touched only on the engine thread.
 */
final class ChannelState {
    final String name;
    final Channel stored;
    final MsgStore log;
    final SubStore subscriptions;
    /** Online subscriptions outside queue groups, in subscription order. */
    final List<Subscriber> plain = new ArrayList<>();
    /** Plain durables by {@link Subscriber#durableKey}, online or offline. */
    final Map<String, Subscriber> durables = new HashMap<>();
    /** Queue groups by name ({@code durable:group} for durable ones). */
    final Map<String, QueueGroup> groups = new LinkedHashMap<>();
    /** When the channel last got a message or lost its last subscription (engine clock, ns). */
    long lastActivityNanos;

    ChannelState(Channel stored, long nowNanos) {
        this.name = stored.name();
        this.stored = stored;
        this.log = stored.messages();
        this.subscriptions = stored.subscriptions();
        this.lastActivityNanos = nowNanos;
    }

    /** The oldest sequence held, or {@code last + 1} when the log holds nothing (1 for a new channel). */
    long firstSequence() {
        long first = log.firstSequence();
        return first == 0 ? 1 : first;
    }

    long lastSequence() {
        return log.lastSequence();
    }

    MsgStoreState figures() {
        return log.state();
    }

    /** Every subscription of this channel, online or offline (for monitoring). */
    List<Subscriber> allSubscriptions() {
        List<Subscriber> all = new ArrayList<>(plain);
        for (Subscriber durable : durables.values()) {
            if (durable.offline) {
                all.add(durable);
            }
        }
        for (QueueGroup group : groups.values()) {
            if (group.members.isEmpty() && group.shadow != null) {
                all.add(group.shadow);
            }
            all.addAll(group.members);
        }
        return all;
    }

    /** Subscriptions as the store counts them: online ones, offline durables and suspended durable groups. */
    int subscriptionCount() {
        return subscriptions.count();
    }

    /** Whether no subscription (online or offline) is left on the channel. */
    boolean hasNoSubscription() {
        return plain.isEmpty() && durables.isEmpty() && groups.isEmpty();
    }

    /** Sends what each online subscription may receive now. */
    void deliverAvailable(Delivery delivery) {
        long last = log.lastSequence();
        for (int i = 0; i < plain.size(); i++) {
            deliverTo(plain.get(i), last, delivery);
        }
        for (QueueGroup group : groups.values()) {
            deliverTo(group, last, delivery);
        }
    }

    void deliverTo(Subscriber subscriber, Delivery delivery) {
        if (subscriber.group != null) {
            deliverTo(subscriber.group, log.lastSequence(), delivery);
        } else {
            deliverTo(subscriber, log.lastSequence(), delivery);
        }
    }

    private void deliverTo(Subscriber subscriber, long last, Delivery delivery) {
        while (subscriber.hasRoom() && subscriber.lastSent < last) {
            long sequence = subscriber.lastSent + 1;
            StoredMessage message = log.lookup(sequence);
            if (message == null) {
                // Dropped by a limit: continue from the oldest message kept.
                subscriber.lastSent = Math.max(sequence, firstSequence() - 1);
                continue;
            }
            subscriber.lastSent = sequence;
            delivery.send(subscriber, message, false, 0);
        }
    }

    private void deliverTo(QueueGroup group, long last, Delivery delivery) {
        while (group.lastSent < last) {
            Subscriber member = group.pick();
            if (member == null) {
                return;
            }
            long sequence = group.lastSent + 1;
            StoredMessage message = log.lookup(sequence);
            if (message == null) {
                group.lastSent = Math.max(sequence, firstSequence() - 1);
                continue;
            }
            group.lastSent = sequence;
            delivery.send(member, message, false, 0);
        }
    }

    /** Sends a message (first delivery or redelivery) to a subscriber and tracks it as pending. */
    interface Delivery {
        void send(Subscriber subscriber, StoredMessage message, boolean redelivered, int redeliveryCount);
    }
}
