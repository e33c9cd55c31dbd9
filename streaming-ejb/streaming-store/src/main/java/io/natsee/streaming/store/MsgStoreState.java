package io.natsee.streaming.store;

/**
 * A consistent snapshot of a channel's log: how many messages and bytes it holds and its first
 * and last sequence.
 *
 * <p>{@code firstSequence} and {@code lastSequence} follow {@link MsgStore#firstSequence()} and
 * {@link MsgStore#lastSequence()}: both 0 when nothing was ever stored; when every message was
 * dropped by a limit, {@code firstSequence == lastSequence + 1} and {@code messages == 0}.
 *
 * @param messages number of messages held
 * @param bytes sum of their {@link StoredMessage#encodedSize()}
 * @param firstSequence sequence of the oldest message held
 * @param lastSequence sequence of the newest message ever appended
 */
public record MsgStoreState(long messages, long bytes, long firstSequence, long lastSequence) {
}
