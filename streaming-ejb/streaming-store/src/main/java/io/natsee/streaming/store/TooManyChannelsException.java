package io.natsee.streaming.store;

/**
 * Creating a channel would exceed {@link StoreLimits#maxChannels()}; the reference's
 * {@code ErrTooManyChannels}, whose text ({@code too many channels}) is this exception's message.
 */
public class TooManyChannelsException extends StoreException {

    private static final long serialVersionUID = 1L;

    /** The reference's text. */
    public static final String MESSAGE = "too many channels";

    /** The max channels limit is reached. */
    public TooManyChannelsException() {
        super(MESSAGE);
    }
}
