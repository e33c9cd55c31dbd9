package io.natsee.broker.server;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The top-level fields of a client's CONNECT, read with jackson-core's streaming parser. A
 * CONNECT is one flat object, so no tree is built: Jackson's data binding (about 350 classes,
 * some MiB of every server's footprint) is not needed on a client's first operation.
 *
 * <p>The readers convert as Jackson's tree nodes did before (a number is a boolean when it is
 * not 0, the text {@code "true"} or {@code "false"} is one, a scalar's text is its literal), so
 * what clients send means what it meant. Nested objects and arrays are skipped; a later
 * duplicate field wins; what follows the object is ignored.
 */
final class ConnectFields {

    private static final JsonFactory JSON = new JsonFactory();

    /** Stands for a field whose value is an object or an array. */
    private static final Object STRUCTURE = new Object();
    /** Stands for a field whose value is {@code null}. */
    private static final Object NULL = new Object();

    /** Text values as String, booleans as Boolean, numbers as Number (their literal kept). */
    private final Map<String, Object> fields;

    private ConnectFields(Map<String, Object> fields) {
        this.fields = fields;
    }

    /** The fields of the JSON object in {@code bytes}, or null when they are not one. */
    static ConnectFields parse(byte[] bytes) {
        try (JsonParser parser = JSON.createParser(bytes)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            Map<String, Object> fields = new HashMap<>();
            for (JsonToken token = parser.nextToken(); token != JsonToken.END_OBJECT; token = parser.nextToken()) {
                if (token != JsonToken.FIELD_NAME) {
                    return null;
                }
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if (value == null) {
                    return null;
                }
                fields.put(name, switch (value) {
                    case START_OBJECT, START_ARRAY -> {
                        parser.skipChildren();
                        yield STRUCTURE;
                    }
                    case VALUE_TRUE -> Boolean.TRUE;
                    case VALUE_FALSE -> Boolean.FALSE;
                    case VALUE_NULL -> NULL;
                    case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> new Literal(parser.getText(), value == JsonToken.VALUE_NUMBER_INT
                            ? parser.getNumberValue() : parser.getDoubleValue());
                    default -> parser.getText();
                });
            }
            return new ConnectFields(fields);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Whether the field is there with a value other than {@code null}. */
    boolean hasNonNull(String name) {
        Object value = fields.get(name);
        return value != null && value != NULL;
    }

    /** The field as a boolean, {@code otherwise} when it is absent or not one. */
    boolean bool(String name, boolean otherwise) {
        Object value = fields.get(name);
        if (value instanceof Boolean b) {
            return b;
        }
        if (value instanceof Literal number) {
            return number.value() instanceof Double ? otherwise : number.value().longValue() != 0;
        }
        if (value instanceof String text) {
            String trimmed = text.trim();
            return trimmed.equals("true") || (!trimmed.equals("false") && otherwise);
        }
        return otherwise;
    }

    /** The field as an int, {@code otherwise} when it is absent or not a number. */
    int integer(String name, int otherwise) {
        Object value = fields.get(name);
        if (value instanceof Literal number) {
            return number.value().intValue();
        }
        if (value instanceof Boolean b) {
            return b ? 1 : 0;
        }
        if (value instanceof String text) {
            try {
                return Integer.parseInt(text.trim());
            } catch (NumberFormatException e) {
                return otherwise;
            }
        }
        return otherwise;
    }

    /** The field's text (a scalar's literal, "" for an object), {@code otherwise} when absent or null. */
    String text(String name, String otherwise) {
        Object value = fields.get(name);
        if (value == null || value == NULL) {
            return otherwise;
        }
        if (value == STRUCTURE) {
            return "";
        }
        return value instanceof Literal number ? number.text() : value.toString();
    }

    /** The field's text, or null when it is absent or null. */
    String textOrNull(String name) {
        return text(name, null);
    }

    /** A number as written, and its value. */
    private record Literal(String text, Number value) {
    }
}
