package io.natsee.ra.api;

/**
 * Thrown when a request got no reply, or a flush no answer, within its timeout.
 */
public class NatsRequestTimeoutException extends NatsException {

    private static final long serialVersionUID = 1L;

    public NatsRequestTimeoutException(String message) {
        super(message);
    }

    public NatsRequestTimeoutException(String message, Throwable cause) {
        super(message, cause);
    }
}
