package io.natsee.streaming.store;

/** The record to create (a channel) exists already; the reference's {@code ErrAlreadyExists}. */
public class AlreadyExistsException extends StoreException {

    private static final long serialVersionUID = 1L;

    /** The named thing exists already. */
    public AlreadyExistsException(String message) {
        super(message);
    }
}
