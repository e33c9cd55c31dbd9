package io.natsee.broker.server;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The bytes queued for one connection since its last flush: a growable byte array that protocol
 * lines and payloads are copied into, handed to the transport in one write per flush and then
 * reused. A new buffer holds no array until its first write, and an idle one gives its array
 * back ({@link #shrinkIfIdle()}), so that thousands of idle connections cost no outbound memory
 * and a burst does not pin it.
 *
 * <p>Not thread safe: the owning connection guards it (see docs/LOCKING.md).
 */
public final class OutboundBuffer {

    /** The capacity of the first array, and the size a very large buffer shrinks back to when flushed. */
    static final int INITIAL_CAPACITY = 512;
    /** A buffer above this capacity is shrunk when it is flushed empty (only very large messages get there). */
    static final int SHRINK_ABOVE = 512 * 1024;
    /** Connections flush as soon as this much is queued, so buffers stay small and bytes move early. */
    static final int FLUSH_THRESHOLD = 64 * 1024;

    private static final byte[] NONE = new byte[0];

    private byte[] bytes = NONE;
    private int length;

    public int length() {
        return length;
    }

    public byte[] array() {
        return bytes;
    }

    public boolean isEmpty() {
        return length == 0;
    }

    /** Forgets the content after it was handed to the transport; shrinks a very large buffer. */
    public void clear() {
        length = 0;
        if (bytes.length > SHRINK_ABOVE) {
            bytes = new byte[INITIAL_CAPACITY];
        }
    }

    /** Whether enough is queued to flush without waiting for the end of the read. */
    public boolean full() {
        return length >= FLUSH_THRESHOLD;
    }

    /** Gives back the whole array of an empty buffer; for connections that went idle. */
    public void shrinkIfIdle() {
        if (length == 0) {
            bytes = NONE;
        }
    }

    /** The current capacity in bytes. */
    public int capacity() {
        return bytes.length;
    }

    /** Makes room for {@code more} bytes. */
    public void reserve(int more) {
        int needed = length + more;
        if (needed > bytes.length) {
            int capacity = Math.max(needed, Math.max(INITIAL_CAPACITY, bytes.length * 2));
            byte[] bigger = new byte[capacity];
            System.arraycopy(bytes, 0, bigger, 0, length);
            bytes = bigger;
        }
    }

    /** Appends bytes; the caller reserved room. */
    public void put(byte[] source) {
        System.arraycopy(source, 0, bytes, length, source.length);
        length += source.length;
    }

    /** Appends one byte; the caller reserved room. */
    public void put(byte b) {
        bytes[length++] = b;
    }

    /** Appends {@code count} bytes of {@code source} from absolute index {@code offset}; the caller reserved room. */
    public void put(ByteBuffer source, int offset, int count) {
        if (count < 16 && !source.hasArray()) {
            byte[] b = bytes;
            int at = length;
            for (int i = 0; i < count; i++) {
                b[at + i] = source.get(offset + i);
            }
        } else {
            source.get(offset, bytes, length, count);
        }
        length += count;
    }

    /** Appends a non-negative number in decimal; the caller reserved room for 20 digits. */
    public void putDecimal(long value) {
        if (value < 10) {
            bytes[length++] = (byte) ('0' + value);
            return;
        }
        if (value < 1_000_000_000L) {
            putDecimal((int) value);
            return;
        }
        int digits = 0;
        for (long v = value; v > 0; v /= 10) {
            digits++;
        }
        int at = length + digits;
        for (long v = value; v > 0; v /= 10) {
            bytes[--at] = (byte) ('0' + (v % 10));
        }
        length += digits;
    }

    /** Int arithmetic for the common sizes: the JIT turns division by 10 into a multiply. */
    private void putDecimal(int value) {
        int digits = value < 100 ? 2 : value < 1000 ? 3 : value < 10_000 ? 4 : value < 100_000 ? 5
                : value < 1_000_000 ? 6 : value < 10_000_000 ? 7 : value < 100_000_000 ? 8 : 9;
        byte[] b = bytes;
        int at = length + digits;
        length = at;
        int v = value;
        do {
            int q = v / 10;
            b[--at] = (byte) ('0' + (v - q * 10));
            v = q;
        } while (v != 0);
    }

    /** Appends an ASCII string with room reserved here. */
    public void append(String ascii) {
        byte[] b = ascii.getBytes(StandardCharsets.ISO_8859_1);
        reserve(b.length);
        put(b);
    }

    /** Appends bytes with room reserved here. */
    public void append(byte[] source) {
        reserve(source.length);
        put(source);
    }
}
