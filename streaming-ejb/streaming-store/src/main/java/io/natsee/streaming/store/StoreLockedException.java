package io.natsee.streaming.store;

/** Another process (or another store instance in this process) holds the store's exclusive lock. */
public class StoreLockedException extends StoreException {

    private static final long serialVersionUID = 1L;

    /** The lock is held elsewhere. */
    public StoreLockedException(String message) {
        super(message);
    }
}
