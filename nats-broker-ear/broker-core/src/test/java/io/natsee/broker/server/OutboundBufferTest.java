package io.natsee.broker.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The connection's outbound byte buffer. */
class OutboundBufferTest {

    private final OutboundBuffer buffer = new OutboundBuffer();

    private String content() {
        return new String(buffer.array(), 0, buffer.length(), StandardCharsets.ISO_8859_1);
    }

    private String decimal(long value) {
        buffer.clear();
        buffer.reserve(20);
        buffer.putDecimal(value);
        return content();
    }

    @Test
    void decimalOfEverySmallNumber() {
        for (long value = 0; value <= 100_000; value++) {
            assertEquals(Long.toString(value), decimal(value));
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {9, 10, 99, 100, 999, 1000, 9999, 10_000, 99_999, 100_000, 999_999, 1_000_000, 9_999_999,
        10_000_000, 99_999_999, 100_000_000, 999_999_999, 1_000_000_000, 1_000_000_001, 2_147_483_647L, 2_147_483_648L,
        4_294_967_296L, 9_999_999_999L, 10_000_000_000L, 123_456_789_012_345L, 999_999_999_999_999_999L,
        1_000_000_000_000_000_000L, Long.MAX_VALUE - 1, Long.MAX_VALUE})
    void decimalAtDigitBoundariesAndAcrossTheLongRange(long value) {
        assertEquals(Long.toString(value), decimal(value));
    }

    @Test
    void decimalOfRandomLongs() {
        Random random = new Random(42);
        for (int i = 0; i < 100_000; i++) {
            long value = random.nextLong() >>> (1 + random.nextInt(63));
            assertEquals(Long.toString(value), decimal(value));
        }
    }

    @Test
    void decimalsAppendAfterExistingBytes() {
        buffer.append("MSG a 1 ");
        buffer.reserve(40);
        buffer.putDecimal(5);
        buffer.put((byte) ' ');
        buffer.putDecimal(1_234_567_890_123L);
        buffer.put((byte) ' ');
        buffer.putDecimal(42);
        assertEquals("MSG a 1 5 1234567890123 42", content());
    }

    @Test
    void startsEmptyWithoutAnArrayUntilTheFirstWrite() {
        assertTrue(buffer.isEmpty());
        assertEquals(0, buffer.length());
        assertEquals(0, buffer.capacity(), "an idle new connection holds no outbound memory");
        assertFalse(buffer.full());
        buffer.reserve(1);
        assertEquals(OutboundBuffer.INITIAL_CAPACITY, buffer.capacity());
    }

    @Test
    void reserveKeepsTheArrayWhenThereIsRoom() {
        buffer.reserve(1);
        byte[] array = buffer.array();
        buffer.reserve(OutboundBuffer.INITIAL_CAPACITY);
        assertSame(array, buffer.array());
        buffer.append("abc");
        buffer.reserve(OutboundBuffer.INITIAL_CAPACITY - 3);
        assertSame(array, buffer.array());
    }

    @Test
    void reserveGrowsAtLeastDoublingAndKeepsContent() {
        buffer.append("hello ");
        buffer.reserve(OutboundBuffer.INITIAL_CAPACITY);
        assertEquals(OutboundBuffer.INITIAL_CAPACITY * 2, buffer.capacity(), "doubles when that is enough");
        assertEquals("hello ", content());
        buffer.reserve(100_000);
        assertEquals(100_006, buffer.capacity(), "grows to the need when doubling is not enough");
        assertEquals("hello ", content());
    }

    @Test
    void appendGrowsByItself() {
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 2000; i++) {
            String line = "MSG subject." + i + " " + i + " 5\r\n";
            buffer.append(line);
            buffer.append(new byte[] {'h', 'e', 'l', 'l', 'o', '\r', '\n'});
            expected.append(line).append("hello\r\n");
        }
        assertEquals(expected.toString(), content());
        assertTrue(buffer.capacity() >= buffer.length());
    }

    @Test
    void fullAtTheFlushThreshold() {
        buffer.append(new byte[OutboundBuffer.FLUSH_THRESHOLD - 1]);
        assertFalse(buffer.full());
        buffer.append(new byte[1]);
        assertTrue(buffer.full());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 7, 15, 16, 17, 100, 5000})
    void putFromHeapAndDirectBuffersAtOffsets(int count) {
        byte[] source = new byte[count + 20];
        for (int i = 0; i < source.length; i++) {
            source[i] = (byte) ('a' + i % 26);
        }
        String expected = new String(source, 7, count, StandardCharsets.ISO_8859_1);

        ByteBuffer heap = ByteBuffer.wrap(source);
        ByteBuffer direct = ByteBuffer.allocateDirect(source.length).put(source).flip();
        ByteBuffer slice = ByteBuffer.wrap(source, 3, source.length - 3).slice(); // array offset 3
        ByteBuffer readOnly = ByteBuffer.wrap(source).asReadOnlyBuffer(); // no accessible array

        for (ByteBuffer from : new ByteBuffer[] {heap, direct, readOnly}) {
            buffer.clear();
            buffer.append("x");
            buffer.reserve(count);
            buffer.put(from, 7, count);
            assertEquals("x" + expected, content(), from.toString());
            assertEquals(0, from.position(), "absolute reads leave the position");
        }
        buffer.clear();
        buffer.reserve(count);
        buffer.put(slice, 4, count);
        assertEquals(expected, content(), "a slice is read from its own index 0");
    }

    @Test
    void putBytesAndSingleBytes() {
        buffer.reserve(10);
        buffer.put("PING".getBytes(StandardCharsets.US_ASCII));
        buffer.put((byte) '\r');
        buffer.put((byte) '\n');
        buffer.put(new byte[0]);
        assertEquals("PING\r\n", content());
        assertEquals(6, buffer.length());
        assertFalse(buffer.isEmpty());
    }

    @Test
    void clearEmptiesAndKeepsAModerateArray() {
        buffer.append(new byte[OutboundBuffer.SHRINK_ABOVE]);
        byte[] grown = buffer.array();
        buffer.clear();
        assertTrue(buffer.isEmpty());
        assertSame(grown, buffer.array(), "a buffer at the shrink limit is kept for reuse");
        buffer.append("after");
        assertEquals("after", content());
    }

    @Test
    void clearShrinksAVeryLargeArray() {
        buffer.append(new byte[OutboundBuffer.SHRINK_ABOVE + 1]);
        assertTrue(buffer.capacity() > OutboundBuffer.SHRINK_ABOVE);
        buffer.clear();
        assertTrue(buffer.isEmpty());
        assertEquals(OutboundBuffer.INITIAL_CAPACITY, buffer.capacity());
        buffer.append("after");
        assertEquals("after", content());
    }

    @Test
    void shrinkIfIdle() {
        buffer.append(new byte[OutboundBuffer.INITIAL_CAPACITY + 1]);
        int grown = buffer.capacity();
        buffer.shrinkIfIdle();
        assertEquals(grown, buffer.capacity(), "not while holding bytes");
        buffer.clear();
        buffer.shrinkIfIdle();
        assertEquals(0, buffer.capacity(), "an idle buffer gives its whole array back");
        buffer.append("after");
        assertEquals("after", content());
        assertEquals(OutboundBuffer.INITIAL_CAPACITY, buffer.capacity());
    }
}
