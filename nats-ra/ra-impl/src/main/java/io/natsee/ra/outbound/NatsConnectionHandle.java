package io.natsee.ra.outbound;

import io.nats.client.Connection;
import io.nats.client.JetStreamStatusException;
import io.nats.client.Message;
import io.nats.client.impl.Headers;
import io.natsee.ra.api.NatsConnection;
import io.natsee.ra.api.NatsConnectionClosedException;
import io.natsee.ra.api.NatsException;
import io.natsee.ra.api.NatsRequestTimeoutException;
import io.natsee.ra.api.NoRespondersException;
import io.natsee.ra.api.StreamingPublisher;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The handle an application holds: forwards to the jnats connection of its current managed
 * connection and throws once closed or detached.
 */
public final class NatsConnectionHandle implements NatsConnection {

    private volatile NatsManagedConnection managedConnection;
    private volatile boolean closed;
    private final StreamingPublisher streamingPublisher = new HandlePublisher();

    NatsConnectionHandle(NatsManagedConnection managedConnection) {
        this.managedConnection = managedConnection;
    }

    @Override
    public void publish(String subject, byte[] data) {
        publish(subject, null, null, data);
    }

    @Override
    public void publish(String subject, String replyTo, byte[] data) {
        publish(subject, replyTo, null, data);
    }

    @Override
    public void publish(String subject, String replyTo, Headers headers, byte[] data) {
        NatsManagedConnection current = current();
        Connection connection = current.physical();
        AfterCommitPublisher afterCommit = current.factory().afterCommitPublisher();
        if (afterCommit != null && afterCommit.defer(connection, subject, replyTo, headers, data)) {
            return;
        }
        try {
            connection.publish(subject, replyTo, headers, data);
        } catch (IllegalStateException e) {
            throw refused(connection, e);
        }
    }

    @Override
    public Message request(String subject, byte[] data, Duration timeout) {
        return request(subject, null, data, timeout);
    }

    @Override
    public Message request(String subject, Headers headers, byte[] data, Duration timeout) {
        CompletableFuture<Message> future = send(subject, headers, data, timeout);
        try {
            // Wait for the timeout ourselves: jnats fails the future only on its cleanup timer (every 5 s).
            return future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            future.cancel(false);
            Thread.currentThread().interrupt();
            throw new NatsException("interrupted while waiting for a reply on " + subject, e);
        } catch (TimeoutException e) {
            future.cancel(false);
            throw translate(subject, timeout, e);
        } catch (ExecutionException | CancellationException e) {
            throw translate(subject, timeout, e);
        }
    }

    @Override
    public CompletableFuture<Message> requestAsync(String subject, byte[] data, Duration timeout) {
        CompletableFuture<Message> result = new CompletableFuture<>();
        CompletableFuture<Message> pending = send(subject, null, data, timeout);
        // jnats fails the future only on its 5-second cleanup timer: time out on the caller's duration.
        pending.orTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS).whenComplete((reply, failure) -> {
            if (failure == null) {
                result.complete(reply);
            } else {
                if (unwrap(failure) instanceof TimeoutException) {
                    pending.cancel(false);
                }
                result.completeExceptionally(translate(subject, timeout, failure));
            }
        });
        return result;
    }

    private CompletableFuture<Message> send(String subject, Headers headers, byte[] data, Duration timeout) {
        Connection connection = current().physical();
        try {
            return connection.requestWithTimeout(subject, headers, data, timeout);
        } catch (IllegalStateException e) {
            throw refused(connection, e);
        }
    }

    /** Turns jnats' ways of failing a request into the API's exceptions. */
    static NatsException translate(String subject, Duration timeout, Throwable failure) {
        Throwable cause = unwrap(failure);
        if (cause instanceof CancellationException || cause instanceof JetStreamStatusException) {
            // jnats cancels a request future when the server answers 503 no responders (timeouts use TimeoutException).
            return new NoRespondersException(subject);
        }
        if (cause instanceof TimeoutException) {
            return new NatsRequestTimeoutException("no reply on " + subject + " within " + timeout.toMillis() + " ms", cause);
        }
        if (cause instanceof NatsException natsException) {
            return natsException;
        }
        return new NatsException("request on " + subject + " failed: " + cause, cause);
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof ExecutionException || cause instanceof CompletionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    @Override
    public void flush(Duration timeout) {
        Connection connection = current().physical();
        try {
            connection.flush(timeout);
        } catch (TimeoutException e) {
            throw new NatsRequestTimeoutException("flush not answered within " + timeout.toMillis() + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NatsException("interrupted while flushing", e);
        } catch (IllegalStateException e) {
            throw refused(connection, e);
        }
    }

    @Override
    public StreamingPublisher streaming() {
        current();
        return streamingPublisher;
    }

    /** Publishes through the streaming session of the handle's current managed connection. */
    private final class HandlePublisher implements StreamingPublisher {
        @Override
        public String publish(String channel, byte[] data) {
            return current().streaming().publish(channel, data);
        }

        @Override
        public CompletionStage<String> publishAsync(String channel, byte[] data) {
            return current().streaming().publishAsync(channel, data);
        }
    }

    @Override
    public long maxPayload() {
        return current().physical().getMaxPayload();
    }

    @Override
    public boolean isClosed() {
        return closed || managedConnection == null;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        NatsManagedConnection current = managedConnection;
        managedConnection = null;
        if (current != null) {
            current.handleClosed(this);
        }
    }

    /** Moves this handle onto another managed connection (connection sharing by the container). */
    void associate(NatsManagedConnection target) {
        if (closed) {
            throw new NatsConnectionClosedException("cannot re-associate a closed handle");
        }
        NatsManagedConnection previous = managedConnection;
        if (previous != null && previous != target) {
            previous.detach(this);
        }
        managedConnection = target;
        target.attach(this);
    }

    /** Detaches this handle from its managed connection; the handle throws from now on. */
    void invalidate() {
        managedConnection = null;
    }

    NatsManagedConnection managedConnection() {
        return managedConnection;
    }

    private NatsManagedConnection current() {
        NatsManagedConnection current = managedConnection;
        if (closed) {
            throw new NatsConnectionClosedException("this NATS connection handle is closed");
        }
        if (current == null) {
            throw new NatsConnectionClosedException("this NATS connection handle was detached by the container");
        }
        return current;
    }

    /**
     * Translates jnats' IllegalStateException: a closed connection becomes
     * NatsConnectionClosedException; anything else (e.g. "Output queue is full" or "busy" when
     * publishers outrun the connection's writer) a plain NatsException, since the connection is fine.
     */
    private static NatsException refused(Connection connection, IllegalStateException cause) {
        if (connection.getStatus() == Connection.Status.CLOSED) {
            return closedPhysical(cause);
        }
        return new NatsException("NATS refused the operation: " + cause.getMessage(), cause);
    }

    private static NatsConnectionClosedException closedPhysical(IllegalStateException cause) {
        NatsConnectionClosedException exception = new NatsConnectionClosedException("the NATS connection is closed: " + cause.getMessage());
        exception.initCause(cause);
        return exception;
    }
}
