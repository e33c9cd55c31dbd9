package io.natsee.ra.api;

/**
 * Thrown by a {@link NatsConnection} handle used after it was closed or detached, or whose
 * physical connection is gone.
 */
public class NatsConnectionClosedException extends NatsException {

    private static final long serialVersionUID = 1L;

    public NatsConnectionClosedException(String message) {
        super(message);
    }
}
