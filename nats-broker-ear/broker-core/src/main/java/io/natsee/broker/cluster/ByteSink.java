package io.natsee.broker.cluster;

import java.nio.ByteBuffer;

/**
 * Where {@link RouteProtocolWriter} appends bytes: a connection's outbound buffer in the
 * engine, a growing array in tests. Implementations need not be thread-safe; the writer calls
 * them from the thread that owns the buffer.
 */
public interface ByteSink {

    void put(byte b);

    void put(byte[] bytes);

    /** Appends {@code length} bytes of {@code source} from the absolute index {@code offset}. */
    void put(ByteBuffer source, int offset, int length);

    /** Appends a non-negative number in decimal. */
    default void putDecimal(long value) {
        if (value < 10) {
            put((byte) ('0' + value));
            return;
        }
        put(Long.toString(value).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }
}
