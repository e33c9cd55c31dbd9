package io.natsee.streaming.server;

import com.google.protobuf.InvalidProtocolBufferException;
import io.nats.client.Message;
import io.nats.client.NUID;
import io.natsee.streaming.protocol.Ack;
import io.natsee.streaming.protocol.MsgProto;
import io.natsee.streaming.protocol.StartPosition;
import io.natsee.streaming.protocol.SubscriptionRequest;
import io.natsee.streaming.protocol.SubscriptionResponse;
import io.natsee.streaming.protocol.UnsubscribeRequest;
import io.natsee.streaming.store.ChannelNames;
import io.natsee.streaming.store.StoredMessage;
import io.natsee.streaming.store.SubscriptionRecord;

import java.time.Duration;
import java.util.Map;

/**
 * Subscription requests (subscribe, unsubscribe, close), acknowledgements and redelivery, with
 * nats-streaming-server's rules for durable, queue and durable queue subscriptions. Engine thread only.
 */
final class SubscriptionRequests implements ChannelState.Delivery {
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

    SubscriptionRequests(ServerState state) {
        this.state = state;
    }

    void subscribe(Message message) {
        SubscriptionRequest request;
        try {
            request = SubscriptionRequest.parseFrom(data(message));
        } catch (InvalidProtocolBufferException e) {
            respond(message, "", INVALID_SUBSCRIPTION);
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
        try {
            channel = state.channel(request.getSubject());
        } catch (Storage.LimitException e) {
            respond(message, "", e.getMessage());
            return;
        }
        String queue = request.getQGroup();
        String durable = request.getDurableName();
        String ackInbox = state.subjects.acks() + "." + NUID.nextGlobal();
        Duration ackWait = Duration.ofSeconds(request.getAckWaitInSecs());
        Subscriber subscriber;
        if (!queue.isEmpty()) {
            String groupName = durable.isEmpty() ? queue : durable + ":" + queue;
            QueueGroup group = channel.groups.get(groupName);
            boolean fresh = group == null;
            if (fresh) {
                if (atSubscriptionLimit(channel)) {
                    respond(message, "", TOO_MANY_SUBSCRIPTIONS);
                    return;
                }
                group = new QueueGroup(groupName, !durable.isEmpty());
                group.lastSent = startAfter(channel, request);
                channel.groups.put(groupName, group);
            }
            subscriber = new Subscriber(state.nextSubscriptionId(), client.id, channel, "", group,
                    request.getInbox(), ackInbox, request.getMaxInFlight(), ackWait);
            group.members.add(subscriber);
            // A resumed durable group's unacknowledged messages go to its first member, flagged redelivered.
            adoptOrphans(group, subscriber);
        } else if (!durable.isEmpty()) {
            String key = Subscriber.durableKey(client.id, durable);
            Subscriber existing = channel.durables.get(key);
            if (existing != null && !existing.offline) {
                LOG.log(System.Logger.Level.ERROR, "[Client:{0}] Duplicate durable subscription registration",
                        client.id);
                respond(message, "", DUPLICATE_DURABLE);
                return;
            }
            if (existing != null) {
                subscriber = existing;
                subscriber.inbox = request.getInbox();
                subscriber.ackInbox = ackInbox;
                subscriber.maxInFlight = request.getMaxInFlight();
                subscriber.ackWait = ackWait;
                subscriber.offline = false;
                LOG.log(System.Logger.Level.DEBUG, "[Client:{0}] Resumed durable subscription, subject={1}",
                        client.id, channel.name);
            } else {
                if (atSubscriptionLimit(channel)) {
                    respond(message, "", TOO_MANY_SUBSCRIPTIONS);
                    return;
                }
                subscriber = new Subscriber(state.nextSubscriptionId(), client.id, channel, durable, null,
                        request.getInbox(), ackInbox, request.getMaxInFlight(), ackWait);
                subscriber.lastSent = startAfter(channel, request);
                channel.durables.put(key, subscriber);
            }
            channel.plain.add(subscriber);
        } else {
            if (atSubscriptionLimit(channel)) {
                respond(message, "", TOO_MANY_SUBSCRIPTIONS);
                return;
            }
            subscriber = new Subscriber(state.nextSubscriptionId(), client.id, channel, "", null,
                    request.getInbox(), ackInbox, request.getMaxInFlight(), ackWait);
            subscriber.lastSent = startAfter(channel, request);
            channel.plain.add(subscriber);
        }
        client.subscriptions.add(subscriber);
        state.byAckInbox.put(ackInbox, subscriber);
        persist(subscriber);
        respond(message, ackInbox, "");
        redeliverAllPending(subscriber);
        channel.deliverTo(subscriber, this);
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

    private boolean atSubscriptionLimit(ChannelState channel) {
        int max = state.options.limits().forChannel(channel.name).maxSubscriptions();
        return max > 0 && channel.subscriptionCount() >= max;
    }

    /** The sequence after which a new subscription starts, from its start position. */
    private long startAfter(ChannelState channel, SubscriptionRequest request) {
        ChannelLog log = channel.log;
        long first = log.firstSequence();
        long last = log.lastSequence();
        switch (request.getStartPosition()) {
            case First:
                return first - 1;
            case LastReceived:
                return last > 0 && last >= first ? last - 1 : last;
            case TimeDeltaStart: {
                long since = state.nowNanos() - request.getStartTimeDelta();
                return log.sequenceAtOrAfter(since) - 1;
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
        remove(subscriber, !closeOnly);
        respond(message, "", "");
    }

    /**
     * Takes a subscription off line. A plain subscription is deleted; a durable one is suspended (kept with its
     * position and unacknowledged messages) unless {@code unsubscribe}; a queue member's unacknowledged messages
     * go to the other members.
     */
    void remove(Subscriber subscriber, boolean unsubscribe) {
        ChannelState channel = subscriber.channel;
        state.byAckInbox.remove(subscriber.ackInbox);
        subscriber.cancelTimer();
        if (subscriber.group != null) {
            QueueGroup group = subscriber.group;
            group.members.remove(subscriber);
            state.storage.removeSubscription(channel.name, subscriber.id);
            if (group.members.isEmpty()) {
                if (group.durable && !unsubscribe) {
                    group.orphaned.putAll(subscriber.pending);
                    LOG.log(System.Logger.Level.DEBUG, "Suspended durable queue subscription {0}", group.name);
                } else {
                    channel.groups.remove(group.name);
                }
            } else {
                for (Map.Entry<Long, Subscriber.Pending> entry : subscriber.pending.entrySet()) {
                    Subscriber other = group.members.get(0);
                    for (Subscriber member : group.members) {
                        if (member.pending.size() < other.pending.size()) {
                            other = member;
                        }
                    }
                    StoredMessage stored = channel.log.lookup(entry.getKey());
                    if (stored != null) {
                        send(other, stored, true, entry.getValue().deliveries);
                    }
                }
                channel.deliverTo(group.members.get(0), this);
            }
            subscriber.pending.clear();
            return;
        }
        channel.plain.remove(subscriber);
        if (subscriber.isDurable() && !unsubscribe) {
            subscriber.offline = true;
            persist(subscriber);
            LOG.log(System.Logger.Level.DEBUG, "[Client:{0}] Suspended durable subscription, subject={1}",
                    subscriber.clientId, channel.name);
            return;
        }
        if (subscriber.isDurable()) {
            channel.durables.remove(Subscriber.durableKey(subscriber.clientId, subscriber.durableName));
        }
        state.storage.removeSubscription(channel.name, subscriber.id);
    }

    void ack(Message message) {
        Subscriber subscriber = state.byAckInbox.get(message.getSubject());
        if (subscriber == null) {
            return;
        }
        Ack ack;
        try {
            ack = Ack.parseFrom(data(message));
        } catch (InvalidProtocolBufferException e) {
            return;
        }
        if (subscriber.pending.remove(ack.getSequence()) != null) {
            state.storage.ack(subscriber.channel.name, subscriber.id, ack.getSequence());
            if (subscriber.pending.isEmpty()) {
                subscriber.cancelTimer();
            }
            subscriber.channel.deliverTo(subscriber, this);
        }
    }

    @Override
    public void send(Subscriber subscriber, StoredMessage message, boolean redelivered, int redeliveryCount) {
        int maxDeliveries = state.options.maxDeliveries();
        if (redelivered && maxDeliveries > 0 && redeliveryCount >= maxDeliveries) {
            deadLetter(subscriber, message);
            return;
        }
        MsgProto.Builder proto = MsgProto.newBuilder()
                .setSequence(message.sequence())
                .setSubject(message.subject())
                .setReply(message.reply())
                .setData(com.google.protobuf.ByteString.copyFrom(message.data()))
                .setTimestamp(message.timestamp())
                .setRedelivered(redelivered)
                .setRedeliveryCount(redeliveryCount);
        byte[] bytes = proto.build().toByteArray();
        state.publish(subscriber.inbox, bytes);
        state.outMsgs.incrementAndGet();
        state.outBytes.addAndGet(bytes.length);
        long deadline = System.nanoTime() + subscriber.ackWait.toNanos();
        Subscriber.Pending pending = subscriber.pending.get(message.sequence());
        if (pending == null) {
            subscriber.pending.put(message.sequence(), new Subscriber.Pending(redeliveryCount + 1, deadline));
            state.storage.addPending(subscriber.channel.name, subscriber.id, message.sequence());
        } else {
            pending.deliveries = redeliveryCount + 1;
            pending.deadlineNanos = deadline;
        }
        if (subscriber.group == null) {
            persistPosition(subscriber);
        }
        if (subscriber.redeliveryTimer == null) {
            scheduleRedelivery(subscriber, subscriber.ackWait.toNanos());
        }
    }

    /** Beyond the reference: a message delivered maxDeliveries times goes to the dead-letter channel, once. */
    private void deadLetter(Subscriber subscriber, StoredMessage message) {
        subscriber.pending.remove(message.sequence());
        state.storage.ack(subscriber.channel.name, subscriber.id, message.sequence());
        String target = state.options.deadLetterChannel();
        if (!target.isEmpty() && !target.equals(subscriber.channel.name)) {
            try {
                ChannelState dead = state.channel(target);
                dead.log.append(message.subject(), message.reply(), message.data(), state.nowNanos());
                state.storage.flush();
                dead.deliverAvailable(this);
            } catch (Storage.LimitException e) {
                LOG.log(System.Logger.Level.WARNING, "dead-letter channel {0} refused a message: {1}", target,
                        e.getMessage());
            }
        }
    }

    private void scheduleRedelivery(Subscriber subscriber, long delayNanos) {
        subscriber.redeliveryTimer = state.schedule(() -> redeliverExpired(subscriber), delayNanos);
    }

    private void redeliverExpired(Subscriber subscriber) {
        subscriber.redeliveryTimer = null;
        if (subscriber.offline || subscriber.pending.isEmpty() || !isOnline(subscriber)) {
            return;
        }
        long now = System.nanoTime();
        long next = Long.MAX_VALUE;
        for (Map.Entry<Long, Subscriber.Pending> entry : new java.util.ArrayList<>(subscriber.pending.entrySet())) {
            Subscriber.Pending pending = entry.getValue();
            if (pending.deadlineNanos <= now) {
                StoredMessage stored = subscriber.channel.log.lookup(entry.getKey());
                if (stored == null) {
                    subscriber.pending.remove(entry.getKey());
                    continue;
                }
                send(subscriber, stored, true, pending.deliveries);
            }
            Subscriber.Pending after = subscriber.pending.get(entry.getKey());
            if (after != null) {
                next = Math.min(next, after.deadlineNanos);
            }
        }
        if (next != Long.MAX_VALUE && subscriber.redeliveryTimer == null) {
            scheduleRedelivery(subscriber, next - now);
        }
        subscriber.channel.deliverTo(subscriber, this);
    }

    private boolean isOnline(Subscriber subscriber) {
        return state.byAckInbox.get(subscriber.ackInbox) == subscriber;
    }

    /** A resumed durable's unacknowledged messages are sent again first, flagged redelivered. */
    private void redeliverAllPending(Subscriber subscriber) {
        if (subscriber.pending.isEmpty()) {
            return;
        }
        for (Map.Entry<Long, Subscriber.Pending> entry : new java.util.ArrayList<>(subscriber.pending.entrySet())) {
            StoredMessage stored = subscriber.channel.log.lookup(entry.getKey());
            if (stored == null) {
                subscriber.pending.remove(entry.getKey());
            } else {
                send(subscriber, stored, true, entry.getValue().deliveries);
            }
        }
    }

    private void adoptOrphans(QueueGroup group, Subscriber member) {
        if (group.orphaned.isEmpty()) {
            return;
        }
        member.pending.putAll(group.orphaned);
        group.orphaned.clear();
    }

    private void persist(Subscriber subscriber) {
        state.storage.saveSubscription(subscriber.channel.name, record(subscriber));
    }

    private void persistPosition(Subscriber subscriber) {
        if (subscriber.isDurable()) {
            state.storage.saveSubscription(subscriber.channel.name, record(subscriber));
        }
    }

    private SubscriptionRecord record(Subscriber subscriber) {
        String queue = subscriber.group == null ? "" : subscriber.group.name;
        long lastSent = subscriber.group == null ? subscriber.lastSent : subscriber.group.lastSent;
        return new SubscriptionRecord(subscriber.id, subscriber.clientId, queue, subscriber.inbox,
                subscriber.ackInbox, subscriber.maxInFlight, (int) subscriber.ackWait.toSeconds(),
                subscriber.durableName, lastSent, subscriber.isDurable(), subscriber.offline, Map.of());
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
