package io.natsee.ra.api;

import java.util.concurrent.CompletionStage;

/**
 * Publishes to NATS Streaming channels with acknowledgement, through the connection handle it
 * came from ({@link NatsConnection#streaming()}).
 *
 * <p>The streaming server acknowledges a publish once it has stored the message; that
 * acknowledgement, not the NATS publish, is the durability signal. Channel names are exact
 * subjects: no wildcards and no empty tokens. Like its handle, a publisher is meant for one
 * thread at a time and throws {@link NatsConnectionClosedException} once the handle is closed;
 * an asynchronous publish already sent still completes after that.
 */
public interface StreamingPublisher {

    /**
     * Publishes {@code data} to {@code channel} and waits for the server's acknowledgement.
     *
     * @return the publish's id (the protocol's guid)
     * @throws StreamingException if the streaming server refused the message
     * @throws NatsRequestTimeoutException if no acknowledgement came within the publish ack wait
     * @throws IllegalArgumentException if {@code channel} is not a valid channel name
     */
    String publish(String channel, byte[] data);

    /**
     * Publishes {@code data} to {@code channel} and returns at once. The stage completes with the
     * publish's id once the server has stored the message, or exceptionally with
     * {@link StreamingException} (refused) or {@link NatsRequestTimeoutException} (no
     * acknowledgement within the publish ack wait). The call blocks only while the maximum
     * number of unacknowledged publishes is reached.
     *
     * @throws IllegalArgumentException if {@code channel} is not a valid channel name
     */
    CompletionStage<String> publishAsync(String channel, byte[] data);
}
