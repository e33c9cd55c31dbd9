package io.natsee.ra.streaming;

import io.natsee.ra.api.StreamingMessage;
import io.natsee.streaming.protocol.MsgProto;
import java.time.Instant;

/**
 * A message as a {@link StreamingSubscription} received it; {@link #ack()} acknowledges it.
 */
public final class ReceivedMessage implements StreamingMessage {

    private final MsgProto proto;
    private final StreamingSubscription subscription;

    ReceivedMessage(MsgProto proto, StreamingSubscription subscription) {
        this.proto = proto;
        this.subscription = subscription;
    }

    @Override
    public long sequence() {
        return proto.getSequence();
    }

    @Override
    public String channel() {
        return proto.getSubject();
    }

    @Override
    public byte[] data() {
        return proto.getData().toByteArray();
    }

    @Override
    public Instant timestamp() {
        long nanos = proto.getTimestamp();
        return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
    }

    @Override
    public boolean isRedelivered() {
        return proto.getRedelivered();
    }

    @Override
    public int redeliveryCount() {
        return proto.getRedeliveryCount();
    }

    /**
     * Acknowledges this message; returns false when the acknowledgement could not be sent (the
     * server then delivers the message again after the ack wait).
     */
    public boolean ack() {
        return subscription.ack(proto.getSequence());
    }

    /** Returns the subscription that received this message. */
    public StreamingSubscription subscription() {
        return subscription;
    }

    @Override
    public String toString() {
        return "StreamingMessage[" + channel() + " #" + sequence() + (isRedelivered() ? ", redelivered" : "") + "]";
    }
}
