package io.natsee.streaming.server;

import io.natsee.streaming.store.ClientRecord;
import io.natsee.streaming.store.RecoveredChannel;
import io.natsee.streaming.store.RecoveredState;
import io.natsee.streaming.store.RecoveredSubscription;
import io.natsee.streaming.store.SubscriptionRecord;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Rebuilds the server's state from what a persistent store recovered, as the reference does after a restart:
 * clients (with their heartbeats, so dead ones are dropped after the usual misses), channels, plain and durable
 * subscriptions, queue groups (the group's position is the highest of its members'), and every unacknowledged
 * message, which is redelivered at once flagged redelivered. Engine thread only.
 */
final class Recovery {
    private static final System.Logger LOG = System.getLogger(Recovery.class.getName());

    private final ServerState state;
    private final ClientRequests clients;
    private final SubscriptionRequests subscriptions;
    private final Deliveries deliveries;
    /** Online subscriptions found in the store whose client is gone: closed as the client's close would. */
    private final List<Subscriber> withoutClient = new ArrayList<>();
    private final List<Subscriber> online = new ArrayList<>();

    Recovery(ServerState state, ClientRequests clients, SubscriptionRequests subscriptions, Deliveries deliveries) {
        this.state = state;
        this.clients = clients;
        this.subscriptions = subscriptions;
        this.deliveries = deliveries;
    }

    void restore(RecoveredState recovered) {
        for (ClientRecord record : recovered.clients()) {
            state.clients.put(record.id(), new ClientState(record.id(), record.heartbeatInbox(),
                    record.connectionId(), record.protocol()));
        }
        int subscriptionCount = 0;
        for (RecoveredChannel recoveredChannel : recovered.channels().values()) {
            ChannelState channel = new ChannelState(recoveredChannel.channel(), state.nowNanos());
            state.channels.put(channel.name, channel);
            for (RecoveredSubscription subscription : recoveredChannel.subscriptions()) {
                restore(channel, subscription);
                subscriptionCount++;
            }
            for (QueueGroup group : channel.groups.values()) {
                mergeShadow(channel, group);
            }
        }
        for (Subscriber orphan : withoutClient) {
            subscriptions.remove(orphan, false);
        }
        LOG.log(System.Logger.Level.INFO, "Recovered {0} channel(s)", state.channels.size());
        if (!state.clients.isEmpty() || subscriptionCount > 0) {
            LOG.log(System.Logger.Level.INFO, "Recovered {0} client(s) and {1} subscription(s)",
                    state.clients.size(), subscriptionCount);
        }
        for (ClientState client : state.clients.values()) {
            clients.scheduleHeartbeat(client);
        }
        for (Subscriber subscriber : online) {
            if (!subscriber.offline && !subscriber.pending.isEmpty()) {
                LOG.log(System.Logger.Level.DEBUG, "Redelivering to subid={0}, channel={1}", subscriber.id,
                        subscriber.channel.name);
                deliveries.redeliverAllPending(subscriber);
            }
        }
        for (ChannelState channel : state.channels.values()) {
            channel.deliverAvailable(deliveries);
        }
        state.flushNow();
    }

    private void restore(ChannelState channel, RecoveredSubscription recovered) {
        SubscriptionRecord record = recovered.record();
        QueueGroup group = null;
        if (!record.queueGroup().isEmpty()) {
            group = channel.groups.computeIfAbsent(record.queueGroup(),
                    name -> new QueueGroup(name, record.durable()));
            group.lastSent = Math.max(group.lastSent, record.lastSent());
        }
        Subscriber subscriber = new Subscriber(record.id(), record.clientId(), channel,
                group == null ? record.durableName() : "", group, record.inbox(), record.ackInbox(),
                Math.max(1, record.maxInFlight()), Duration.ofSeconds(Math.max(1, record.ackWaitSeconds())));
        subscriber.lastSent = record.lastSent();
        subscriber.offline = record.closed();
        long now = System.nanoTime();
        for (long sequence : recovered.pending()) {
            subscriber.pending.put(sequence, new Subscriber.Pending(1, now));
        }
        if (group != null) {
            if (subscriber.offline) {
                subscriber.clientId = "";
                if (group.shadow == null) {
                    group.shadow = subscriber;
                } else {
                    absorb(channel, group.shadow, subscriber);
                }
                return;
            }
            group.members.add(subscriber);
        } else {
            if (!subscriber.durableName.isEmpty()) {
                channel.durables.put(Subscriber.durableKey(subscriber.clientId, subscriber.durableName), subscriber);
            }
            if (subscriber.offline) {
                return;
            }
            channel.plain.add(subscriber);
        }
        state.byAckInbox.put(subscriber.ackInbox, subscriber);
        ClientState client = state.clients.get(subscriber.clientId);
        if (client == null) {
            withoutClient.add(subscriber);
        } else {
            client.subscriptions.add(subscriber);
            online.add(subscriber);
        }
    }

    /** A durable group found with members and a shadow too (a crash between two writes): members take it over. */
    private void mergeShadow(ChannelState channel, QueueGroup group) {
        if (group.shadow != null && !group.members.isEmpty()) {
            absorb(channel, group.members.get(0), group.shadow);
            group.shadow = null;
        }
    }

    /** Moves the unacknowledged messages of {@code from} into {@code into} and deletes {@code from}'s record. */
    private void absorb(ChannelState channel, Subscriber into, Subscriber from) {
        for (Map.Entry<Long, Subscriber.Pending> entry : from.pending.entrySet()) {
            if (into.pending.putIfAbsent(entry.getKey(), entry.getValue()) == null) {
                channel.subscriptions.addPending(into.id, entry.getKey());
            }
        }
        channel.subscriptions.delete(from.id);
    }
}
