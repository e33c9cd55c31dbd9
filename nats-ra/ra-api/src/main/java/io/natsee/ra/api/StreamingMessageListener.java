package io.natsee.ra.api;

/**
 * The message listener a message-driven bean implements to receive messages from a NATS
 * Streaming channel, at least once.
 *
 * <p>A message is acknowledged only after {@code onMessage} returned normally and, when the
 * container runs the delivery in a transaction, after that transaction committed. An exception
 * (or a rollback) leaves it unacknowledged: the streaming server delivers it again after the
 * subscription's ack wait, flagged {@link StreamingMessage#isRedelivered() redelivered}.
 */
public interface StreamingMessageListener {

    /** Handles one message. */
    void onMessage(StreamingMessage message);
}
