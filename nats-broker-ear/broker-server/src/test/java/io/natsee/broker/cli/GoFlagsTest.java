package io.natsee.broker.cli;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class GoFlagsTest {

    private final GoFlags flags = new GoFlags()
            .define("port", GoFlags.Kind.INTEGER, "p", "port")
            .define("name", GoFlags.Kind.STRING, "n", "name")
            .define("debug", GoFlags.Kind.BOOLEAN, "D", "debug");

    private GoFlags.Parsed parse(String... arguments) throws GoFlags.FlagException {
        return flags.parse(arguments);
    }

    private String error(String... arguments) {
        return assertThrows(GoFlags.FlagException.class, () -> flags.parse(arguments)).getMessage();
    }

    @Test
    void oneOrTwoDashesAndBothValueForms() throws Exception {
        for (String[] form : List.of(
                new String[] {"-p", "4222"}, new String[] {"--p", "4222"}, new String[] {"-p=4222"},
                new String[] {"--p=4222"}, new String[] {"-port", "4222"}, new String[] {"--port", "4222"},
                new String[] {"-port=4222"}, new String[] {"--port=4222"})) {
            assertEquals(Map.of("port", 4222L), parse(form).values(), String.join(" ", form));
        }
    }

    @Test
    void booleansStandAloneOrTakeAnEqualsValue() throws Exception {
        assertEquals(Map.of("debug", true), parse("-D").values());
        assertEquals(Map.of("debug", true), parse("--debug").values());
        assertEquals(Map.of("debug", false), parse("-D=false").values());
        assertEquals(Map.of("debug", true), parse("-D=1").values());
        assertEquals(Map.of("debug", false), parse("--debug=F").values());
        // A boolean never takes the next argument: "false" ends the flags.
        GoFlags.Parsed parsed = parse("-D", "false");
        assertEquals(Map.of("debug", true), parsed.values());
        assertEquals(List.of("false"), parsed.arguments());
    }

    @Test
    void stringsMayBeEmptyOrLookLikeFlags() throws Exception {
        assertEquals(Map.of("name", ""), parse("-n=").values());
        assertEquals(Map.of("name", "-D"), parse("-n", "-D").values());
        assertEquals(Map.of("name", "a=b"), parse("--name=a=b").values());
    }

    @Test
    void theLastOccurrenceWins() throws Exception {
        assertEquals(Map.of("port", 2L), parse("-p", "1", "--port=2").values());
        assertEquals("port", parse("-p", "1", "--port=2").names().get("port"));
    }

    @Test
    void parsingStopsAtTheFirstNonFlagOrAtDoubleDash() throws Exception {
        GoFlags.Parsed parsed = parse("-D", "version", "-p", "1");
        assertEquals(Map.of("debug", true), parsed.values());
        assertEquals(List.of("version", "-p", "1"), parsed.arguments());
        parsed = parse("-p", "1", "--", "-D");
        assertEquals(Map.of("port", 1L), parsed.values());
        assertEquals(List.of("-D"), parsed.arguments());
        assertEquals(List.of("-"), parse("-").arguments());
    }

    @Test
    void goErrorTexts() {
        assertEquals("flag provided but not defined: -x", error("-x"));
        assertEquals("flag provided but not defined: -xyz", error("--xyz=1"));
        assertEquals("flag needs an argument: -p", error("-p"));
        assertEquals("flag needs an argument: -port", error("--port"));
        assertEquals("invalid value \"abc\" for flag -p: parse error", error("-p", "abc"));
        assertEquals("invalid value \"\" for flag -p: parse error", error("-p="));
        assertEquals("invalid value \"99999999999999999999\" for flag -p: value out of range", error("-p", "99999999999999999999"));
        assertEquals("invalid boolean value \"x\" for -D: parse error", error("-D=x"));
        assertEquals("bad flag syntax: ---p", error("---p"));
        assertEquals("bad flag syntax: -=1", error("-=1"));
    }

    @Test
    void integersAsStrconvParseIntWithBaseZero() {
        assertEquals(4222, GoFlags.parseInteger("4222"));
        assertEquals(-1, GoFlags.parseInteger("-1"));
        assertEquals(1, GoFlags.parseInteger("+1"));
        assertEquals(0, GoFlags.parseInteger("0"));
        assertEquals(16, GoFlags.parseInteger("0x10"));
        assertEquals(8, GoFlags.parseInteger("010"));
        assertEquals(8, GoFlags.parseInteger("0o10"));
        assertEquals(5, GoFlags.parseInteger("0b101"));
        assertEquals(1_000, GoFlags.parseInteger("0x3_e8"));
        assertEquals(1, GoFlags.parseInteger("0x_1"));
        assertEquals(Long.MIN_VALUE, GoFlags.parseInteger("-9223372036854775808"));
        for (String bad : List.of("", "-", "1_000", "08", "0x", "4k", " 1", "--1", "0x1_")) {
            assertThrows(NumberFormatException.class, () -> GoFlags.parseInteger(bad), bad);
        }
        assertEquals("value out of range",
                assertThrows(NumberFormatException.class, () -> GoFlags.parseInteger("9223372036854775808")).getMessage());
    }

    @Test
    void quotesAsGoPercentQ() {
        assertEquals("\"abc\"", GoFlags.quote("abc"));
        assertEquals("\"a\\\"b\\\\c\\n\"", GoFlags.quote("a\"b\\c\n"));
    }

    @Test
    void aNameCannotBeDefinedTwice() {
        assertThrows(IllegalArgumentException.class, () -> new GoFlags()
                .define("a", GoFlags.Kind.STRING, "x").define("b", GoFlags.Kind.STRING, "x"));
    }
}
