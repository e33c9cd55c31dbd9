package io.natsee.broker.cluster;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A {@link ByteSink} that collects into a growing array. */
public final class ByteArraySink implements ByteSink {

    private byte[] bytes = new byte[256];
    private int length;

    @Override
    public void put(byte b) {
        ensure(1);
        bytes[length++] = b;
    }

    @Override
    public void put(byte[] source) {
        ensure(source.length);
        System.arraycopy(source, 0, bytes, length, source.length);
        length += source.length;
    }

    @Override
    public void put(ByteBuffer source, int offset, int count) {
        ensure(count);
        source.get(offset, bytes, length, count);
        length += count;
    }

    /** The bytes collected so far. */
    public byte[] toByteArray() {
        return Arrays.copyOf(bytes, length);
    }

    public int length() {
        return length;
    }

    public void clear() {
        length = 0;
    }

    /** The bytes as ISO-8859-1 text, one char per byte (for tests and traces). */
    @Override
    public String toString() {
        return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
    }

    private void ensure(int more) {
        if (length + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(length + more, bytes.length * 2));
        }
    }
}
