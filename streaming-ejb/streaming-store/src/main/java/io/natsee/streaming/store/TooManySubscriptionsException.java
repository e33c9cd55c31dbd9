package io.natsee.streaming.store;

/**
 * Creating a subscription would exceed the channel's {@link ChannelLimits#maxSubscriptions()}; the
 * reference's {@code ErrTooManySubs}, whose text ({@code too many subscriptions per channel}) is
 * this exception's message.
 */
public class TooManySubscriptionsException extends StoreException {

    private static final long serialVersionUID = 1L;

    /** The reference's text. */
    public static final String MESSAGE = "too many subscriptions per channel";

    /** The channel's max subscriptions limit is reached. */
    public TooManySubscriptionsException() {
        super(MESSAGE);
    }
}
