package io.natsee.ra.api;

/**
 * The unchecked exception a {@link NatsConnection} handle throws when an operation fails.
 */
public class NatsException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public NatsException(String message) {
        super(message);
    }

    public NatsException(String message, Throwable cause) {
        super(message, cause);
    }
}
