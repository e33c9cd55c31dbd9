package io.natsee.streaming.store.file;

import io.natsee.streaming.store.CorruptStoreException;

import java.nio.charset.StandardCharsets;

/** Reads the fields of one record payload written through {@link RecordLog}'s {@code put} methods. */
final class RecordReader {

    private final byte[] payload;
    private int position;

    RecordReader(byte[] payload) {
        this.payload = payload;
    }

    int getByte() {
        need(1);
        return payload[position++] & 0xFF;
    }

    int getInt() {
        need(4);
        int value = RecordLog.intAt(payload, position);
        position += 4;
        return value;
    }

    long getLong() {
        need(8);
        long high = RecordLog.intAt(payload, position) & 0xFFFFFFFFL;
        long low = RecordLog.intAt(payload, position + 4) & 0xFFFFFFFFL;
        position += 8;
        return high << 32 | low;
    }

    String getString() {
        int length = getInt();
        if (length == 0) {
            return "";
        }
        checkLength(length);
        String value = new String(payload, position, length, StandardCharsets.UTF_8);
        position += length;
        return value;
    }

    byte[] getBlob() {
        int length = getInt();
        checkLength(length);
        byte[] value = new byte[length];
        System.arraycopy(payload, position, value, 0, length);
        position += length;
        return value;
    }

    /** The bytes from here to the end of the payload. */
    byte[] rest() {
        byte[] value = new byte[payload.length - position];
        System.arraycopy(payload, position, value, 0, value.length);
        position = payload.length;
        return value;
    }

    /** The payload's length. */
    int length() {
        return payload.length;
    }

    int remaining() {
        return payload.length - position;
    }

    private void checkLength(int length) {
        if (length < 0) {
            throw new CorruptStoreException("negative field length " + length);
        }
        need(length);
    }

    private void need(int bytes) {
        if (payload.length - position < bytes) {
            throw new CorruptStoreException("record payload too short: " + bytes + " more bytes needed at "
                    + position + " of " + payload.length);
        }
    }
}
