package io.natsee.streaming.store;

/**
 * A failure of a streaming store: an I/O error, a broken rule of the contract, or a corrupt store.
 *
 * <p>Every method of {@link Store}, {@link MsgStore} and {@link SubStore} may throw it (it is
 * unchecked so that the server's pipelines stay readable). A caller that receives a plain
 * {@code StoreException} from a write must treat the record as not stored: a publish must not be
 * acknowledged. The subclasses name the conditions the server answers differently.
 */
public class StoreException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** A failure with a message. */
    public StoreException(String message) {
        super(message);
    }

    /** A failure with a message and its cause (often an {@link java.io.IOException}). */
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
