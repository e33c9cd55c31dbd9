package io.natsee.streaming.store;

/**
 * The append-only message log of one channel.
 *
 * <p>Obligations: sequences start at 1 and are gap-free over the channel's life (never reused,
 * also after a restart). {@link #append} applies the channel's limits after adding the new message:
 * while more than {@code maxMsgs} messages or more than {@code maxBytes} bytes are held, the oldest
 * message is dropped, but the new one is always kept; messages whose timestamp is older than
 * {@code maxAge} before the new message's timestamp are dropped too. Dropped messages are gone:
 * {@link #lookup} returns null for them and {@link #firstSequence()} moves past them. Durability
 * comes only from {@link Store#flush()}.
 */
public interface MsgStore {

    /**
     * Appends a message to the log and returns its sequence.
     *
     * @param reply the publisher's reply subject, "" or null when none
     * @param data the payload; not copied, must not be changed afterwards
     * @param timestamp Unix time of the publish in nanoseconds, non-decreasing within a channel
     */
    long append(String reply, byte[] data, long timestamp);

    /** The message of that sequence, or null if it was never stored or was dropped. */
    StoredMessage lookup(long sequence);

    /** Sequence of the oldest message held; 0 when none was ever stored; {@code last + 1} when all were dropped. */
    long firstSequence();

    /** Sequence of the newest message ever appended; 0 when none. */
    long lastSequence();

    /** A consistent snapshot of counts and sequences. */
    MsgStoreState state();

    /**
     * The sequence of the first held message whose timestamp is at or after {@code timestamp}
     * (nanoseconds); {@code lastSequence() + 1} when there is none.
     */
    long sequenceForTimestamp(long timestamp);

    /**
     * Drops the messages older than {@code maxAge} before {@code now} (nanoseconds); returns how
     * many were dropped. The server calls it periodically when the channel has a max age.
     */
    long expire(long now);
}
