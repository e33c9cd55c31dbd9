package io.natsee.streaming.store;

import java.util.Arrays;

/**
 * A subscription found by {@link Store#recover()}: its last stored record and the sequences sent
 * to it and not acknowledged.
 *
 * <p>{@code record().lastSent()} is the highest of the last stored record's value and every
 * sequence ever given to {@link SubStore#addPending} for it. {@code pending} is sorted ascending,
 * without duplicates; it may hold sequences that limits dropped from the log meanwhile (the
 * server skips those, as {@link MsgStore#lookup} returns null for them).
 *
 * @param record the subscription
 * @param pending unacknowledged sequences, ascending
 */
public record RecoveredSubscription(SubscriptionRecord record, long[] pending) {

    /** Copies the pending sequences. */
    public RecoveredSubscription {
        pending = pending.clone();
    }

    /** A copy of the pending sequences. */
    @Override
    public long[] pending() {
        return pending.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof RecoveredSubscription r && record.equals(r.record) && Arrays.equals(pending, r.pending);
    }

    @Override
    public int hashCode() {
        return record.hashCode() * 31 + Arrays.hashCode(pending);
    }

    @Override
    public String toString() {
        return "RecoveredSubscription[" + record + ", pending=" + Arrays.toString(pending) + "]";
    }
}
