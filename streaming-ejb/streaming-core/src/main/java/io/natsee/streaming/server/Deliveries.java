package io.natsee.streaming.server;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnsafeByteOperations;
import io.nats.client.Message;
import io.natsee.streaming.protocol.Ack;
import io.natsee.streaming.protocol.MsgProto;
import io.natsee.streaming.store.StoreException;
import io.natsee.streaming.store.StoredMessage;

import java.util.ArrayList;
import java.util.Map;

/**
 * Sending messages to subscriptions, their acknowledgements, and redelivery once per ack wait: every message
 * sent is recorded as pending in the store, every ack removes it. Engine thread only.
 */
final class Deliveries implements ChannelState.Delivery {
    private static final System.Logger LOG = System.getLogger(Deliveries.class.getName());

    private final ServerState state;

    Deliveries(ServerState state) {
        this.state = state;
    }

    @Override
    public void send(Subscriber subscriber, StoredMessage message, boolean redelivered, int redeliveryCount) {
        int maxDeliveries = state.options.maxDeliveries();
        if (redelivered && maxDeliveries > 0 && redeliveryCount >= maxDeliveries) {
            deadLetter(subscriber, message);
            return;
        }
        // The stored payload is never changed, so it can back the protobuf without a copy.
        byte[] bytes = MsgProto.newBuilder()
                .setSequence(message.sequence())
                .setSubject(message.subject())
                .setReply(message.reply())
                .setData(UnsafeByteOperations.unsafeWrap(message.data()))
                .setTimestamp(message.timestamp())
                .setRedelivered(redelivered)
                .setRedeliveryCount(redeliveryCount)
                .build().toByteArray();
        state.publish(subscriber.inbox, bytes);
        state.outMsgs.incrementAndGet();
        state.outBytes.addAndGet(bytes.length);
        long deadline = System.nanoTime() + subscriber.ackWait.toNanos();
        Subscriber.Pending pending = subscriber.pending.get(message.sequence());
        if (pending == null) {
            subscriber.pending.put(message.sequence(), new Subscriber.Pending(redeliveryCount + 1, deadline));
            subscriber.channel.subscriptions.addPending(subscriber.id, message.sequence());
            state.flushLater();
        } else {
            pending.deliveries = redeliveryCount + 1;
            pending.deadlineNanos = deadline;
        }
        if (subscriber.redeliveryTimer == null) {
            scheduleRedelivery(subscriber, subscriber.ackWait.toNanos());
        }
    }

    /** An ack on a subscription's ack inbox: the message is no longer pending, the next ones may go. */
    void ack(Message message) {
        Subscriber subscriber = state.byAckInbox.get(message.getSubject());
        if (subscriber == null) {
            return;
        }
        Ack ack;
        try {
            ack = Ack.parseFrom(message.getData() == null ? new byte[0] : message.getData());
        } catch (InvalidProtocolBufferException e) {
            LOG.log(System.Logger.Level.ERROR, "[Client:{0}] Unable to unmarshal Ack: {1}", subscriber.clientId,
                    e.getMessage());
            return;
        }
        if (subscriber.pending.remove(ack.getSequence()) != null) {
            subscriber.channel.subscriptions.ack(subscriber.id, ack.getSequence());
            state.flushLater();
            if (subscriber.pending.isEmpty()) {
                subscriber.cancelTimer();
            }
            subscriber.channel.deliverTo(subscriber, this);
        }
    }

    /** Beyond the reference: a message delivered maxDeliveries times goes to the dead-letter channel, once. */
    private void deadLetter(Subscriber subscriber, StoredMessage message) {
        subscriber.pending.remove(message.sequence());
        subscriber.channel.subscriptions.ack(subscriber.id, message.sequence());
        state.flushLater();
        String target = state.options.deadLetterChannel();
        if (target.isEmpty() || target.equals(subscriber.channel.name)) {
            return;
        }
        try {
            ChannelState dead = state.channel(target);
            dead.log.append(message.reply(), message.data(), state.nowNanos());
            state.flushNow();
            dead.deliverAvailable(this);
        } catch (StoreException e) {
            LOG.log(System.Logger.Level.WARNING, "dead-letter channel {0} refused a message: {1}", target,
                    e.getMessage());
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
        for (Map.Entry<Long, Subscriber.Pending> entry : new ArrayList<>(subscriber.pending.entrySet())) {
            Subscriber.Pending pending = entry.getValue();
            if (pending.deadlineNanos <= now) {
                StoredMessage stored = subscriber.channel.log.lookup(entry.getKey());
                if (stored == null) {
                    forget(subscriber, entry.getKey());
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

    /** A resumed or recovered subscription's unacknowledged messages are sent again first, flagged redelivered. */
    void redeliverAllPending(Subscriber subscriber) {
        for (Map.Entry<Long, Subscriber.Pending> entry : new ArrayList<>(subscriber.pending.entrySet())) {
            StoredMessage stored = subscriber.channel.log.lookup(entry.getKey());
            if (stored == null) {
                forget(subscriber, entry.getKey());
            } else {
                send(subscriber, stored, true, entry.getValue().deliveries);
            }
        }
    }

    /** A pending message the limits dropped from the log: nothing left to redeliver. */
    private void forget(Subscriber subscriber, long sequence) {
        subscriber.pending.remove(sequence);
        subscriber.channel.subscriptions.ack(subscriber.id, sequence);
        state.flushLater();
    }
}
