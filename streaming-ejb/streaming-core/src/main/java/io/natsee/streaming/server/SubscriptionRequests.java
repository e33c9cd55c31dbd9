package io.natsee.streaming.server;

import com.google.protobuf.InvalidProtocolBufferException;
import io.nats.client.Message;
import io.nats.client.NUID;
import io.natsee.streaming.protocol.StartPosition;
import io.natsee.streaming.protocol.SubscriptionRequest;
import io.natsee.streaming.protocol.SubscriptionResponse;
import io.natsee.streaming.protocol.UnsubscribeRequest;
import io.natsee.streaming.store.ChannelNames;
import io.natsee.streaming.store.StoreException;
import io.natsee.streaming.store.StoredMessage;
import io.natsee.streaming.store.SubscriptionRecord;
import io.natsee.streaming.store.TooManySubscriptionsException;

import java.time.Duration;
import java.util.Map;

/**
 * Subscription requests (subscribe, unsubscribe, close) with nats-streaming-server's rules for durable, queue and
 * durable queue subscriptions; each change is stored and flushed before the answer. Engine thread only.
 */
final class SubscriptionRequests {
    private static final System.Logger LOG = System.getLogger(SubscriptionRequests.class.getName());
    static final String INVALID_SUBSCRIPTION = "stan: invalid subscription request";
    static final String MISSING_CLIENT = "stan: clientID missing";
    static final String INVALID_ACK_WAIT = "stan: invalid ack wait time, should be >= 1s";
    static final String INVALID_MAX_IN_FLIGHT = "stan: invalid MaxInflight, should be >= 1";
    static final String INVALID_START = "stan: invalid start position";
    static final String INVALID_SUBJECT = "stan: invalid subject";
    static final String UNKNOWN_CLIENT = "stan: unknown clientID";
    static final String DUPLICATE_DURABLE = "stan: duplicate durable registration";
    static final String INVALID_DURABLE_NAME =
            "stan: durable name of a durable queue subscriber can't contain the character ':'";
    static final String INVALID_UNSUBSCRIBE = "stan: invalid unsubscribe request";
    static final String INVALID_SUB = "stan: invalid subscription";
    static final String TOO_MANY_SUBSCRIPTIONS = "stan: too many subscriptions per channel";

    private final ServerState state;
    private final Deliveries deliveries;

    SubscriptionRequests(ServerState state, Deliveries deliveries) {
        this.state = state;
        this.deliveries = deliveries;
    }

    void subscribe(Message message) {
        SubscriptionRequest request;
        try {
            request = SubscriptionRequest.parseFrom(data(message));
        } catch (InvalidProtocolBufferException e) {
            respond(message, "", INVALID_SUBSCRIPTION);
            return;
        }
        if (ChannelNames.isValid(request.getSubject(), false) && !state.owns(request.getSubject())) {
            return;
        }
        String error = check(request);
        if (error != null) {
            LOG.log(System.Logger.Level.ERROR, "[Client:{0}] subscription request refused: {1}",
                    request.getClientID(), error);
            respond(message, "", error);
            return;
        }
        ClientState client = state.clients.get(request.getClientID());
        ChannelState channel;
        Subscriber subscriber;
        String ackInbox = state.subjects.acks() + "." + NUID.nextGlobal();
        try {
            channel = state.channel(request.getSubject());
            if (!request.getQGroup().isEmpty()) {
                subscriber = joinGroup(channel, client, request, ackInbox);
            } else if (!request.getDurableName().isEmpty()) {
                subscriber = durable(channel, client, request, ackInbox);
                if (subscriber == null) {
                    respond(message, "", DUPLICATE_DURABLE);
                    return;
                }
            } else {
                subscriber = create(channel, client, request, ackInbox, null, startAfter(channel, request));
                channel.plain.add(subscriber);
            }
            client.subscriptions.add(subscriber);
            state.byAckInbox.put(ackInbox, subscriber);
            state.flushNow();
        } catch (TooManySubscriptionsException e) {
            respond(message, "", TOO_MANY_SUBSCRIPTIONS);
            return;
        } catch (StoreException e) {
            LOG.log(System.Logger.Level.ERROR, "[Client:{0}] subscription on {1} not stored: {2}",
                    request.getClientID(), request.getSubject(), e.getMessage());
            respond(message, "", e.getMessage());
            return;
        }
        respond(message, ackInbox, "");
        deliveries.redeliverAllPending(subscriber);
        channel.deliverTo(subscriber, deliveries);
    }

