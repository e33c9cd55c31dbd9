package io.natsee.streaming.store;

/** The record to change or delete (channel, client, subscription) is not in the store; the reference's {@code ErrNotFound}. */
public class NotFoundException extends StoreException {

    private static final long serialVersionUID = 1L;

    /** The named thing is not in the store. */
    public NotFoundException(String message) {
        super(message);
    }
}
