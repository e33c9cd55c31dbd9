package io.natsee.ra.streaming;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * What a streaming subscription asks the server for.
 *
 * @param channel the channel (an exact subject, no wildcards)
 * @param queueGroup the queue group, or null
 * @param durableName the durable name, or null; resuming a durable ignores the start position
 * @param start where a new subscription starts
 * @param startSequence the first sequence for {@link StartPosition#SEQUENCE}
 * @param startTime the earliest message time for {@link StartPosition#TIME}
 * @param startTimeDelta how far back {@link StartPosition#TIME_DELTA} starts
 * @param maxInFlight unacknowledged messages the server sends at most
 * @param ackWait how long the server waits for an acknowledgement before it redelivers (whole seconds, at least 1)
 */
public record SubscriptionOptions(String channel, String queueGroup, String durableName, StartPosition start,
        long startSequence, Instant startTime, Duration startTimeDelta, int maxInFlight, Duration ackWait) {

    /** The reference server's and Java client's default of unacknowledged messages in flight. */
    public static final int DEFAULT_MAX_IN_FLIGHT = 1024;
    /** The reference's default ack wait. */
    public static final Duration DEFAULT_ACK_WAIT = Duration.ofSeconds(30);

    /** Where a new subscription starts. */
    public enum StartPosition {
        /** Only messages published after the subscription (the protocol's default). */
        NEW_ONLY,
        /** The last message stored, then the new ones. */
        LAST_RECEIVED,
        /** Every message the channel holds. */
        ALL,
        /** From a sequence number on. */
        SEQUENCE,
        /** From the first message stored at or after an instant. */
        TIME,
        /** From the first message stored at most a duration ago. */
        TIME_DELTA;

        /** Parses {@code new-only}, {@code last-received}, {@code all}, {@code sequence}, {@code time} or {@code time-delta} (any case, {@code _} or {@code -}). */
        public static StartPosition parse(String text) {
            String name = text.trim().toUpperCase(Locale.ROOT).replace('-', '_');
            if (name.equals("FIRST") || name.equals("DELIVER_ALL_AVAILABLE")) {
                return ALL;
            }
            if (name.equals("NEWONLY")) {
                return NEW_ONLY;
            }
            if (name.equals("LASTRECEIVED")) {
                return LAST_RECEIVED;
            }
            if (name.equals("TIMEDELTA")) {
                return TIME_DELTA;
            }
            try {
                return valueOf(name);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown start position '" + text
                        + "': use new-only, last-received, all, sequence, time or time-delta", e);
            }
        }
    }

    /** Checks the options. */
    public SubscriptionOptions {
        Channels.check(channel);
        queueGroup = emptyToNull(queueGroup);
        durableName = emptyToNull(durableName);
        start = Objects.requireNonNullElse(start, StartPosition.NEW_ONLY);
        if (start == StartPosition.SEQUENCE && startSequence < 1) {
            throw new IllegalArgumentException("start position sequence needs a start sequence of at least 1");
        }
        if (start == StartPosition.TIME && startTime == null) {
            throw new IllegalArgumentException("start position time needs a start time");
        }
        if (start == StartPosition.TIME_DELTA && (startTimeDelta == null || startTimeDelta.isNegative())) {
            throw new IllegalArgumentException("start position time-delta needs a start time delta of 0 or more");
        }
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("maxInFlight must be at least 1, not " + maxInFlight);
        }
        ackWait = Objects.requireNonNullElse(ackWait, DEFAULT_ACK_WAIT);
        if (ackWait.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("ackWait must be at least 1 s, not " + ackWait.toMillis() + " ms");
        }
        if (queueGroup != null && durableName != null && durableName.contains(":")) {
            throw new IllegalArgumentException("the durable name of a durable queue subscriber can't contain ':'");
        }
    }

    /** A plain subscription to new messages with the default limits. */
    public static SubscriptionOptions newOnly(String channel) {
        return new SubscriptionOptions(channel, null, null, StartPosition.NEW_ONLY, 0, null, null, DEFAULT_MAX_IN_FLIGHT,
                DEFAULT_ACK_WAIT);
    }

    /** Returns a copy as a durable subscription. */
    public SubscriptionOptions durable(String name) {
        return new SubscriptionOptions(channel, queueGroup, name, start, startSequence, startTime, startTimeDelta,
                maxInFlight, ackWait);
    }

    /** Returns a copy in a queue group. */
    public SubscriptionOptions queue(String group) {
        return new SubscriptionOptions(channel, group, durableName, start, startSequence, startTime, startTimeDelta,
                maxInFlight, ackWait);
    }

    /** Returns a copy starting elsewhere. */
    public SubscriptionOptions startingAt(StartPosition position, long sequence, Instant time, Duration delta) {
        return new SubscriptionOptions(channel, queueGroup, durableName, position, sequence, time, delta, maxInFlight,
                ackWait);
    }

    /** Returns a copy with other flow limits. */
    public SubscriptionOptions limits(int inFlight, Duration wait) {
        return new SubscriptionOptions(channel, queueGroup, durableName, start, startSequence, startTime,
                startTimeDelta, inFlight, wait);
    }

    private static String emptyToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
