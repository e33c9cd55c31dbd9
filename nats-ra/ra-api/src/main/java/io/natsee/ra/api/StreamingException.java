package io.natsee.ra.api;

/**
 * Thrown when a NATS Streaming server refuses a request (its error text, e.g.
 * {@code stan: clientID already registered}) or cannot be reached for one.
 */
public class StreamingException extends NatsException {

    private static final long serialVersionUID = 1L;

    public StreamingException(String message) {
        super(message);
    }

    public StreamingException(String message, Throwable cause) {
        super(message, cause);
    }
}
