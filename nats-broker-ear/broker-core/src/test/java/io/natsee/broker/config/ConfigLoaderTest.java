package io.natsee.broker.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.natsee.broker.BrokerDefaults;
import io.natsee.broker.BrokerOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** How {@link ConfigLoader} maps configuration keys onto {@link BrokerOptions}, and which it refuses. */
class ConfigLoaderTest {

    private static final Path FILE = Path.of("server.conf");

    @TempDir
    Path directory;

    private final List<ConfigError> warnings = new ArrayList<>();

    private BrokerOptions load(String text) throws ConfigException {
        return load(text, Map.of());
    }

    private BrokerOptions load(String text, Map<String, String> environment) throws ConfigException {
        ConfigValue.MapValue root = new ConfigFileParser(environment).parse(text, FILE);
        return ConfigLoader.apply(root, BrokerOptions.builder(), warnings::add).build();
    }

    private List<String> errors(String text) {
        ConfigException e = assertThrows(ConfigException.class, () -> load(text));
        return e.errors().stream().map(ConfigError::toString).toList();
    }

    @Test
    void appliesEveryHonouredKey() throws ConfigException {
        BrokerOptions options = load("""
                host: 127.0.0.1
                port: 4333
                http: "localhost:8333"
                server_name: alpha
                max_payload: 2MB
                max_control_line: 8KB
                max_pending: 128MB
                max_connections: 100
                max_subscriptions: 50
                ping_interval: "30s"
                ping_max: 5
                write_deadline: "3s"
                debug: true
                trace: on
                logfile: "/var/log/nats.log"
                pid_file: "/run/nats.pid"
                disable_sublist_cache: true
                """);
        assertEquals("127.0.0.1", options.host());
        assertEquals(4333, options.port());
        assertEquals("localhost", options.httpHost());
        assertEquals(8333, options.httpPort());
        assertEquals("alpha", options.serverName());
        assertEquals(2 * 1024 * 1024, options.maxPayload());
        assertEquals(8 * 1024, options.maxControlLine());
        assertEquals(128L * 1024 * 1024, options.maxPending());
        assertEquals(100, options.maxConnections());
        assertEquals(50, options.maxSubscriptions());
        assertEquals(Duration.ofSeconds(30), options.pingInterval());
        assertEquals(5, options.pingMax());
        assertEquals(Duration.ofSeconds(3), options.writeDeadline());
        assertTrue(options.debug());
        assertTrue(options.trace());
        assertEquals(Path.of("/var/log/nats.log"), options.logFile());
        assertEquals(Path.of("/run/nats.pid"), options.pidFile());
        assertFalse(options.matchCache());
        assertEquals(List.of(), warnings);
    }

    @Test
    void acceptsTheAliases() throws ConfigException {
        BrokerOptions options = load("""
                net: 10.0.0.1
                monitor_port: 8444
                max_conn: 7
                max_subs: 9
                log_file: a.log
                pidfile: a.pid
                no_sublist_cache: false
                trace_verbose: true
                """);
        assertEquals("10.0.0.1", options.host());
        assertEquals(8444, options.httpPort());
        assertEquals(7, options.maxConnections());
        assertEquals(9, options.maxSubscriptions());
        assertEquals(Path.of("a.log"), options.logFile());
        assertEquals(Path.of("a.pid"), options.pidFile());
        assertTrue(options.matchCache());
        assertTrue(options.trace());
    }

