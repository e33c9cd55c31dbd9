package io.natsee.streaming.store.file;

import java.util.Arrays;

/**
 * One segment file of a channel's message log ({@code msgs.<n>.dat}) with its index in memory:
 * for each message its record offset, timestamp and encoded size. The messages of a segment have
 * consecutive sequences starting at {@code startLast + 1}. Guarded by the owning message store's lock.
 */
final class Segment {

    final int number;
    /** Last sequence of the channel before this segment's first message. */
    final long startLast;
    RecordLog log;
    private int count;
    private int[] offsets = new int[64];
    private long[] timestamps = new long[64];
    private int[] sizes = new int[64];

    Segment(int number, long startLast, RecordLog log) {
        this.number = number;
        this.startLast = startLast;
        this.log = log;
    }

    static String fileName(int number) {
        return "msgs." + number + ".dat";
    }

    void add(long offset, long timestamp, int size) {
        if (count == offsets.length) {
            int grown = count * 2;
            offsets = Arrays.copyOf(offsets, grown);
            timestamps = Arrays.copyOf(timestamps, grown);
            sizes = Arrays.copyOf(sizes, grown);
        }
        offsets[count] = (int) offset;
        timestamps[count] = timestamp;
        sizes[count] = size;
        count++;
    }

    int count() {
        return count;
    }

    long firstSequence() {
        return startLast + 1;
    }

    long lastSequence() {
        return startLast + count;
    }

    boolean contains(long sequence) {
        return sequence > startLast && sequence <= startLast + count;
    }

    long offset(long sequence) {
        return offsets[(int) (sequence - startLast - 1)] & 0xFFFFFFFFL;
    }

    long timestamp(long sequence) {
        return timestamps[(int) (sequence - startLast - 1)];
    }

    int size(long sequence) {
        return sizes[(int) (sequence - startLast - 1)];
    }

    long firstTimestamp() {
        return timestamps[0];
    }
}
