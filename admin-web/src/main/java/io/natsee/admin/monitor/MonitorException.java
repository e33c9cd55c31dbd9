package io.natsee.admin.monitor;

/** A monitoring endpoint could not be read: unreachable, an HTTP error, or an answer that is not its JSON. */
public class MonitorException extends Exception {

    private static final long serialVersionUID = 1L;

    private final int status;

    /** A failure with the HTTP status the server answered (0: none, the server was not reached). */
    public MonitorException(String message, int status, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    /** The HTTP status, 0 when the server did not answer. */
    public int status() {
        return status;
    }
}
