package io.natsee.ra.api;

import io.nats.client.Message;

/**
 * The message listener a message-driven bean implements to answer NATS requests: the returned
 * bytes are published to the request's reply subject.
 *
 * <p>Nothing is published when the message has no reply subject, when the method returns null,
 * or when it throws (the requester then times out).
 */
public interface NatsRequestListener {

    /** Handles one request and returns the reply's payload, or null for no reply. */
    byte[] onRequest(Message request);
}
