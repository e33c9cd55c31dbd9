package io.natsee.broker.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.natsee.broker.config.ConfigValue.ArrayValue;
import io.natsee.broker.config.ConfigValue.BooleanValue;
import io.natsee.broker.config.ConfigValue.DateValue;
import io.natsee.broker.config.ConfigValue.FloatValue;
import io.natsee.broker.config.ConfigValue.IntegerValue;
import io.natsee.broker.config.ConfigValue.MapValue;
import io.natsee.broker.config.ConfigValue.StringValue;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Syntax, values, variables and error reporting of {@link ConfigFileParser}; includes are in {@link ConfigIncludeTest}. */
class ConfigFileParserTest {

    private static final Path FILE = Path.of("test.conf");

    private static MapValue parse(String text) throws ConfigException {
        return parse(text, Map.of());
    }

    private static MapValue parse(String text, Map<String, String> environment) throws ConfigException {
        return new ConfigFileParser(environment).parse(text, FILE);
    }

    private static List<String> errors(String text) {
        return errors(text, Map.of());
    }

    private static List<String> errors(String text, Map<String, String> environment) {
        ConfigException e = assertThrows(ConfigException.class, () -> parse(text, environment));
        return e.errors().stream().map(ConfigError::toString).toList();
    }

    private static Object plain(String text) throws ConfigException {
        return parse(text).toPlain();
    }

    @Test
    void readsTheThreeKeyValueSeparators() throws ConfigException {
        assertEquals(Map.of("a", 1L, "b", 2L, "c", 3L), plain("a: 1\nb = 2\nc 3\n"));
    }

    @Test
    void readsSeparatorsWithoutSpaces() throws ConfigException {
        assertEquals(Map.of("a", 1L, "b", 2L), plain("a:1\nb=2"));
    }

    @Test
    void readsBlocksWithAndWithoutSeparator() throws ConfigException {
        Object expected = Map.of("x", 1L, "y", "two");
        assertEquals(Map.of("name", expected), plain("name { x: 1, y: two }"));
        assertEquals(Map.of("name", expected), plain("name: { x: 1; y: two }"));
        assertEquals(Map.of("name", expected), plain("name = {\n  x: 1\n  y = two\n}\n"));
        assertEquals(Map.of("name", expected), plain("name\n{\n  x 1\n  y two\n}"));
    }

    @Test
    void readsNestedBlocks() throws ConfigException {
        assertEquals(Map.of("a", Map.of("b", Map.of("c", true))), plain("a {\n b {\n  c: true\n }\n}"));
    }

    @Test
    void keepsTheOrderEntriesWereWrittenIn() throws ConfigException {
        assertEquals(List.of("zeta", "alpha", "mid"), List.copyOf(parse("zeta: 1\nalpha: 2\nmid: 3").entries().keySet()));
    }

    @Test
    void lastDefinitionOfAKeyWins() throws ConfigException {
        MapValue root = parse("port: 1\nport: 2\n");
        assertEquals(2L, root.get("port").toPlain());
        assertEquals(2, root.entry("port").keyPosition().line());
    }

    @Test
    void readsArraysSeparatedByCommasOrNewLines() throws ConfigException {
        assertEquals(Map.of("a", List.of(1L, 2L, 3L)), plain("a: [1, 2, 3]"));
        assertEquals(Map.of("a", List.of("x", "y", "z")), plain("a: [\n  x\n  y,\n  z,\n]"));
        assertEquals(Map.of("a", List.of()), plain("a: []"));
    }

    @Test
    void readsArraysOfBlocksAndArrays() throws ConfigException {
        Object users = plain("users = [\n  {user: alice, password: secret}\n  {user: bob}\n]\nm: [[1, 2], [3]]");
        assertEquals(Map.of(
                "users", List.of(Map.of("user", "alice", "password", "secret"), Map.of("user", "bob")),
                "m", List.of(List.of(1L, 2L), List.of(3L))), users);
    }

