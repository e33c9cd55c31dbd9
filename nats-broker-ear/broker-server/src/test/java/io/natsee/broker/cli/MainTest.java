package io.natsee.broker.cli;

import io.natsee.broker.BrokerOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MainTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... arguments) {
        Main main = new Main(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return main.run(arguments);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void versionPrintsOneHonestLine() {
        assertEquals(0, run("-v"));
        assertTrue(out().matches("natsee-server: v\\S+ \\(nats-server v2\\.9\\.10 compatible\\)\\R"), out());
        assertEquals("", err());
    }

    @Test
    void versionWinsOverHelpAsInNatsServer() {
        assertEquals(0, run("-h", "-v"));
        assertTrue(out().startsWith("natsee-server: v"), out());
    }

    @Test
    void helpPrintsUsageToStandardOutput() {
        assertEquals(0, run("--help"));
        assertTrue(out().startsWith("\nUsage: natsee-server [options]\n"), out());
        assertTrue(out().contains("-p, --port <port>"), out());
        assertEquals("", err());
        out.reset();
        assertEquals(0, run("help"));
        assertTrue(out().contains("Usage: natsee-server"), out());
    }

    @Test
    void unknownFlagExitsTwoWithGoMessageAndHint() {
        assertEquals(2, run("-p", "4222", "--bogus"));
        assertTrue(err().startsWith("flag provided but not defined: -bogus\nUsage: natsee-server [options]; run 'natsee-server --help'"), err());
        assertEquals("", out());
    }

    @Test
    void badFlagValueExitsTwo() {
        assertEquals(2, run("-p", "abc"));
        assertTrue(err().startsWith("invalid value \"abc\" for flag -p: parse error\n"), err());
        err.reset();
        assertEquals(2, run("-p"));
        assertTrue(err().startsWith("flag needs an argument: -p\n"), err());
    }

    @Test
    void unknownCommandExitsOne() {
        assertEquals(1, run("start"));
        assertEquals("natsee-server: unrecognized command: \"start\"\n", err());
    }

    @Test
    void unsupportedFlagsExitOne() {
        assertEquals(1, run("--profile", "6060", "--jetstream", "-a", "127.0.0.1"));
        assertEquals("natsee-server: -jetstream, -profile are not supported yet\n", err());
        err.reset();
        assertEquals(1, run("--jetstream"));
        assertEquals("natsee-server: -jetstream is not supported yet\n", err());
    }

    @Test
    void testConfigNeedsAConfigFile() {
        assertEquals(1, run("-t"));
        assertEquals("natsee-server: must specify [-c, --config] option to check configuration file syntax\n", err());
    }

    @Test
    void testConfigReportsAValidFile(@TempDir Path directory) throws Exception {
        Path file = Files.writeString(directory.resolve("good.conf"), "port: 4333\n");
        assertEquals(0, run("-t", "-c", file.toString()));
        assertEquals("natsee-server: configuration file " + file + " is valid\n", err());
    }

    @Test
    void configErrorsAreAllPrintedAndExitOne(@TempDir Path directory) throws Exception {
        Path file = Files.writeString(directory.resolve("bad.conf"), "port: 4333\nfoo: bar\nmax_payload: \"x\"\n");
        assertEquals(1, run("-t", "-c", file.toString()));
        String text = err();
        assertTrue(text.startsWith("natsee-server: "), text);
        assertTrue(text.contains(":2:"), "the unknown field on line 2: " + text);
        assertTrue(text.contains(":3:"), "the bad value on line 3: " + text);
        err.reset();
        assertEquals(1, run("-c", file.toString()), "also when starting");
        assertTrue(err().contains(":2:"), err());
    }

    @Test
    void missingConfigFileExitsOne(@TempDir Path directory) {
        assertEquals(1, run("-c", directory.resolve("missing.conf").toString()));
        assertTrue(err().startsWith("natsee-server: "), err());
    }

    @Test
    void optionValueErrorsExitOne() {
        assertEquals(1, run("-p", "99999"));
        assertEquals("natsee-server: invalid value for flag -port: port must be between -1 and 65535: 99999\n", err());
    }

    @Test
    void flagsOverrideTheConfigFile(@TempDir Path directory) throws Exception {
        Path file = Files.writeString(directory.resolve("server.conf"),
                "port: 4333\nserver_name: from-file\nmax_payload: 2048\ndebug: true\n");
        List<String> warnings = new ArrayList<>();
        BrokerOptions options = Main.options(CommandLine.parse("-c", file.toString(), "-p", "5555", "-D=false"), warnings);
        assertEquals(5555, options.port());
        assertEquals("from-file", options.serverName());
        assertEquals(2048, options.maxPayload());
        assertEquals(false, options.debug());
        assertEquals(List.of(), warnings);
    }

    @Test
    void tlsFlagsWithoutCertificateExitOneWithNatsServerText() {
        assertEquals(1, run("--tls"));
        assertEquals("natsee-server: TLS Server certificate must be present and valid\n", err());
        err.reset();
        assertEquals(1, run("--tlscert", "cert.pem"));
        assertEquals("natsee-server: TLS Server private key must be present and valid\n", err());
    }

    @Test
    void signalErrorsExitOneWithNatsServerTexts() {
        assertEquals(1, run("--signal", "reload=1=2"));
        assertEquals("natsee-server: invalid signal parameters: [2]\n", err());
        err.reset();
        assertEquals(1, run("-sl", "reload=abc"));
        assertEquals("natsee-server: invalid pid: abc\n", err());
        err.reset();
        assertEquals(1, run("--signal", "foo=1"));
        assertEquals("natsee-server: unknown signal \"foo\"\n", err());
    }

    @Test
    void testConfigAcceptsAuthorizationAndPrintsThePlaintextWarning(@TempDir Path directory) throws Exception {
        Path file = Files.writeString(directory.resolve("auth.conf"), "authorization {\n  user: a\n  password: x\n}\n");
        assertEquals(0, run("-t", "-c", file.toString()));
        assertEquals("natsee-server: warning: " + file + ":3:13: Plaintext passwords detected, use nkeys or bcrypt\n"
                + "natsee-server: configuration file " + file + " is valid\n", err());
    }
}