    /** A new subscription, stored first so that it gets its id (a refusal of the store leaves nothing behind). */
    private Subscriber create(ChannelState channel, ClientState client, SubscriptionRequest request, String ackInbox,
                              QueueGroup group, long lastSent) {
        Duration ackWait = Duration.ofSeconds(request.getAckWaitInSecs());
        String durableName = group == null ? request.getDurableName() : "";
        boolean durable = group == null ? !durableName.isEmpty() : group.durable;
        SubscriptionRecord stored = channel.subscriptions.create(Subscriber.record(0, client.id,
                group == null ? "" : group.name, request.getInbox(), ackInbox, request.getMaxInFlight(), ackWait,
                durableName, lastSent, durable, false));
        Subscriber subscriber = new Subscriber(stored.id(), client.id, channel, durableName, group,
                request.getInbox(), ackInbox, request.getMaxInFlight(), ackWait);
        subscriber.lastSent = lastSent;
        return subscriber;
    }

    /** A queue member: a new group starts at the start position, a late joiner's start position is ignored. */
    private Subscriber joinGroup(ChannelState channel, ClientState client, SubscriptionRequest request,
                                 String ackInbox) {
        String durable = request.getDurableName();
        String groupName = durable.isEmpty() ? request.getQGroup() : durable + ":" + request.getQGroup();
        QueueGroup group = channel.groups.get(groupName);
        if (group == null) {
            group = new QueueGroup(groupName, !durable.isEmpty());
            group.lastSent = startAfter(channel, request);
            Subscriber first = create(channel, client, request, ackInbox, group, group.lastSent);
            channel.groups.put(groupName, group);
            group.members.add(first);
            return first;
        }
        Subscriber shadow = group.shadow;
        if (shadow != null && group.members.isEmpty()) {
            // A suspended durable group: the new member takes over its record and unacknowledged messages.
            resume(shadow, client, request, ackInbox);
            group.shadow = null;
            group.members.add(shadow);
            LOG.log(System.Logger.Level.DEBUG, "[Client:{0}] Resumed durable queue subscription {1}", client.id,
                    groupName);
            return shadow;
        }
        Subscriber member = create(channel, client, request, ackInbox, group, group.lastSent);
        group.members.add(member);
        return member;
    }

    /** A plain durable: resumed where it was when offline (start position ignored), null when already online. */
    private Subscriber durable(ChannelState channel, ClientState client, SubscriptionRequest request,
                               String ackInbox) {
        String key = Subscriber.durableKey(client.id, request.getDurableName());
        Subscriber existing = channel.durables.get(key);
        if (existing != null && !existing.offline) {
            LOG.log(System.Logger.Level.ERROR, "[Client:{0}] Duplicate durable subscription registration",
                    client.id);
            return null;
        }
        Subscriber subscriber;
        if (existing != null) {
            subscriber = existing;
            resume(subscriber, client, request, ackInbox);
            LOG.log(System.Logger.Level.DEBUG, "[Client:{0}] Resumed durable subscription, subject={1}",
                    client.id, channel.name);
        } else {
            subscriber = create(channel, client, request, ackInbox, null, startAfter(channel, request));
            channel.durables.put(key, subscriber);
        }
        channel.plain.add(subscriber);
        return subscriber;
    }

    private void resume(Subscriber subscriber, ClientState client, SubscriptionRequest request, String ackInbox) {
        subscriber.clientId = client.id;
        subscriber.inbox = request.getInbox();
        subscriber.ackInbox = ackInbox;
        subscriber.maxInFlight = request.getMaxInFlight();
        subscriber.ackWait = Duration.ofSeconds(request.getAckWaitInSecs());
        subscriber.offline = false;
        subscriber.channel.subscriptions.update(subscriber.record());
    }

    private String check(SubscriptionRequest request) {
        if (request.getClientID().isEmpty()) {
            return MISSING_CLIENT;
        }
        if (request.getAckWaitInSecs() <= 0) {
            return INVALID_ACK_WAIT;
        }
        if (request.getMaxInFlight() <= 0) {
            return INVALID_MAX_IN_FLIGHT;
        }
        if (request.getStartPositionValue() < 0 || request.getStartPositionValue() > StartPosition.First_VALUE) {
            return INVALID_START;
        }
        if (!ChannelNames.isValid(request.getSubject(), false)) {
            return INVALID_SUBJECT;
        }
        if (!state.clients.containsKey(request.getClientID())) {
            return UNKNOWN_CLIENT;
        }
        if (!request.getQGroup().isEmpty() && request.getDurableName().contains(":")) {
            return INVALID_DURABLE_NAME;
        }
        return null;
    }

    /** The sequence after which a new subscription starts, from its start position. */
    private long startAfter(ChannelState channel, SubscriptionRequest request) {
        long first = channel.firstSequence();
        long last = channel.lastSequence();
        switch (request.getStartPosition()) {
            case First:
                return first - 1;
            case LastReceived:
                return last > 0 && last >= first ? last - 1 : last;
            case TimeDeltaStart: {
                long since = state.nowNanos() - request.getStartTimeDelta();
                return Math.max(first, channel.log.sequenceForTimestamp(since)) - 1;
            }
            case SequenceStart: {
                long asked = request.getStartSequence();
                if (asked > last) {
                    return last;
                }
                return Math.max(asked, first) - 1;
            }
            case NewOnly:
            default:
                return last;
        }
    }