    @Test
    void matchesKeysWithoutRegardToCase() throws ConfigException {
        BrokerOptions options = load("PORT: 4555\nMax_Payload: 1KB");
        assertEquals(4555, options.port());
        assertEquals(1024, options.maxPayload());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "listen: 4333|0.0.0.0|4333",
        "listen: \":4333\"|0.0.0.0|4333",
        "listen: 127.0.0.1:4333|127.0.0.1|4333",
        "listen: localhost:4333|localhost|4333",
        "listen: \"[::1]:4333\"|::1|4333",
        "listen: \"0.0.0.0:-1\"|0.0.0.0|-1",
        "host: 10.1.1.1; listen: :5|0.0.0.0|5",
        "listen: 10.1.1.1:5; port: 6|10.1.1.1|6"})
    void readsListenForms(String text, String host, int port) throws ConfigException {
        BrokerOptions options = load(text);
        assertEquals(host, options.host());
        assertEquals(port, options.port());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "listen: abc|server.conf:1:9: could not parse address string \"abc\"",
        "listen: \"host:abc\"|server.conf:1:9: could not parse port \"abc\"",
        "listen: \"::1:4222\"|server.conf:1:9: could not parse address string \"::1:4222\"",
        "listen: [1]|server.conf:1:9: \"listen\" expects a port or host:port, not an array",
        "listen: 70000|server.conf:1:9: \"listen\" must be a port between -1 and 65535, not 70000",
        "http: localhost|server.conf:1:7: could not parse address string \"localhost\"",
        "port: -5|server.conf:1:7: \"port\" must be a port between -1 and 65535, not -5",
        "http_port: 65536|server.conf:1:12: \"http_port\" must be a port between -1 and 65535, not 65536"})
    void reportsBadAddresses(String text, String expected) {
        assertEquals(List.of(expected), errors(text));
    }

    @Test
    void httpWithOnlyAPortKeepsTheClientHost() throws ConfigException {
        BrokerOptions options = load("host: 127.0.0.2\nhttp: 8222");
        assertEquals(8222, options.httpPort());
        assertEquals("127.0.0.2", options.httpHost());
    }

    @Test
    void readsIntegerDurationsAsSecondsWithAWarning() throws ConfigException {
        BrokerOptions options = load("ping_interval: 5\nwrite_deadline: 7");
        assertEquals(Duration.ofSeconds(5), options.pingInterval());
        assertEquals(Duration.ofSeconds(7), options.writeDeadline());
        assertEquals(List.of(
                "server.conf:1:16: \"ping_interval\" should be a duration such as \"5s\"; the integer 5 is read as seconds",
                "server.conf:2:17: \"write_deadline\" should be a duration such as \"7s\"; the integer 7 is read as seconds"),
                warnings.stream().map(ConfigError::toString).toList());
    }

    @Test
    void zeroDurationsAndLimitsMeanTheDefaultAsInNatsServer() throws ConfigException {
        BrokerOptions options = load("ping_interval: \"0s\"\nwrite_deadline: \"0\"\nmax_payload: 0\nmax_connections: 0\nping_max: 0");
        assertEquals(BrokerDefaults.PING_INTERVAL, options.pingInterval());
        assertEquals(BrokerDefaults.WRITE_DEADLINE, options.writeDeadline());
        assertEquals(BrokerDefaults.MAX_PAYLOAD, options.maxPayload());
        assertEquals(BrokerDefaults.MAX_CONNECTIONS, options.maxConnections());
        assertEquals(BrokerDefaults.PING_MAX, options.pingMax());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "port: \"abc\"|server.conf:1:7: \"port\" expects an integer, not a string (\"abc\")",
        "port: 10s|server.conf:1:7: \"port\" expects an integer, not a string (\"10s\")",
        "max_payload: 1.5|server.conf:1:14: \"max_payload\" expects an integer, not a float",
        "debug: \"yes\"|server.conf:1:8: \"debug\" expects a boolean (true or false), not a string (\"yes\")",
        "trace: 1|server.conf:1:8: \"trace\" expects a boolean (true or false), not an integer (1)",
        "server_name: 5|server.conf:1:14: \"server_name\" expects a string, not an integer (5)",
        "host: {a: 1}|server.conf:1:7: \"host\" expects a string, not a block",
        "logfile: true|server.conf:1:10: \"logfile\" expects a string, not a boolean",
        "ping_interval: \"abc\"|server.conf:1:16: error parsing ping_interval: not a duration: 'abc'",
        "ping_interval: \"-1s\"|server.conf:1:16: \"ping_interval\" must not be negative",
        "write_deadline: [1]|server.conf:1:17: \"write_deadline\" expects a duration such as \"2m\", not an array",
        "max_payload: 3GB|server.conf:1:14: max_payload value is too big",
        "max_control_line: 3GB|server.conf:1:19: max_control_line value is too big",
        "max_connections: 3G|server.conf:1:18: max_connections value is too big"})
    void reportsWrongValuesAtTheValue(String text, String expected) {
        assertEquals(List.of(expected), errors(text));
    }

    @Test
    void refusesServerNamesWithSpacesAsNatsServerDoesAtStart() {
        assertEquals(List.of("server.conf:1:14: server name cannot contain spaces"), errors("server_name: \"a b\""));
    }

    @ParameterizedTest
    @ValueSource(strings = {"max_payload", "max_control_line", "max_pending", "max_connections", "max_subscriptions", "ping_max"})
    void refusesNegativeLimits(String key) {
        assertEquals(List.of("server.conf:1:" + (key.length() + 3) + ": \"" + key + "\" must not be negative, not -1"
                + " (nats-server may read a negative limit as \"no limit\", which this server does not support)"),
                errors(key + ": -1"));
    }

    @Test
    void refusesAPayloadLargerThanThePendingLimit() {
        assertEquals(List.of("server.conf:2:1: max_payload (2097152) cannot be higher than max_pending (1048576)"),
                errors("max_pending: 1MB\nmax_payload: 2MB"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "accounts", "no_auth_user", "system", "ocsp", "allow_non_tls",
        "gateway", "leaf", "leafnodes", "websocket", "ws", "mqtt", "jetstream", "store_dir",
        "default_js_domain", "mappings", "maps", "operator", "operators", "root", "roots", "root_operator",
        "root_operators", "resolver", "account_resolver", "accounts_resolver", "resolver_tls", "resolver_preload",
        "resolver_pinned_accounts", "trusted", "trusted_keys", "https", "https_port"})
    void refusesKeysNatsServerKnowsButThisServerDoesNotImplement(String key) {
        assertEquals(List.of("server.conf:3:1: \"" + key + "\" is not supported yet by this server"),
                errors("port: 4222\n\n" + key + ": {}\n"));
    }

    @Test
    void refusesABlockOfAnUnsupportedKeyWithTheKeyAsWritten() {
        assertEquals(List.of("server.conf:2:3: \"Gateway\" is not supported yet by this server"),
                errors("# gateways\n  Gateway {\n    name: a\n    port: 7222\n  }\n"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "logtime: true", "syslog: false", "remote_syslog: \"\"", "ports_file_dir: \"\"", "client_advertise: \"\"",
        "http_base_path: \"/\"", "http_base_path: \"\"", "prof_port: 0", "max_traced_msg_len: 0",
        "logfile_size_limit: 0", "log_size_limit: 0", "max_sub_tokens: 0", "no_header_support: false",
        "server_tags: []", "no_system_account: true", "no_system: true", "no_sys_acc: yes",
        "connect_error_reports: 3600", "reconnect_error_reports: 10"})
    void acceptsKnownKeysWhoseValueAsksForWhatThisServerDoes(String text) throws ConfigException {
        assertEquals(BrokerOptions.defaults().toString(), load(text).toString());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "logtime: false|logtime|true",
        "syslog: true|syslog|false",
        "remote_syslog: \"udp://localhost:514\"|remote_syslog|\"\"",
        "client_advertise: \"a:4222\"|client_advertise|\"\"",
        "http_base_path: /nats|http_base_path|\"\" or \"/\"",
        "prof_port: 6060|prof_port|0",
        "max_sub_tokens: 16|max_sub_tokens|0",
        "no_header_support: true|no_header_support|false",
        "server_tags: [a]|server_tags|[]",
        "no_system_account: false|no_system_account|true"})
    void refusesKnownKeysWithAnyOtherValue(String text, String key, String accepted) {
        assertEquals(List.of("server.conf:1:1: \"" + key + "\" is not supported yet by this server except with the value "
                + accepted), errors(text));
    }

    @Test
    void ignoredIntegerKeysStillCheckTheirType() {
        assertEquals(List.of("server.conf:1:24: \"connect_error_reports\" expects an integer, not a string (\"often\")"),
                errors("connect_error_reports: often"));
    }

    @Test
    void reportsUnknownFieldsLikeNatsServer() {
        assertEquals(List.of("server.conf:2:1: unknown field \"foo\"", "server.conf:3:1: unknown field \"bar\""),
                errors("port: 4222\nfoo: 1\nbar {x: 1}\n"));
    }

    @Test
    void aKeyUsedAsAVariableIsNotAnUnknownField() throws ConfigException {
        BrokerOptions options = load("PORT = 4333\nport: $PORT\n");
        assertEquals(4333, options.port());
    }

    @Test
    void anUnusedVariableIsAnUnknownFieldLikeNatsServer() {
        assertEquals(List.of("server.conf:1:1: unknown field \"VAR\""), errors("VAR = 4333\nport: 4222\n"));
    }

    @Test
    void aVariableUsedInsideABlockCountsAsUsed() throws ConfigException {
        assertEquals(List.of("server.conf:2:1: unknown field \"block_user\""), errors("LIMIT = 5\nblock_user = {n: $LIMIT}"));
    }

    @Test
    void environmentVariablesFeedOptions() throws ConfigException {
        BrokerOptions options = load("port: $NATS_PORT\nserver_name: $NAME\ndebug: $DEBUG",
                Map.of("NATS_PORT", "4999", "NAME", "from-env", "DEBUG", "yes"));
        assertEquals(4999, options.port());
        assertEquals("from-env", options.serverName());
        assertTrue(options.debug());
    }

    @Test
    void reportsEveryProblemAtOnce() {
        assertEquals(List.of(
                "server.conf:2:7: \"port\" expects an integer, not a string (\"abc\")",
                "server.conf:3:1: \"gateway\" is not supported yet by this server",
                "server.conf:4:1: unknown field \"colour\"",
                "server.conf:5:8: \"debug\" expects a boolean (true or false), not an integer (1)",
                "server.conf:6:17: unknown field \"colour\""),
                errors("server_name: fine\nport: \"abc\"\ngateway { name: x }\ncolour: blue\ndebug: 1\nauthorization { colour: 1 }\n"));
    }

    @Test
    void leavesTheBuilderUntouchedWhenItThrows() {
        BrokerOptions.Builder builder = BrokerOptions.builder().port(5000).serverName("before");
        ConfigValue.MapValue root;
        try {
            root = new ConfigFileParser(Map.of()).parse("port: 6000\nserver_name: after\ngateway {}\n", FILE);
        } catch (ConfigException e) {
            throw new AssertionError(e);
        }
        assertThrows(ConfigException.class, () -> ConfigLoader.apply(root, builder, warning -> { }));
        BrokerOptions options = builder.build();
        assertEquals(5000, options.port());
        assertEquals("before", options.serverName());
    }

    @Test
    void keepsBuilderValuesTheFileDoesNotSet() throws ConfigException {
        ConfigValue.MapValue root = new ConfigFileParser(Map.of()).parse("port: 6000\n", FILE);
        BrokerOptions.Builder builder = BrokerOptions.builder().serverName("kept").eventLoops(3);
        assertSame(builder, ConfigLoader.apply(root, builder, warning -> { }));
        BrokerOptions options = builder.build();
        assertEquals(6000, options.port());
        assertEquals("kept", options.serverName());
        assertEquals(3, options.eventLoops());
    }

    @Test
    void systemAccountTurnsTheAdvisoriesOn() throws ConfigException {
        assertNull(load("port: 4222").systemAccount());
        assertEquals("SYS", load("system_account: SYS").systemAccount());
    }

    @Test
    void emptyPathsMeanNone() throws ConfigException {
        BrokerOptions options = load("logfile: \"\"\npid_file: \"\"");
        assertNull(options.logFile());
        assertNull(options.pidFile());
    }

    @Test
    void loadsAFileWithIncludesAndReportsParseAndLoadErrorsByFile() throws IOException, ConfigException {
        Files.writeString(directory.resolve("limits.conf"), "max_payload: 512KB\n");
        Path main = directory.resolve("main.conf");
        Files.writeString(main, "host: 127.0.0.1\nport: $PORT\ninclude limits.conf\n");
        BrokerOptions.Builder builder = BrokerOptions.builder();
        ConfigLoader.load(main, builder, Map.of("PORT", "4777"));
        BrokerOptions options = builder.build();
        assertEquals(4777, options.port());
        assertEquals(512 * 1024, options.maxPayload());

        Files.writeString(directory.resolve("limits.conf"), "max_payload: -1KB\nfoo: 1\n");
        Path limits = directory.resolve("limits.conf");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(main, BrokerOptions.builder(),
                Map.of("PORT", "4777"), warning -> { }));
        assertEquals(List.of(
                limits + ":1:14: \"max_payload\" must not be negative, not -1024 (nats-server may read a negative limit as"
                        + " \"no limit\", which this server does not support)",
                limits + ":2:1: unknown field \"foo\""),
                e.errors().stream().map(ConfigError::toString).toList());
    }

    @Test
    void aMissingFileIsAConfigException() {
        Path missing = directory.resolve("missing.conf");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(missing, BrokerOptions.builder(), Map.of()));
        assertEquals(missing + ":0:0: cannot read configuration file: no such file", e.getMessage());
    }
}
