package io.natsee.streaming.store.jdbc;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A subscription's free attributes in one text column: each key and value written as
 * {@code <length>:<text>}, keys sorted, so any character is allowed and the text is stable.
 */
final class AttributeCodec {

    private AttributeCodec() {
    }

    static String encode(Map<String, String> attributes) {
        if (attributes.isEmpty()) {
            return "";
        }
        StringBuilder text = new StringBuilder();
        for (Map.Entry<String, String> entry : new TreeMap<>(attributes).entrySet()) {
            append(text, entry.getKey());
            append(text, entry.getValue());
        }
        return text.toString();
    }

    private static void append(StringBuilder text, String value) {
        text.append(value.length()).append(':').append(value);
    }

    /**
     * The attributes of an encoded text.
     *
     * @throws IllegalArgumentException if the text is not an encoding
     */
    static Map<String, String> decode(String text) {
        Map<String, String> attributes = new LinkedHashMap<>();
        int position = 0;
        while (position < text.length()) {
            String[] key = new String[1];
            position = read(text, position, key);
            String[] value = new String[1];
            position = read(text, position, value);
            attributes.put(key[0], value[0]);
        }
        return attributes;
    }

    private static int read(String text, int position, String[] into) {
        int colon = text.indexOf(':', position);
        if (colon <= position) {
            throw new IllegalArgumentException("bad subscription attributes at " + position);
        }
        int length;
        try {
            length = Integer.parseInt(text, position, colon, 10);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad subscription attributes at " + position, e);
        }
        int end = colon + 1 + length;
        if (length < 0 || end > text.length()) {
            throw new IllegalArgumentException("bad subscription attributes at " + position);
        }
        into[0] = text.substring(colon + 1, end);
        return end;
    }
}
