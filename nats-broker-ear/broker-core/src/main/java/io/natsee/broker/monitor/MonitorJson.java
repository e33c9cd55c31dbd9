package io.natsee.broker.monitor;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.PrettyPrinter;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.util.Instantiatable;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

/**
 * Writes the monitoring records as nats-server's Go {@code encoding/json} does: its field names and
 * order, map keys sorted, durations in nanoseconds, times as RFC 3339 with nanoseconds, floats
 * without a needless {@code .0}, {@code <}, {@code >} and {@code &} escaped, and (for
 * {@link #pretty}) {@code json.MarshalIndent}'s layout with two-space indentation. Thread-safe.
 */
public final class MonitorJson {

    private final ObjectWriter compactWriter;
    private final ObjectWriter prettyWriter;

    /** A writer with nats-server's conventions. */
    public MonitorJson() {
        SimpleModule goValues = new SimpleModule("go-values");
        goValues.addSerializer(Instant.class, new InstantSerializer());
        goValues.addSerializer(Duration.class, new DurationSerializer());
        goValues.addSerializer(Double.class, new Float64Serializer());
        goValues.addSerializer(double.class, new Float64Serializer());
        ObjectMapper mapper = new ObjectMapper()
                .registerModule(goValues)
                .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
        mapper.getFactory().setCharacterEscapes(new GoEscapes());
        this.compactWriter = mapper.writer();
        this.prettyWriter = mapper.writer(new GoPrettyPrinter());
    }

    /** The value as {@code json.MarshalIndent(value, "", "  ")} writes it (how /varz is served). */
    public byte[] pretty(Object value) {
        return write(prettyWriter, value);
    }

    /** The value as {@code json.Marshal} writes it (how /healthz is served). */
    public byte[] compact(Object value) {
        return write(compactWriter, value);
    }

    /** {@link #pretty} as text. */
    public String prettyString(Object value) {
        return new String(pretty(value), StandardCharsets.UTF_8);
    }

    /** {@link #compact} as text. */
    public String compactString(Object value) {
        return new String(compact(value), StandardCharsets.UTF_8);
    }

    private static byte[] write(ObjectWriter writer, Object value) {
        try {
            return writer.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    /** Go's {@code time.Time} JSON form. */
    private static final class InstantSerializer extends StdSerializer<Instant> {
        InstantSerializer() {
            super(Instant.class);
        }

        @Override
        public void serialize(Instant value, JsonGenerator generator, SerializerProvider provider) throws IOException {
            generator.writeString(GoFormats.rfc3339Nano(value));
        }
    }

    /** Go's {@code time.Duration} JSON form: an integer count of nanoseconds. */
    private static final class DurationSerializer extends StdSerializer<Duration> {
        DurationSerializer() {
            super(Duration.class);
        }

        @Override
        public void serialize(Duration value, JsonGenerator generator, SerializerProvider provider) throws IOException {
            generator.writeNumber(value.toNanos());
        }
    }

    /** Go's {@code float64} JSON form. */
    private static final class Float64Serializer extends StdSerializer<Double> {
        Float64Serializer() {
            super(Double.class);
        }

        @Override
        public void serialize(Double value, JsonGenerator generator, SerializerProvider provider) throws IOException {
            generator.writeNumber(GoFormats.float64(value));
        }
    }

    /** Go escapes {@code <}, {@code >}, {@code &}, U+2028 and U+2029 with lower-case hex. */
    private static final class GoEscapes extends CharacterEscapes {
        private static final long serialVersionUID = 1L;
        private final int[] asciiEscapes;

        GoEscapes() {
            asciiEscapes = standardAsciiEscapesForJSON();
            asciiEscapes['<'] = ESCAPE_CUSTOM;
            asciiEscapes['>'] = ESCAPE_CUSTOM;
            asciiEscapes['&'] = ESCAPE_CUSTOM;
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return asciiEscapes;
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

    /**
     * The layout of Go's {@code json.MarshalIndent} with prefix "" and indent two spaces:
     * {@code "key": value}, one member or element per line, empty objects and arrays as
     * {@code {}} and {@code []}.
     */
    static final class GoPrettyPrinter implements PrettyPrinter, Instantiatable<GoPrettyPrinter> {
        private int depth;

        @Override
        public GoPrettyPrinter createInstance() {
            return new GoPrettyPrinter();
        }

        @Override
        public void writeRootValueSeparator(JsonGenerator generator) throws IOException {
            generator.writeRaw('\n');
        }

        @Override
        public void writeStartObject(JsonGenerator generator) throws IOException {
            generator.writeRaw('{');
            depth++;
        }

        @Override
        public void beforeObjectEntries(JsonGenerator generator) throws IOException {
            newLine(generator);
        }

        @Override
        public void writeObjectFieldValueSeparator(JsonGenerator generator) throws IOException {
            generator.writeRaw(": ");
        }

        @Override
        public void writeObjectEntrySeparator(JsonGenerator generator) throws IOException {
            generator.writeRaw(',');
            newLine(generator);
        }

        @Override
        public void writeEndObject(JsonGenerator generator, int entries) throws IOException {
            depth--;
            if (entries > 0) {
                newLine(generator);
            }
            generator.writeRaw('}');
        }

        @Override
        public void writeStartArray(JsonGenerator generator) throws IOException {
            generator.writeRaw('[');
            depth++;
        }

        @Override
        public void beforeArrayValues(JsonGenerator generator) throws IOException {
            newLine(generator);
        }

        @Override
        public void writeArrayValueSeparator(JsonGenerator generator) throws IOException {
            generator.writeRaw(',');
            newLine(generator);
        }

        @Override
        public void writeEndArray(JsonGenerator generator, int values) throws IOException {
            depth--;
            if (values > 0) {
                newLine(generator);
            }
            generator.writeRaw(']');
        }

        private void newLine(JsonGenerator generator) throws IOException {
            generator.writeRaw('\n');
            for (int i = 0; i < depth; i++) {
                generator.writeRaw("  ");
            }
        }
    }
}
