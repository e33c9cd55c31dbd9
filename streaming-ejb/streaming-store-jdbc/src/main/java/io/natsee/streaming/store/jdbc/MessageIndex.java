package io.natsee.streaming.store.jdbc;

/**
 * The timestamps and sizes of the messages a channel holds, by sequence, in memory: what the
 * limits (max_msgs, max_bytes, max_age) and {@code sequenceForTimestamp} need without a query.
 * Twelve bytes per held message, in a ring that grows by doubling. Not thread-safe: its channel
 * guards it.
 */
final class MessageIndex {

    private long[] timestamps = new long[16];
    private int[] sizes = new int[16];
    private int head;
    private int count;
    /** Sequence of the entry at {@code head}; meaningful when {@code count > 0}. */
    private long firstSequence;
    private long bytes;

    /** Adds the next sequence (one past the newest held, or any when empty). */
    void add(long sequence, long timestamp, int size) {
        if (count == 0) {
            firstSequence = sequence;
            head = 0;
        } else if (sequence != firstSequence + count) {
            throw new IllegalStateException("sequence " + sequence + " does not follow " + (firstSequence + count - 1));
        }
        if (count == timestamps.length) {
            grow();
        }
        int slot = (head + count) & (timestamps.length - 1);
        timestamps[slot] = timestamp;
        sizes[slot] = size;
        count++;
        bytes += size;
    }

    private void grow() {
        long[] newTimestamps = new long[timestamps.length * 2];
        int[] newSizes = new int[sizes.length * 2];
        for (int i = 0; i < count; i++) {
            int slot = (head + i) & (timestamps.length - 1);
            newTimestamps[i] = timestamps[slot];
            newSizes[i] = sizes[slot];
        }
        timestamps = newTimestamps;
        sizes = newSizes;
        head = 0;
    }

    /** Drops the oldest entry. */
    void dropFirst() {
        bytes -= sizes[head];
        head = (head + 1) & (timestamps.length - 1);
        count--;
        firstSequence++;
        if (count == 0) {
            head = 0;
        }
    }

    int count() {
        return count;
    }

    long bytes() {
        return bytes;
    }

    /** Sequence of the oldest entry; undefined when empty. */
    long firstSequence() {
        return firstSequence;
    }

    /** Timestamp of the oldest entry; undefined when empty. */
    long firstTimestamp() {
        return timestamps[head];
    }

    /** Whether the sequence is held. */
    boolean holds(long sequence) {
        return count > 0 && sequence >= firstSequence && sequence < firstSequence + count;
    }

    /** Size of a held sequence. */
    int size(long sequence) {
        return sizes[(head + (int) (sequence - firstSequence)) & (timestamps.length - 1)];
    }

    /** The first held sequence with a timestamp at or after {@code timestamp}, or -1 when none. */
    long firstAtOrAfter(long timestamp) {
        int low = 0;
        int high = count;
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (timestamps[(head + middle) & (timestamps.length - 1)] < timestamp) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        return low == count ? -1 : firstSequence + low;
    }
}
