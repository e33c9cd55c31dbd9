package io.natsee.streaming.server;

import io.natsee.streaming.store.StoredMessage;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A channel as the server serves it: its message log and its subscriptions (plain, durable, queue groups), and
 * the delivery of what each subscription may receive next. Touched only on the engine thread.
 */
final class ChannelState {
    final String name;
    final ChannelLog log;
    /** Online subscriptions outside queue groups, in subscription order. */
    final List<Subscriber> plain = new ArrayList<>();
    /** Plain durables by {@link Subscriber#durableKey}, online or offline. */
    final Map<String, Subscriber> durables = new HashMap<>();
    /** Queue groups by name ({@code durable:group} for durable ones). */
    final Map<String, QueueGroup> groups = new LinkedHashMap<>();
    long lastActivityNanos;

    ChannelState(String name, ChannelLog log) {
        this.name = name;
        this.log = log;
    }

    /** Every subscription of this channel, online or offline (for monitoring and limits). */
    List<Subscriber> allSubscriptions() {
        List<Subscriber> all = new ArrayList<>(plain);
        for (Subscriber durable : durables.values()) {
            if (durable.offline) {
                all.add(durable);
            }
        }
        for (QueueGroup group : groups.values()) {
            all.addAll(group.members);
        }
        return all;
    }

    int subscriptionCount() {
        int count = plain.size();
        for (Subscriber durable : durables.values()) {
            if (durable.offline) {
                count++;
            }
        }
        for (QueueGroup group : groups.values()) {
            count += group.members.isEmpty() ? 1 : group.members.size();
        }
        return count;
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
                long first = log.firstSequence();
                subscriber.lastSent = Math.max(sequence, first - 1);
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
                group.lastSent = Math.max(sequence, log.firstSequence() - 1);
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
