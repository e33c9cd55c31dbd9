package io.natsee.broker.cluster;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;

/**
 * JSON of the route protocol's INFO and CONNECT, escaped as Go's {@code encoding/json} does
 * ({@code <}, {@code >}, {@code &}, U+2028 and U+2029 as {@code \\u00XX}), so our bytes equal
 * nats-server's for the same values. The mapper is configured once and never changed.
 */
final class RouteJson {

    /** What this server puts in INFO's {@code go} field, which nats-server fills with its Go version. */
    static final String GO_VERSION = "java" + Runtime.version().feature();

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    static {
        MAPPER.getFactory().setCharacterEscapes(new GoEscapes());
    }

    private RouteJson() {
    }

    static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @throws IllegalArgumentException when the bytes are not the expected JSON object
     */
    static <T> T read(byte[] json, Class<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (IOException e) {
            throw new IllegalArgumentException("invalid " + type.getSimpleName() + " JSON: " + e.getMessage(), e);
        }
    }

    static byte[] bytes(ByteBuffer buffer, int offset, int length) {
        byte[] copy = new byte[length];
        buffer.get(offset, copy, 0, length);
        return copy;
    }

    /** Go's HTML-safe escaping on top of JSON's own. */
    private static final class GoEscapes extends CharacterEscapes {
        private static final long serialVersionUID = 1L;
        private final int[] escapes;

        GoEscapes() {
            escapes = standardAsciiEscapesForJSON();
            escapes['<'] = ESCAPE_CUSTOM;
            escapes['>'] = ESCAPE_CUSTOM;
            escapes['&'] = ESCAPE_CUSTOM;
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return escapes;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            return switch (ch) {
                case '<' -> new SerializedString("\\u003c");
                case '>' -> new SerializedString("\\u003e");
                case '&' -> new SerializedString("\\u0026");
                case 0x2028 -> new SerializedString("\\u2028");
                case 0x2029 -> new SerializedString("\\u2029");
                default -> null;
            };
        }
    }

    static {
        // Non-ASCII characters stay UTF-8 (as Go writes them), except the two line separators above.
        MAPPER.getFactory().configure(JsonGenerator.Feature.ESCAPE_NON_ASCII, false);
    }
}
