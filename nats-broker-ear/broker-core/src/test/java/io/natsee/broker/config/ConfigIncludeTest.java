package io.natsee.broker.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.natsee.broker.config.ConfigValue.MapValue;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code include} directive of {@link ConfigFileParser}: paths, merging, scopes and errors. */
class ConfigIncludeTest {

    @TempDir
    Path directory;

    private Path write(String name, String text) throws IOException {
        Path file = directory.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
        return file;
    }

    private static MapValue parse(Path file) throws ConfigException {
        return new ConfigFileParser(Map.of()).parse(file);
    }

    private static List<String> errors(Path file) {
        return assertThrows(ConfigException.class, () -> parse(file)).errors().stream().map(ConfigError::toString).toList();
    }

    @Test
    void mergesAnIncludedFileRelativeToTheIncludingFile() throws IOException, ConfigException {
        write("conf/limits.conf", "max_payload: 2MB\nmax_pending: 64MB\n");
        Path main = write("conf/main.conf", "port: 4222\ninclude ./limits.conf\ndebug: true\n");
        assertEquals(Map.of("port", 4222L, "max_payload", 2_097_152L, "max_pending", 67_108_864L, "debug", true),
                parse(main).toPlain());
    }

    @Test
    void acceptsQuotedNamesAndSubdirectories() throws IOException, ConfigException {
        write("main/sub/a.conf", "a: 1");
        write("main/sub/b.conf", "b: 2");
        Path main = write("main/main.conf", "include \"sub/a.conf\"\ninclude 'sub/b.conf';\n");
        assertEquals(Map.of("a", 1L, "b", 2L), parse(main).toPlain());
    }

    @Test
    void nestedIncludesResolveAgainstTheirOwnDirectory() throws IOException, ConfigException {
        write("x/y/inner.conf", "inner: true");
        write("x/middle.conf", "include y/inner.conf\nmiddle: true");
        Path main = write("main.conf", "include x/middle.conf");
        assertEquals(Map.of("inner", true, "middle", true), parse(main).toPlain());
    }

    @Test
    void includesInsideABlockMergeIntoThatBlock() throws IOException, ConfigException {
        write("users.conf", "users: [{user: a}]");
        Path main = write("main.conf", "authorization {\n  timeout: 2\n  include users.conf\n}\n");
        assertEquals(Map.of("authorization", Map.of("timeout", 2L, "users", List.of(Map.of("user", "a")))),
                parse(main).toPlain());
    }

    @Test
    void includedEntriesKeepTheirOwnFileAndPosition() throws IOException, ConfigException {
        Path included = write("inc.conf", "\n\n  port: 4333\n");
        Path main = write("main.conf", "include inc.conf\n");
        ConfigEntry port = parse(main).entry("port");
        assertEquals(new ConfigPosition(included.toString(), 3, 3), port.keyPosition());
    }

    @Test
    void errorsInAnIncludedFileNameThatFileAndParsingGoesOn() throws IOException {
        Path included = write("bad.conf", "ok: 1\nbroken: \"open\n");
        Path main = write("main.conf", "include bad.conf\nalso: $MISSING\n");
        assertEquals(List.of(
                included + ":2:9: string is not terminated: missing '\"'",
                main + ":2:7: variable reference for 'MISSING' can not be found"), errors(main));
    }

    @Test
    void aMissingIncludeIsReportedAtTheDirective() throws IOException {
        Path main = write("main.conf", "port: 1\n  include nothing-here.conf\n");
        assertEquals(List.of(main + ":2:11: cannot read include file '" + directory.resolve("nothing-here.conf")
                + "': no such file"), errors(main));
    }

    @Test
    void anIncludeCycleIsAnError() throws IOException {
        Path a = write("a.conf", "a: 1\ninclude b.conf\n");
        Path b = write("b.conf", "b: 1\ninclude a.conf\n");
        assertEquals(List.of(b + ":2:9: include cycle: '" + a + "' is already being read"), errors(a));
    }

    @Test
    void includingTheSameFileTwiceIsNotACycle() throws IOException, ConfigException {
        write("common.conf", "x: 1");
        Path main = write("main.conf", "include common.conf\nblock { include common.conf }\n");
        assertEquals(Map.of("x", 1L, "block", Map.of("x", 1L)), parse(main).toPlain());
    }

    @Test
    void variablesDefinedInAnIncludedFileAreVisibleAfterTheInclude() throws IOException, ConfigException {
        write("vars.conf", "SECRET = s3cr3t\n");
        Path main = write("main.conf", "include vars.conf\npassword: $SECRET\n");
        MapValue root = parse(main);
        assertEquals("s3cr3t", root.get("password").toPlain());
        assertTrue(root.entry("SECRET").usedAsVariable());
    }

    @Test
    void anIncludedFileDoesNotSeeTheVariablesOfTheIncludingFileAsInNatsServer() throws IOException {
        Path included = write("uses.conf", "port: $PORT\n");
        Path main = write("main.conf", "PORT = 4222\ninclude uses.conf\n");
        assertEquals(List.of(included + ":1:7: variable reference for 'PORT' can not be found"), errors(main));
    }

    @Test
    void anIncludedFileSeesTheEnvironment() throws IOException, ConfigException {
        write("uses.conf", "port: $PORT\n");
        Path main = write("main.conf", "include uses.conf\n");
        assertEquals(Map.of("port", 4222L), new ConfigFileParser(Map.of("PORT", "4222")).parse(main).toPlain());
    }

    @Test
    void includeNeedsAFileName() throws IOException {
        Path main = write("main.conf", "include \nport: 1\ninclude {a: 1}\n");
        assertEquals(List.of(
                main + ":1:9: expected an include file name but found a new line",
                main + ":3:9: expected an include file name but found '{'"), errors(main));
    }

    @Test
    void includeFollowedByASeparatorIsAnOrdinaryKey() throws IOException, ConfigException {
        Path main = write("main.conf", "include: yes\n");
        assertEquals(Map.of("include", true), parse(main).toPlain());
    }

    @Test
    void aMissingMainFileIsOneError() {
        Path missing = directory.resolve("absent.conf");
        assertEquals(List.of(missing + ":0:0: cannot read configuration file: no such file"), errors(missing));
    }
}
