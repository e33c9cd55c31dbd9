package io.natsee.ra.api;

import io.nats.client.Message;

/**
 * The message listener a message-driven bean implements to receive NATS messages.
 *
 * <p>An exception thrown from {@code onMessage} is logged by the adapter with the subject; it
 * does not stop the delivery of later messages, and core NATS does not redeliver.
 */
public interface NatsMessageListener {

    /** Handles one message. */
    void onMessage(Message message);
}
