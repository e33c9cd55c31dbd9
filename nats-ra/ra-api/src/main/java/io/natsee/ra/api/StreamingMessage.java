package io.natsee.ra.api;

import java.time.Instant;

/**
 * A message delivered from a NATS Streaming channel to a {@link StreamingMessageListener}.
 *
 * <p>The adapter acknowledges it to the streaming server only after the listener returned
 * normally (inside a container transaction: after the commit). Until then the server redelivers
 * it after the subscription's ack wait, with {@link #isRedelivered()} set.
 */
public interface StreamingMessage {

    /** Returns the message's sequence number in its channel (1, 2, ...). */
    long sequence();

    /** Returns the channel the message was published to. */
    String channel();

    /** Returns the payload (never null; empty for an empty message). */
    byte[] data();

    /** Returns when the streaming server stored the message. */
    Instant timestamp();

    /** Returns true when the server delivers this message again because an earlier delivery was not acknowledged. */
    boolean isRedelivered();

    /** Returns how many times the server delivered this message before (0 on the first delivery). */
    int redeliveryCount();
}
