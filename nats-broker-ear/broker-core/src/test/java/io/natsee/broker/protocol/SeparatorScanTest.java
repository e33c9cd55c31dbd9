package io.natsee.broker.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The eight-bytes-at-a-time search for blanks and line feeds, against a byte-by-byte search. */
class SeparatorScanTest {

    /** Bytes that tend to fool a zero-byte test: its borrow, the separators and their neighbours. */
    private static final byte[] TRICKY = {' ', '\t', '\n', '\r', 0, 1, 0x21, 0x1F, 0x08, 0x0B, 0x0A ^ 0x20,
        (byte) 0x80, (byte) 0xA0, (byte) 0x89, (byte) 0xFF, 'a', '.', '9'};

    @Test
    void theLowestMarkIsTheFirstSeparator() {
        SplittableRandom random = new SplittableRandom(42);
        byte[] bytes = new byte[8];
        for (int round = 0; round < 2_000_000; round++) {
            for (int i = 0; i < 8; i++) {
                bytes[i] = random.nextInt(4) == 0 ? (byte) random.nextInt(256) : TRICKY[random.nextInt(TRICKY.length)];
            }
            long word = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
            long marks = ProtocolParser.separators(word);
            int expected = 8;
            for (int i = 0; i < 8; i++) {
                if (bytes[i] == ' ' || bytes[i] == '\t' || bytes[i] == '\n') {
                    expected = i;
                    break;
                }
            }
            int found = marks == 0 ? 8 : Long.numberOfTrailingZeros(marks) >>> 3;
            assertEquals(expected, found, () -> java.util.Arrays.toString(bytes));
        }
    }
}