    void unsubscribe(Message message, boolean closeOnly) {
        UnsubscribeRequest request;
        try {
            request = UnsubscribeRequest.parseFrom(data(message));
        } catch (InvalidProtocolBufferException e) {
            respond(message, "", INVALID_UNSUBSCRIBE);
            return;
        }
        if (!state.owns(request.getSubject())) {
            return;
        }
        ClientState client = state.clients.get(request.getClientID());
        if (client == null) {
            respond(message, "", UNKNOWN_CLIENT);
            return;
        }
        Subscriber subscriber = state.byAckInbox.get(request.getInbox());
        if (subscriber == null || !subscriber.clientId.equals(client.id)
                || !subscriber.channel.name.equals(request.getSubject())) {
            LOG.log(System.Logger.Level.ERROR, "[Client:{0}] unsubscribe request for an unknown subscription",
                    client.id);
            respond(message, "", INVALID_SUB);
            return;
        }
        client.subscriptions.remove(subscriber);
        try {
            remove(subscriber, !closeOnly);
            state.flushNow();
        } catch (StoreException e) {
            LOG.log(System.Logger.Level.ERROR, "[Client:{0}] removing a subscription on {1}: {2}", client.id,
                    subscriber.channel.name, e.getMessage());
            respond(message, "", e.getMessage());
            return;
        }
        respond(message, "", "");
    }

    /**
     * Takes a subscription off line. A plain subscription is deleted; a durable one is suspended (kept with its
     * position and unacknowledged messages) unless {@code unsubscribe}; a queue member's unacknowledged messages
     * go to the other members, and the last member of a durable group stays as the group's shadow unless
     * {@code unsubscribe}. Changes the store; the caller flushes.
     */
    void remove(Subscriber subscriber, boolean unsubscribe) {
        ChannelState channel = subscriber.channel;
        state.byAckInbox.remove(subscriber.ackInbox);
        subscriber.cancelTimer();
        if (subscriber.group != null) {
            leaveGroup(subscriber, unsubscribe);
        } else {
            channel.plain.remove(subscriber);
            if (subscriber.isDurable() && !unsubscribe) {
                subscriber.offline = true;
                channel.subscriptions.update(subscriber.record());
                LOG.log(System.Logger.Level.DEBUG, "[Client:{0}] Suspended durable subscription, subject={1}",
                        subscriber.clientId, channel.name);
                return;
            }
            if (subscriber.isDurable()) {
                channel.durables.remove(Subscriber.durableKey(subscriber.clientId, subscriber.durableName));
            }
            channel.subscriptions.delete(subscriber.id);
        }
        if (channel.hasNoSubscription()) {
            channel.lastActivityNanos = state.nowNanos();
        }
    }

    private void leaveGroup(Subscriber subscriber, boolean unsubscribe) {
        ChannelState channel = subscriber.channel;
        QueueGroup group = subscriber.group;
        group.members.remove(subscriber);
        if (group.members.isEmpty()) {
            if (group.durable && !unsubscribe) {
                subscriber.offline = true;
                subscriber.clientId = "";
                group.shadow = subscriber;
                channel.subscriptions.update(subscriber.record());
                LOG.log(System.Logger.Level.DEBUG, "Suspended durable queue subscription {0}", group.name);
            } else {
                channel.groups.remove(group.name);
                channel.subscriptions.delete(subscriber.id);
            }
            return;
        }
        for (Map.Entry<Long, Subscriber.Pending> entry : subscriber.pending.entrySet()) {
            StoredMessage stored = channel.log.lookup(entry.getKey());
            if (stored != null) {
                deliveries.send(group.leastBusy(), stored, true, entry.getValue().deliveries);
            }
        }
        subscriber.pending.clear();
        channel.subscriptions.delete(subscriber.id);
        // The group's position must survive in a remaining member's record.
        Subscriber keeper = group.members.get(0);
        channel.subscriptions.update(keeper.record());
        LOG.log(System.Logger.Level.DEBUG, "Removed member from queue subscription {0}", group.name);
        channel.deliverTo(keeper, deliveries);
    }

    private void respond(Message message, String ackInbox, String error) {
        if (message.getReplyTo() == null) {
            return;
        }
        SubscriptionResponse.Builder response = SubscriptionResponse.newBuilder().setAckInbox(ackInbox);
        if (!error.isEmpty()) {
            response.setError(error);
        }
        state.publish(message.getReplyTo(), response.build().toByteArray());
    }

    private static byte[] data(Message message) {
        return message.getData() == null ? new byte[0] : message.getData();
    }
}
