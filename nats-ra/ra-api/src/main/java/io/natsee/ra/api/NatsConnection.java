package io.natsee.ra.api;

import io.nats.client.Message;
import io.nats.client.impl.Headers;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * A handle on a pooled NATS connection: publish, request and flush, then close to give the
 * connection back to the pool.
 *
 * <p>A handle is not the physical connection. Closing it never closes the socket; once closed
 * (or once the container has detached it), every method throws {@link NatsConnectionClosedException}.
 * A handle is meant for one thread at a time, like a JDBC connection.
 */
public interface NatsConnection extends AutoCloseable {

    /** Publishes {@code data} to {@code subject}. */
    void publish(String subject, byte[] data);

    /** Publishes {@code data} to {@code subject} with a reply subject ({@code replyTo} may be null). */
    void publish(String subject, String replyTo, byte[] data);

    /**
     * Publishes {@code data} to {@code subject} with a reply subject and headers (either may be
     * null).
     */
    void publish(String subject, String replyTo, Headers headers, byte[] data);

    /**
     * Sends a request and waits for the first reply.
     *
     * @throws NoRespondersException if no subscriber listens on {@code subject}
     * @throws NatsRequestTimeoutException if no reply came within {@code timeout}
     */
    Message request(String subject, byte[] data, Duration timeout);

    /**
     * Sends a request with headers and waits for the first reply.
     *
     * @throws NoRespondersException if no subscriber listens on {@code subject}
     * @throws NatsRequestTimeoutException if no reply came within {@code timeout}
     */
    Message request(String subject, Headers headers, byte[] data, Duration timeout);

    /**
     * Sends a request and returns at once; the future completes with the reply, or exceptionally
     * with {@link NoRespondersException} or {@link NatsRequestTimeoutException}.
     *
     * <p>The request goes through the physical connection, so the future may complete after this
     * handle was closed.
     */
    CompletableFuture<Message> requestAsync(String subject, byte[] data, Duration timeout);

    /**
     * Waits until the server has processed everything published so far on this connection.
     *
     * @throws NatsRequestTimeoutException if the server did not answer within {@code timeout}
     */
    void flush(Duration timeout);

    /**
     * Returns a publisher to NATS Streaming channels on this handle's connection, for the
     * streaming cluster the connection factory names ({@code streamingClusterId}). The adapter
     * opens one streaming session per pooled connection, on first use, and closes it with the
     * connection.
     *
     * @throws StreamingException if no streaming server of that cluster answers
     */
    StreamingPublisher streaming();

    /** Returns the server's maximum payload size in bytes. */
    long maxPayload();

    /** Returns true once this handle was closed or detached from its connection. */
    boolean isClosed();

    /**
     * Gives the connection back to the pool; the socket stays open. Closing twice does nothing.
     * Publishes buffered for a running transaction are sent when it commits, not here.
     */
    @Override
    void close();
}