    @Test
    void skipsCommentsEverywhereTheyAreAllowed() throws ConfigException {
        String text = """
                # a hash comment
                // a slash comment
                a: 1 # after a value
                b: 2 // after a value
                c {
                  # inside a block
                  d: 3 // after a block value
                }
                e: [
                  1, # inside an array
                  // alone in an array
                  2
                ]
                """;
        assertEquals(Map.of("a", 1L, "b", 2L, "c", Map.of("d", 3L), "e", List.of(1L, 2L)), plain(text));
    }

    @Test
    void acceptsOptionalTerminators() throws ConfigException {
        assertEquals(Map.of("a", 1L, "b", "x", "c", Map.of("d", 2L)), plain("a: 1;\nb: x,\nc { d: 2; };"));
    }

    @Test
    void readsDoubleQuotedStringsWithEscapes() throws ConfigException {
        assertEquals("tab\tnew\nret\rquote\"back\\hex:A", parse("s: \"tab\\tnew\\nret\\rquote\\\"back\\\\hex:\\x41\"").get("s").toPlain());
    }

    @Test
    void decodesHexEscapesAsUtf8Bytes() throws ConfigException {
        assertEquals("caf\u00e9", parse("s: \"caf\\xc3\\xa9\"").get("s").toPlain());
    }

    @Test
    void acceptsJsonEscapesBeyondNatsServer() throws ConfigException {
        assertEquals("a/b\u00e9", parse("s: \"a\\/b\\u00e9\"").get("s").toPlain());
    }

    @Test
    void readsSingleQuotedStringsRaw() throws ConfigException {
        assertEquals("C:\\path\\n", parse("s: 'C:\\path\\n'").get("s").toPlain());
    }

    @Test
    void readsBareStringsUpToWhitespaceOrTerminator() throws ConfigException {
        assertEquals(Map.of("a", "hello", "b", "nats://localhost:4222", "c", List.of("x.y", "z")),
                plain("a: hello\nb: nats://localhost:4222\nc: [x.y,z]"));
    }

    @Test
    void readsBlockStrings() throws ConfigException {
        assertEquals("line one\nline two", parse("s: (\nline one\nline two\n)\nt: 1").get("s").toPlain().toString().strip());
    }

    @ParameterizedTest
    @CsvSource({"true,true", "TRUE,true", "yes,true", "On,true", "false,false", "no,false", "OFF,false"})
    void readsEveryBooleanWord(String word, boolean expected) throws ConfigException {
        assertEquals(new BooleanValue(expected, new ConfigPosition("test.conf", 1, 4)), parse("b: " + word).get("b"));
    }

    @Test
    void quotedBooleanWordsStayStrings() throws ConfigException {
        assertInstanceOf(StringValue.class, parse("b: \"true\"").get("b"));
    }

    @Test
    void readsIntegersFloatsAndNegativeNumbers() throws ConfigException {
        assertEquals(Map.of("i", 4222L, "n", -5L, "f", 1.5, "g", -0.25), plain("i: 4222\nn: -5\nf: 1.5\ng: -0.25"));
        assertInstanceOf(FloatValue.class, parse("f: 2.0").get("f"));
    }

    @ParameterizedTest
    @CsvSource({
        "1k,1000", "1K,1000", "1kb,1024", "1KB,1024", "1Ki,1024", "1KiB,1024",
        "2m,2000000", "2MB,2097152", "1g,1000000000", "1GB,1073741824", "2gi,2147483648",
        "1t,1000000000000", "1TB,1099511627776", "1p,1000000000000000", "-1k,-1000"})
    void appliesSizeSuffixes(String text, long expected) throws ConfigException {
        IntegerValue value = assertInstanceOf(IntegerValue.class, parse("size: " + text).get("size"));
        assertEquals(expected, value.value());
        assertEquals(text, value.text());
    }

    @ParameterizedTest
    @ValueSource(strings = {"10s", "4222abc", "0x10", "1_000", "1kx", "127.0.0.1", "127.0.0.1:4222", "10.0.0.1:-1"})
    void readsWordsThatStartWithDigitsAsStringsLikeNatsServer(String word) throws ConfigException {
        assertEquals(word, assertInstanceOf(StringValue.class, parse("v: " + word).get("v")).value());
    }

