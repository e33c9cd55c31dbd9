package io.natsee.streaming.store;

/**
 * The persistent state cannot be recovered without losing records that were made durable: a bad
 * record in the middle of a file, an index that contradicts its data file, an unknown format
 * version. A torn <em>last</em> record is not corruption (it was never flushed); stores truncate
 * it with a warning instead of throwing this.
 */
public class CorruptStoreException extends StoreException {

    private static final long serialVersionUID = 1L;

    /** What is corrupt and where. */
    public CorruptStoreException(String message) {
        super(message);
    }

    /** What is corrupt and where, with the cause. */
    public CorruptStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
