package io.natsee.broker.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Reading a CONNECT's fields without a tree. */
class ConnectFieldsTest {

    private static ConnectFields parse(String json) {
        return ConnectFields.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "null", "[]", "[{\"verbose\":true}]", "\"text\"", "12", "{", "{\"verbose\":}",
        "{\"verbose\" true}", "{verbose:true}", "{\"a\":1,}", "{\"a\":[1,2}", "{\"a\":\"unterminated}"})
    void whatIsNotOneWholeObjectIsRefused(String json) {
        assertNull(parse(json), json);
    }

    @Test
    void booleansNumbersAndTextAreReadAsTheTreeReadThem() {
        ConnectFields fields = parse("{\"verbose\":false,\"pedantic\":1,\"echo\":0,\"headers\":\"true\",\"a\":\" false \","
                + "\"b\":\"yes\",\"c\":1.5,\"protocol\":1,\"p2\":\"7\",\"p3\":true,\"p4\":\"x\",\"n\":null}");
        assertNotNull(fields);
        assertFalse(fields.bool("verbose", true));
        assertTrue(fields.bool("pedantic", false));
        assertFalse(fields.bool("echo", true));
        assertTrue(fields.bool("headers", false));
        assertFalse(fields.bool("a", true));
        assertTrue(fields.bool("b", true));
        assertFalse(fields.bool("b", false));
        assertTrue(fields.bool("c", true));
        assertFalse(fields.bool("n", false));
        assertTrue(fields.bool("missing", true));
        assertEquals(1, fields.integer("protocol", 0));
        assertEquals(7, fields.integer("p2", 0));
        assertEquals(1, fields.integer("p3", 0));
        assertEquals(-1, fields.integer("p4", -1));
        assertEquals(1, fields.integer("c", 0));
        assertEquals(-1, fields.integer("missing", -1));
    }

    @Test
    void textIsTheScalarsLiteralAndNullOrAbsentIsTheDefault() {
        ConnectFields fields = parse("{\"name\":\"app \\u00e9\",\"user\":42,\"pass\":true,\"tags\":{\"x\":[1,{\"y\":2}]},"
                + "\"list\":[1,2],\"n\":null,\"f\":2.50}");
        assertEquals("app \u00e9", fields.text("name", ""));
        assertEquals("42", fields.textOrNull("user"));
        assertEquals("true", fields.textOrNull("pass"));
        assertEquals("", fields.textOrNull("tags"));
        assertEquals("", fields.textOrNull("list"));
        assertEquals("2.50", fields.textOrNull("f"));
        assertNull(fields.textOrNull("n"));
        assertNull(fields.textOrNull("missing"));
        assertEquals("d", fields.text("n", "d"));
        assertTrue(fields.hasNonNull("tags"));
        assertTrue(fields.hasNonNull("name"));
        assertFalse(fields.hasNonNull("n"));
        assertFalse(fields.hasNonNull("missing"));
    }

    @Test
    void aLaterDuplicateWinsAndWhatFollowsTheObjectIsIgnored() {
        ConnectFields fields = parse("{\"user\":\"a\",\"user\":\"b\"} trailing");
        assertNotNull(fields);
        assertEquals("b", fields.textOrNull("user"));
    }

    @Test
    void anEmptyObjectHasNoFields() {
        ConnectFields fields = parse(" {} ");
        assertNotNull(fields);
        assertTrue(fields.bool("verbose", true));
        assertFalse(fields.hasNonNull("verbose"));
    }
}
