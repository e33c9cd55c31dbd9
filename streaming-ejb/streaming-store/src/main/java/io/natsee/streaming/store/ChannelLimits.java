package io.natsee.streaming.store;

import java.time.Duration;
import java.util.Objects;

/**
 * The limits of one channel: the reference's {@code ChannelLimits} ({@code max_msgs},
 * {@code max_bytes}, {@code max_age}, {@code max_subs}, {@code max_inactivity}).
 *
 * <p>In {@link StoreLimits#global()} and in every limit a store resolves for a channel
 * ({@link StoreLimits#forChannel}), 0 (or {@link Duration#ZERO}) means unlimited. In a per-channel
 * override ({@link StoreLimits#perChannel()}), 0 means "inherit from the wider match" and a negative
 * value means unlimited, as in the reference's {@code store_limits.channels}.
 *
 * <p>What the stores do with them: {@code maxMsgs} and {@code maxBytes} are applied by
 * {@link MsgStore#append} (oldest messages dropped, the new one always kept); {@code maxAge} by
 * {@link MsgStore#append} and {@link MsgStore#expire}; {@code maxSubscriptions} by
 * {@link SubStore#create}. {@code maxInactivity} is only carried: deleting an idle channel is the
 * server's decision ({@link Store#deleteChannel}).
 *
 * @param maxMsgs messages kept per channel
 * @param maxBytes bytes kept per channel (sum of {@link StoredMessage#encodedSize()})
 * @param maxAge how long a message is kept after its timestamp
 * @param maxSubscriptions subscriptions per channel (durables included, online or not)
 * @param maxInactivity idle time (no subscription, no new message) after which the server may delete the channel
 */
public record ChannelLimits(long maxMsgs, long maxBytes, Duration maxAge, int maxSubscriptions,
                            Duration maxInactivity) {

    /** No limit at all (in an override: inherit everything). */
    public static final ChannelLimits NONE = new ChannelLimits(0, 0, Duration.ZERO, 0, Duration.ZERO);

    /** The reference's defaults: 1,000,000 messages, 1,024,000,000 bytes, no age, 1000 subscriptions, no inactivity. */
    public static final ChannelLimits DEFAULT =
            new ChannelLimits(1_000_000, 1_000_000L * 1024, Duration.ZERO, 1000, Duration.ZERO);

    /** Normalises null durations to {@link Duration#ZERO}. */
    public ChannelLimits {
        maxAge = Objects.requireNonNullElse(maxAge, Duration.ZERO);
        maxInactivity = Objects.requireNonNullElse(maxInactivity, Duration.ZERO);
    }

    /** This with another max messages. */
    public ChannelLimits withMaxMsgs(long value) {
        return new ChannelLimits(value, maxBytes, maxAge, maxSubscriptions, maxInactivity);
    }

    /** This with another max bytes. */
    public ChannelLimits withMaxBytes(long value) {
        return new ChannelLimits(maxMsgs, value, maxAge, maxSubscriptions, maxInactivity);
    }

    /** This with another max age. */
    public ChannelLimits withMaxAge(Duration value) {
        return new ChannelLimits(maxMsgs, maxBytes, value, maxSubscriptions, maxInactivity);
    }

    /** This with another max subscriptions. */
    public ChannelLimits withMaxSubscriptions(int value) {
        return new ChannelLimits(maxMsgs, maxBytes, maxAge, value, maxInactivity);
    }

    /** This with another max inactivity. */
    public ChannelLimits withMaxInactivity(Duration value) {
        return new ChannelLimits(maxMsgs, maxBytes, maxAge, maxSubscriptions, value);
    }

    /**
     * This override resolved against the wider limits {@code parent}: each 0 field takes the
     * parent's value, each negative one becomes 0 (unlimited).
     */
    public ChannelLimits inheritFrom(ChannelLimits parent) {
        return new ChannelLimits(
                maxMsgs < 0 ? 0 : maxMsgs == 0 ? parent.maxMsgs : maxMsgs,
                maxBytes < 0 ? 0 : maxBytes == 0 ? parent.maxBytes : maxBytes,
                maxAge.isNegative() ? Duration.ZERO : maxAge.isZero() ? parent.maxAge : maxAge,
                maxSubscriptions < 0 ? 0 : maxSubscriptions == 0 ? parent.maxSubscriptions : maxSubscriptions,
                maxInactivity.isNegative() ? Duration.ZERO : maxInactivity.isZero() ? parent.maxInactivity
                        : maxInactivity);
    }
}
