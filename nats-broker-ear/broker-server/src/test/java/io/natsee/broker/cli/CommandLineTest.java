package io.natsee.broker.cli;

import io.natsee.broker.BrokerOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CommandLineTest {

    private static CommandLine parse(String... arguments) throws CommandLine.CommandLineException {
        return CommandLine.parse(arguments);
    }

    private static BrokerOptions options(String... arguments) throws CommandLine.CommandLineException {
        return parse(arguments).applyTo(BrokerOptions.builder()).build();
    }

    @Test
    void nothingGivenSetsNothing() throws Exception {
        CommandLine commandLine = parse();
        assertNull(commandLine.host());
        assertNull(commandLine.port());
        assertNull(commandLine.debug());
        assertNull(commandLine.trace());
        assertFalse(commandLine.help());
        assertFalse(commandLine.version());
        assertFalse(commandLine.testConfig());
        assertTrue(commandLine.timestamps());
        assertEquals(List.of(), commandLine.unsupported());
        assertEquals(BrokerOptions.defaults().toString(), options().toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"-a", "--a", "-addr", "--addr", "-net", "--net"})
    void host(String flag) throws Exception {
        assertEquals("127.0.0.1", options(flag, "127.0.0.1").host());
        assertEquals("127.0.0.1", options(flag + "=127.0.0.1").host());
    }

    @ParameterizedTest
    @ValueSource(strings = {"-p", "--p", "-port", "--port"})
    void port(String flag) throws Exception {
        assertEquals(4333, options(flag, "4333").port());
        assertEquals(-1, options(flag + "=-1").port());
    }

    @ParameterizedTest
    @ValueSource(strings = {"-n", "--name", "-server_name", "--server_name"})
    void serverName(String flag) throws Exception {
        assertEquals("alpha", options(flag, "alpha").serverName());
    }

    @ParameterizedTest
    @ValueSource(strings = {"-P", "--pid", "-pid"})
    void pidFile(String flag) throws Exception {
        assertEquals(Path.of("/tmp/x.pid"), options(flag, "/tmp/x.pid").pidFile());
    }

    @ParameterizedTest
    @ValueSource(strings = {"-m", "--m", "-http_port", "--http_port"})
    void httpPort(String flag) throws Exception {
        assertEquals(8222, options(flag, "8222").httpPort());
        assertEquals(-1, options(flag, "-1").httpPort());
    }

    @ParameterizedTest
    @ValueSource(strings = {"-c", "--config", "-config"})
    void configFile(String flag) throws Exception {
        assertEquals(Path.of("server.conf"), parse(flag, "server.conf").configFile());
    }

    @ParameterizedTest
    @ValueSource(strings = {"-l", "--log", "-log"})
    void logFile(String flag) throws Exception {
        assertEquals(Path.of("server.log"), options(flag, "server.log").logFile());
    }

    @Test
    void testConfig() throws Exception {
        assertTrue(parse("-t").testConfig());
        assertTrue(parse("--t", "-c", "x.conf").testConfig());
    }

    @Test
    void logTime() throws Exception {
        assertFalse(parse("-T=false").timestamps());
        assertFalse(parse("--logtime=false").timestamps());
        assertTrue(parse("-T").timestamps());
    }

    @Test
    void debugAndTraceFlags() throws Exception {
        assertDebugTrace(true, null, "-D");
        assertDebugTrace(true, null, "--debug");
        assertDebugTrace(null, true, "-V");
        assertDebugTrace(null, true, "--trace");
        assertDebugTrace(null, true, "-VV");
        assertDebugTrace(true, true, "-DV");
        assertDebugTrace(true, true, "--DV");
        assertDebugTrace(true, true, "-DVV");
        assertDebugTrace(false, null, "-D=false");
        assertDebugTrace(true, true, "-D=false", "-DV");
        assertDebugTrace(true, true, "-D", "-V");
        BrokerOptions options = options("-DV");
        assertTrue(options.debug());
        assertTrue(options.trace());
    }

    private static void assertDebugTrace(Boolean debug, Boolean trace, String... arguments) throws Exception {
        CommandLine commandLine = parse(arguments);
        assertEquals(debug, commandLine.debug(), "debug of " + List.of(arguments));
        assertEquals(trace, commandLine.trace(), "trace of " + List.of(arguments));
    }

    @Test
    void helpAndVersionAsFlagsOrCommands() throws Exception {
        assertTrue(parse("-h").help());
        assertTrue(parse("--help").help());
        assertTrue(parse("help").help());
        assertTrue(parse("-v").version());
        assertTrue(parse("--version").version());
        assertTrue(parse("version").version());
        assertTrue(parse("-D", "VERSION", "ignored").version());
    }

    @Test
    void eventLoops() throws Exception {
        assertEquals(3, options("--event_loops", "3").eventLoops());
        assertEquals(2, options("-event_loops=2").eventLoops());
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> options("--event_loops", "0"));
        assertTrue(error.getMessage().startsWith("invalid value for flag -event_loops: "), error.getMessage());
    }

    @Test
    void flagsTheOptionsRefuseNameTheFlag() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> options("-p", "99999"));
        assertEquals("invalid value for flag -port: port must be between -1 and 65535: 99999", error.getMessage());
        error = assertThrows(IllegalArgumentException.class, () -> options("-m", "-2"));
        assertTrue(error.getMessage().startsWith("invalid value for flag -http_port: "), error.getMessage());
    }

    @Test
    void integersBeyondAnIntAreOutOfRange() {
        CommandLine.CommandLineException error = assertThrows(CommandLine.CommandLineException.class,
                () -> parse("--port", "4294967296"));
        assertEquals("invalid value \"4294967296\" for flag -port: value out of range", error.getMessage());
        assertTrue(error.flagError());
    }

    @ParameterizedTest
    @ValueSource(strings = {"--client_advertise=x", "-ms=8443", "--https_port=8443",
            "-s", "--syslog", "-r=udp://x:514", "--remote_syslog=x", "-js", "--jetstream",
            "-sd=/tmp", "--store_dir=/tmp", "--profile=6060", "--help_tls"})
    void recognisedButUnsupported(String argument) throws Exception {
        CommandLine commandLine = parse(argument, "-p", "4222");
        String name = "-" + argument.replaceFirst("^-+", "").replaceFirst("=.*", "");
        assertEquals(List.of(name), commandLine.unsupported());
        assertEquals(4222, commandLine.port());
    }

    @Test
    void operationsFlagsSetTheirOptions() throws Exception {
        CommandLine commandLine = parse("--log_size_limit=100", "--max_traced_msg_len", "10",
                "--ports_file_dir=ports");
        assertEquals(List.of(), commandLine.unsupported());
        io.natsee.broker.BrokerOptions options = commandLine.applyTo(io.natsee.broker.BrokerOptions.builder()).build();
        assertEquals(100, options.logFileSizeLimit());
        assertEquals(10, options.maxTracedMsgLen());
        assertEquals(java.nio.file.Path.of("ports"), options.portsFileDir());
    }

    @Test
    void everyUnsupportedFlagIsListed() throws Exception {
        assertEquals(List.of("-jetstream", "-profile"), parse("--profile", "6060", "--jetstream").unsupported());
    }

    @Test
    void unknownFlagsAreFlagErrors() {
        CommandLine.CommandLineException error = assertThrows(CommandLine.CommandLineException.class,
                () -> parse("-x"));
        assertEquals("flag provided but not defined: -x", error.getMessage());
        assertTrue(error.flagError());
    }

    @Test
    void unknownCommandsAreRefused() {
        CommandLine.CommandLineException error = assertThrows(CommandLine.CommandLineException.class,
                () -> parse("-p", "4222", "extra"));
        assertEquals("unrecognized command: \"extra\"", error.getMessage());
        assertFalse(error.flagError());
    }
}