    @Test
    void durationsStayStrings() throws ConfigException {
        assertEquals(Map.of("a", "2m", "b", "1h30m", "c", "10s"), plain("a: \"2m\"\nb: '1h30m'\nc: 10s"));
    }

    @Test
    void bareTwoMIsTwoMillionAsInNatsServer() throws ConfigException {
        // nats-server reads an unquoted 2m as the size 2M; durations with m must be quoted.
        assertEquals(2_000_000L, parse("ping_interval: 2m").get("ping_interval").toPlain());
    }

    @Test
    void readsZuluDates() throws ConfigException {
        DateValue date = assertInstanceOf(DateValue.class, parse("d: 2023-01-31T12:30:00Z").get("d"));
        assertEquals(Instant.parse("2023-01-31T12:30:00Z"), date.value());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "v: 1.5s|test.conf:1:4: '1.5s' is not a valid number",
        "v: 1.|test.conf:1:4: '1.' is not a valid number",
        "v: 1k5|test.conf:1:4: '1k5' is not a valid number",
        "v: 1e5|test.conf:1:4: '1e5' is not a valid number",
        "v: -5x|test.conf:1:4: expected a number after '-': '-5x'",
        "v: .5|test.conf:1:4: floats must start with a digit: '.5'",
        "v: 2020-01-01|test.conf:1:4: dates must be in full Zulu form (2006-01-02T15:04:05Z): '2020-01-01'",
        "v: 2020-13-01T00:00:00Z|test.conf:1:4: '2020-13-01T00:00:00Z' is not a valid date",
        "v: 99999999999999999999|test.conf:1:4: integer '99999999999999999999' is out of range",
        "v: 99999999999E|test.conf:1:4: size '99999999999E' is out of range",
        "v: 1kbi|test.conf:1:4: unknown size suffix in '1kbi'"})
    void reportsBadNumbers(String text, String expected) {
        assertEquals(List.of(expected), errors(text));
    }

    @Test
    void readsJson() throws ConfigException {
        String json = """
                {
                  "port": 4222,
                  "server_name": "json",
                  "debug": true,
                  "ratio": 0.5,
                  "cluster": {"routes": ["nats://a:6222", "nats://b:6222"], "name": "c"},
                  "text": "caf\\u00e9"
                }
                """;
        assertEquals(Map.of("port", 4222L, "server_name", "json", "debug", true, "ratio", 0.5,
                "cluster", Map.of("routes", List.of("nats://a:6222", "nats://b:6222"), "name", "c"),
                "text", "caf\u00e9"), plain(json));
    }

    @Test
    void readsQuotedKeys() throws ConfigException {
        assertEquals(Map.of("a key", 1L, "other", 2L), plain("\"a key\": 1\n'other' = 2"));
    }

    @Test
    void readsWindowsLineEndings() throws ConfigException {
        MapValue root = parse("a: 1\r\nb {\r\n  c: x\r\n}\r\n");
        assertEquals(Map.of("a", 1L, "b", Map.of("c", "x")), root.toPlain());
        assertEquals(new ConfigPosition("test.conf", 3, 3), ((MapValue) root.get("b")).entry("c").keyPosition());
    }

    @Test
    void remembersPositionsOfKeysAndValues() throws ConfigException {
        MapValue root = parse("# comment\nport: 4222\n  block {\n\tinner =   \"x\"\n  }\n");
        ConfigEntry port = root.entry("port");
        assertEquals(new ConfigPosition("test.conf", 2, 1), port.keyPosition());
        assertEquals(new ConfigPosition("test.conf", 2, 7), port.value().position());
        ConfigEntry block = root.entry("block");
        assertEquals(new ConfigPosition("test.conf", 3, 3), block.keyPosition());
        assertEquals(new ConfigPosition("test.conf", 3, 9), block.value().position());
        ConfigEntry inner = ((MapValue) block.value()).entry("inner");
        assertEquals(new ConfigPosition("test.conf", 4, 2), inner.keyPosition());
        assertEquals(new ConfigPosition("test.conf", 4, 12), inner.value().position());
    }

    @Test
    void resolvesVariablesDefinedEarlier() throws ConfigException {
        MapValue root = parse("PORT = 4333\nport: $PORT\nname: $NAME\nNAME: late", Map.of("NAME", "from-env"));
        assertEquals(4333L, root.get("port").toPlain());
        assertEquals(new ConfigPosition("test.conf", 2, 7), root.get("port").position());
        assertEquals("from-env", root.get("name").toPlain());
        assertTrue(root.entry("PORT").usedAsVariable());
        assertFalse(root.entry("NAME").usedAsVariable());
    }

    @Test
    void resolvesVariablesFromEnclosingBlocksInnermostFirst() throws ConfigException {
        String text = """
                USER = outer
                other = outer-only
                block {
                  USER = inner
                  a: $USER
                  b: $other
                  list: [$USER, {c: $USER}]
                }
                d: $USER
                """;
        MapValue block = (MapValue) parse(text).get("block");
        assertEquals("inner", block.get("a").toPlain());
        assertEquals("outer-only", block.get("b").toPlain());
        assertEquals(List.of("inner", Map.of("c", "inner")), block.get("list").toPlain());
        assertEquals("outer", parse(text).get("d").toPlain());
    }

    @Test
    void variablesAreCaseSensitiveAndNotExpandedInQuotes() throws ConfigException {
        MapValue root = parse("Var = 1\na: \"$Var\"\nb: $Var");
        assertEquals("$Var", root.get("a").toPlain());
        assertEquals(1L, root.get("b").toPlain());
        assertEquals(List.of("test.conf:2:4: variable reference for 'var' can not be found"), errors("Var = 1\nb: $var"));
    }

    @Test
    void parsesEnvironmentValuesAsValues() throws ConfigException {
        MapValue root = parse("port: $PORT\ndebug: $DEBUG\nhost: $HOST\nsize: $SIZE\nlist: $LIST\nempty: $EMPTY",
                Map.of("PORT", "4222", "DEBUG", "true", "HOST", "127.0.0.1", "SIZE", "1KB", "LIST", "[a, b]", "EMPTY", ""));
        assertEquals(Map.of("port", 4222L, "debug", true, "host", "127.0.0.1", "size", 1024L,
                "list", List.of("a", "b"), "empty", ""), root.toPlain());
    }

    @Test
    void reportsEnvironmentValuesThatAreNotValues() {
        assertEquals(List.of("test.conf:1:7: environment variable BAD has a value that is not valid here:"
                + " expected a new line, ';' or a comment after the value of \"pk\" but found 'b'"),
                errors("name: $BAD", Map.of("BAD", "a b")));
    }

    @Test
    void reportsEnvironmentVariablesThatReferToThemselves() {
        assertEquals(List.of("test.conf:1:4: environment variable LOOP has a value that is not valid here:"
                + " environment variable LOOP refers to itself"), errors("a: $LOOP", Map.of("LOOP", "$LOOP")));
    }

    @Test
    void readsBcryptHashesAsStrings() throws ConfigException {
        String hash = "$2a$11$W2zko751KUvVy59mUTWmpOdWjpEm5qhcCZRd05GjI/sSOT.xtiHyG";
        assertEquals(hash, parse("password: " + hash).get("password").toPlain());
    }

    @Test
    void reportsUnknownVariablesWithTheirPosition() {
        assertEquals(List.of("test.conf:2:9: variable reference for 'NOPE' can not be found"),
                errors("a: 1\n  port: $NOPE\n"));
    }

    @Test
    void aVariableCannotReferToTheKeyBeingDefined() {
        assertEquals(List.of("test.conf:1:6: variable reference for 'port' can not be found"), errors("port $port"));
    }

    @Test
    void collectsEveryErrorWithItsPosition() {
        String text = """
                port: 4222
                a: "unterminated escape \\q"
                b: $MISSING
                c {
                  d: 1 2
                  e: ok
                  f: [1, , 2]
                }
                g: [1
                  2 3]
                h: ok
                i: 1.5x
                """;
        assertEquals(List.of(
                "test.conf:2:25: invalid escape character 'q'; allowed are \\xXX, \\t, \\n, \\r, \\\", \\\\ (and JSON's \\uXXXX, \\/, \\b, \\f)",
                "test.conf:3:4: variable reference for 'MISSING' can not be found",
                "test.conf:5:8: expected ',', ';', a new line or '}' after the value of \"d\" but found '2'",
                "test.conf:7:10: unexpected ',' in array",
                "test.conf:10:5: expected ',' or ']' after an array element but found '3'",
                "test.conf:12:4: '1.5x' is not a valid number"), errors(text));
    }

    @Test
    void recoveryKeepsTheEntriesAroundAnError() {
        ConfigException e = assertThrows(ConfigException.class, () -> parse("a {\n  x: @@ bad\n  y: 2\n}\nz: 3"));
        assertEquals(1, e.errors().size());
        assertEquals(new ConfigPosition("test.conf", 2, 9), e.errors().get(0).position());
    }

    static Stream<Arguments> syntaxErrors() {
        return Stream.of(
                Arguments.of("a: \"open", "test.conf:1:4: string is not terminated: missing '\"'"),
                Arguments.of("a: 'open", "test.conf:1:4: string is not terminated: missing \"'\""),
                Arguments.of("a: (\nno end", "test.conf:1:4: block string is not terminated: ')' must stand alone on a line"),
                Arguments.of("a: [1, 2", "test.conf:1:4: array is not terminated: missing ']'"),
                Arguments.of("a {\n b: 1\n", "test.conf:1:3: block is not terminated: missing '}'"),
                Arguments.of("a:\nb: 1", "test.conf:1:3: expected a value for \"a\" but found a new line"),
                Arguments.of("a: ;", "test.conf:1:4: expected a value for \"a\" but found ';'"),
                Arguments.of("lonely", "test.conf:1:1: key \"lonely\" has no value"),
                Arguments.of("a: 1 2", "test.conf:1:6: expected a new line, ';' or a comment after the value of \"a\" but found '2'"),
                Arguments.of(": 1", "test.conf:1:1: unexpected ':' where a key was expected"),
                Arguments.of("a: \"\\x4\"", "test.conf:1:5: expected 2 hexadecimal digits after '\\x'"),
                Arguments.of("\"key: 1", "test.conf:1:1: quoted key is not terminated: missing \""));
    }

    @ParameterizedTest
    @MethodSource("syntaxErrors")
    void reportsSyntaxErrors(String text, String expected) {
        assertEquals(List.of(expected), errors(text));
    }

    @Test
    void keysWithoutSeparatorMayHaveTheirValueOnTheNextLineLikeNatsServer() throws ConfigException {
        assertEquals(Map.of("a", 1L), plain("a\n  1"));
        assertEquals(Map.of("b", Map.of("c", 2L)), plain("b {\n c:\n 2\n}"));
    }

    @Test
    void errorsHaveTheCompilerStyleFormat() {
        ConfigError error = new ConfigError("dir/a.conf", 3, 1, "boom");
        assertEquals("dir/a.conf:3:1: boom", error.toString());
        ConfigException exception = new ConfigException(List.of(error, new ConfigError("b.conf", 1, 2, "bang")));
        assertEquals("dir/a.conf:3:1: boom" + System.lineSeparator() + "b.conf:1:2: bang", exception.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ConfigException(List.of()));
    }

    @Test
    void aByteOrderMarkIsIgnored() throws ConfigException {
        assertEquals(Map.of("a", 1L), plain("\uFEFFa: 1"));
    }

    @Test
    void emptyFilesAndCommentOnlyFilesAreEmpty() throws ConfigException {
        assertEquals(Map.of(), plain(""));
        assertEquals(Map.of(), plain("# nothing\n\n// here\n"));
    }

    @Test
    void arrayValuesKeepTheirOwnPositions() throws ConfigException {
        ArrayValue array = (ArrayValue) parse("a: [\n  x,\n    y\n]").get("a");
        assertEquals(new ConfigPosition("test.conf", 2, 3), array.elements().get(0).position());
        assertEquals(new ConfigPosition("test.conf", 3, 5), array.elements().get(1).position());
    }
}
