package io.natsee.ra.api;

/**
 * Thrown by a request when the server answered that nobody subscribes to its subject.
 */
public class NoRespondersException extends NatsException {

    private static final long serialVersionUID = 1L;

    private final String subject;

    public NoRespondersException(String subject) {
        super("no responders on subject " + subject);
        this.subject = subject;
    }

    /** Returns the subject the request was sent to. */
    public String subject() {
        return subject;
    }
}
