package io.natsee.broker.monitor;

/**
 * A monitoring request that cannot be answered as asked (a bad query parameter, an invalid
 * subject); its message is nats-server's text for the same mistake, which adapters send with
 * HTTP status 400.
 */
public final class MonitorRequestException extends Exception {

    private static final long serialVersionUID = 1L;

    /** A refused request with the text to show. */
    public MonitorRequestException(String message) {
        super(message);
    }
}
