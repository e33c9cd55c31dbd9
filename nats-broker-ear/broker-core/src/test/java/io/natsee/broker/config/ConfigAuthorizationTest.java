package io.natsee.broker.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.natsee.broker.BrokerOptions;
import io.natsee.broker.auth.AuthOptions;
import io.natsee.broker.auth.Permissions;
import io.natsee.broker.auth.ResponsePermission;
import io.natsee.broker.auth.SubjectRules;
import io.natsee.broker.auth.User;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The {@code authorization} block: every form nats-server 2.9.10 accepts, and its refusals with
 * nats-server's texts (checked against the binary with {@code nats-server -c file -t}).
 */
class ConfigAuthorizationTest {

    private static final Path FILE = Path.of("server.conf");
    /** A valid public user NKey. */
    private static final String NKEY = "UDXU4RCSJNZOIQHZNWXHXORDPRTGNJAHAHFRGZNEEJCPQTT2M7NLCNF4";
    private static final String BCRYPT = "$2a$11$W2zko751KUvVy59mUTWmpOdWjpEm5qhcCZRd05GjI/sSOT.xtiHyG";

    @TempDir
    Path directory;

    private final List<ConfigError> warnings = new ArrayList<>();

    private BrokerOptions load(String text) throws ConfigException {
        ConfigValue.MapValue root = new ConfigFileParser(Map.of()).parse(text, FILE);
        return ConfigLoader.apply(root, BrokerOptions.builder(), warnings::add).build();
    }

    private AuthOptions auth(String text) throws ConfigException {
        return load(text).authorization();
    }

    private List<String> errors(String text) {
        ConfigException e = assertThrows(ConfigException.class, () -> load(text));
        return e.errors().stream().map(ConfigError::toString).toList();
    }

    private List<String> warningTexts() {
        return warnings.stream().map(ConfigError::toString).toList();
    }

    @Test
    void readsASingleUserAndWarnsAboutThePlaintextPassword() throws ConfigException {
        AuthOptions auth = auth("authorization {\n  user: alice\n  password: secret\n}\n");
        assertEquals("alice", auth.user());
        assertEquals("secret", auth.password());
        assertNull(auth.token());
        assertEquals(List.of(), auth.users());
        assertTrue(auth.required());
        assertEquals(List.of("server.conf:3:13: Plaintext passwords detected, use nkeys or bcrypt"), warningTexts());
    }

    @Test
    void readsTheAliasesUsernameAndPass() throws ConfigException {
        AuthOptions auth = auth("authorization { username: alice, pass: \"" + BCRYPT + "\" }");
        assertEquals("alice", auth.user());
        assertEquals(BCRYPT, auth.password());
        assertEquals(List.of(), warnings, "a bcrypt password draws no warning");
    }

    @Test
    void aUserWithoutPasswordHasTheEmptyPasswordAndNoWarning() throws ConfigException {
        AuthOptions auth = auth("authorization { user: alice }");
        assertEquals("", auth.password());
        assertEquals(List.of(), warnings);
    }

    @Test
    void aPasswordWithoutUserRequiresNothingButStillWarns() throws ConfigException {
        // nats-server: no user, so no auth required; the password alone still draws the warning.
        assertNull(auth("authorization { password: secret }"));
        assertEquals(1, warnings.size());
    }

    @Test
    void readsAToken() throws ConfigException {
        AuthOptions auth = auth("authorization { token: s3cr3t }");
        assertEquals("s3cr3t", auth.token());
        assertNull(auth.user());
        assertTrue(auth.required());
        assertEquals(List.of(), warnings, "nats-server does not warn about plaintext tokens");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "2     | PT2S",
        "0.5   | PT0.5S",
        "1.25  | PT1.25S",
        "10    | PT10S"})
    void readsTheTimeoutInSeconds(String written, Duration expected) throws ConfigException {
        BrokerOptions options = load("authorization { token: t, timeout: " + written + " }");
        assertEquals(expected, options.authorization().timeout());
        assertEquals(expected, options.effectiveAuthTimeout());
    }

    @Test
    void aZeroTimeoutMeansTheDefault() throws ConfigException {
        assertNull(auth("authorization { token: t, timeout: 0 }").timeout());
    }

    @Test
    void aTimeoutThatIsNotANumberIsOneSecondAsInNatsServer() throws ConfigException {
        assertEquals(Duration.ofSeconds(1), auth("authorization { token: t, timeout: \"5s\" }").timeout());
        assertEquals(List.of("server.conf:1:36: \"timeout\" is a number of seconds; nats-server reads a string (\"5s\")"
                + " as 1 second, and so does this server"), warningTexts());
    }

    @Test
    void refusesANegativeTimeout() {
        assertEquals(List.of("server.conf:1:36: \"timeout\" must not be negative, not -3.0"
                        + " (nats-server would time every client out at once)"),
                errors("authorization { token: t, timeout: -3 }"));
    }

    @Test
    void aTimeoutAloneKeepsTheBlock() throws ConfigException {
        // nats-server applies the timeout even without credentials (varz auth_timeout).
        AuthOptions auth = auth("authorization { timeout: 3 }");
        assertFalse(auth.required());
        assertEquals(Duration.ofSeconds(3), auth.timeout());
    }

    @Test
    void readsUsersWithPermissionsInEveryForm() throws ConfigException {
        AuthOptions auth = auth("""
                authorization {
                  users: [
                    { user: a, password: "%s", permissions: { publish: "a.>", subscribe: ["b", "c.*"] } }
                    { username: b, pass: "%s", permission: { pub: { allow: "x", deny: ["x.secret", "y.>"] }, sub: { deny: z } } }
                    { user: c, password: "%s", authorization: { import: "i", export: ["e q"] } }
                    { user: d, password: "%s" }
                  ]
                }
                """.formatted(BCRYPT, BCRYPT, BCRYPT, BCRYPT));
        assertEquals(4, auth.users().size());
        User a = auth.users().get(0);
        assertEquals("a", a.name());
        assertEquals(new Permissions(SubjectRules.allowOnly(List.of("a.>")), SubjectRules.allowOnly(List.of("b", "c.*")), null),
                a.permissions());
        User b = auth.users().get(1);
        assertEquals(new Permissions(new SubjectRules(List.of("x"), List.of("x.secret", "y.>")),
                new SubjectRules(null, List.of("z")), null), b.permissions());
        User c = auth.users().get(2);
        assertEquals(new Permissions(SubjectRules.allowOnly(List.of("i")), SubjectRules.allowOnly(List.of("e q")), null),
                c.permissions());
        assertNull(auth.users().get(3).permissions(), "no permissions: the default ones apply");
        assertEquals(List.of(), warnings);
    }

    @Test
    void emptyAllowListsAllowEverythingAsInNatsServer() throws ConfigException {
        // Checked on nats-server 2.9.10: pub: [] and sub: {allow: []} restrict nothing.
        AuthOptions auth = auth("authorization { users: [ { user: a, password: b,"
                + " permissions: { pub: [], sub: { allow: [] } } } ] }");
        assertEquals(new Permissions(SubjectRules.ALL, SubjectRules.ALL, null), auth.users().get(0).permissions());
        AuthOptions empty = auth("authorization { users: [ { user: a, password: b, permissions: { pub: {} } } ] }");
        assertEquals(SubjectRules.ALL, empty.users().get(0).permissions().publish());
    }

    @Test
    void allowResponsesTrueAllowsOnlyRepliesWithoutPublishRules() throws ConfigException {
        AuthOptions auth = auth("authorization { users: [ { user: a, password: b, permissions: { allow_responses: true } } ] }");
        Permissions permissions = auth.users().get(0).permissions();
        assertEquals(ResponsePermission.DEFAULT, permissions.responses());
        assertEquals(new SubjectRules(List.of(), List.of()), permissions.publish(), "the blanket publish permission is off");
        assertEquals(SubjectRules.ALL, permissions.subscribe());
    }

    @Test
    void allowResponsesKeepsExplicitPublishRules() throws ConfigException {
        Permissions permissions = auth("authorization { users: [ { user: a, password: b,"
                + " permissions: { pub: [\"x\"], allow_responses: true } } ] }").users().get(0).permissions();
        assertEquals(SubjectRules.allowOnly(List.of("x")), permissions.publish());
        Permissions denyOnly = auth("authorization { users: [ { user: a, password: b,"
                + " permissions: { pub: { deny: \"x\" }, publish_allow_responses: true } } ] }").users().get(0).permissions();
        assertEquals(new SubjectRules(List.of(), List.of("x")), denyOnly.publish());
    }

    @Test
    void allowResponsesFalseGrantsNothing() throws ConfigException {
        Permissions permissions = auth("authorization { users: [ { user: a, password: b,"
                + " permissions: { allow_responses: false } } ] }").users().get(0).permissions();
        assertNull(permissions.responses());
        assertEquals(SubjectRules.ALL, permissions.publish());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{ max: 2, expires: \"1m\" }              | 2          | PT1M",
        "{ max_msgs: 0 }                          | 1          | PT0S",
        "{ max_messages: 5, expiration: \"10s\" } | 5          | PT10S",
        "{ max_responses: -1, ttl: \"-1s\" }      | 2147483647 | PT0S",
        "{}                                       | 1          | PT0S"})
    void readsAllowResponsesAsABlock(String block, int max, Duration expires) throws ConfigException {
        Permissions permissions = auth("authorization { users: [ { user: a, password: b, permissions: { allow_responses: "
                + block + " } } ] }").users().get(0).permissions();
        assertEquals(new ResponsePermission(max, expires), permissions.responses());
    }

    @Test
    void readsDefaultPermissionsAndItsAliases() throws ConfigException {
        Permissions expected = new Permissions(SubjectRules.allowOnly(List.of("x")), SubjectRules.ALL, null);
        for (String key : List.of("default_permissions", "default_permission", "permissions")) {
            AuthOptions auth = auth("authorization { " + key + ": { pub: x }, users: [ { user: a, password: b } ] }");
            assertEquals(expected, auth.defaultPermissions(), key);
            assertNull(auth.users().get(0).permissions(), "users without their own permissions get the default ones");
        }
    }

    @Test
    void readsNkeyUsers() throws ConfigException {
        AuthOptions auth = auth("authorization { users: [ { nkey: " + NKEY + ", permissions: { sub: \"_INBOX.>\" } } ] }");
        User user = auth.users().get(0);
        assertEquals(NKEY, user.nkey());
        assertNull(user.name());
        assertNull(user.password());
        assertEquals(SubjectRules.allowOnly(List.of("_INBOX.>")), user.permissions().subscribe());
        assertTrue(auth.hasNkeys());
        assertEquals(List.of(), warnings);
    }

    @Test
    void readsAllowedConnectionTypesUpperCased() throws ConfigException {
        AuthOptions auth = auth("""
                authorization { users: [
                  { user: a, password: b, allowed_connection_types: ["standard", "WEBSOCKET"] }
                  { user: c, password: d, allowed_conn_types: "MQTT" }
                  { nkey: %s, allowed_cnx_types: ["LEAFNODE", "LEAFNODE_WS", "MQTT_WS"] }
                ] }
                """.formatted(NKEY));
        assertEquals(Set.of("STANDARD", "WEBSOCKET"), auth.users().get(0).allowedConnectionTypes());
        assertEquals(Set.of("MQTT"), auth.users().get(1).allowedConnectionTypes());
        assertEquals(Set.of("LEAFNODE", "LEAFNODE_WS", "MQTT_WS"), auth.users().get(2).allowedConnectionTypes());
    }

    @Test
    void anEmptyUsersListRequiresNothing() throws ConfigException {
        // nats-server 2.9.10 lets every client in with users: [].
        assertNull(auth("authorization { users: [] }"));
    }

    @Test
    void plaintextWarningPointsAtTheFirstPlaintextPasswordOfTheUsers() throws ConfigException {
        load("authorization { users: [\n  { user: a, password: \"" + BCRYPT + "\" }\n  { user: b, password: plain }\n] }");
        assertEquals(List.of("server.conf:3:24: Plaintext passwords detected, use nkeys or bcrypt"), warningTexts());
    }

    @ParameterizedTest
    @ValueSource(strings = {"$2b$10$abc", "$2x$11$abc", "$2y$04$abc"})
    void everyBcryptVariantCountsAsHashed(String password) throws ConfigException {
        load("authorization { users: [ { user: a, password: \"" + password + "\" } ] }");
        assertEquals(List.of(), warnings);
    }

    @ParameterizedTest
    @ValueSource(strings = {"$2$11$abc", "$2a$1$abc", "2a$11$abc"})
    void otherDollarTextsArePlaintext(String password) throws ConfigException {
        load("authorization { users: [ { user: a, password: '" + password + "' } ] }");
        assertEquals(1, warnings.size());
    }

    @Test
    void aUserWithoutPasswordIsPlaintextUnlessTlsMapsCertificates() throws Exception {
        auth("authorization { users: [ { user: a } ] }");
        assertEquals(List.of("server.conf:1:26: Plaintext passwords detected, use nkeys or bcrypt"), warningTexts());
        warnings.clear();
        Path cert = write("cert.pem", "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
        Path key = write("key.pem", "-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n");
        BrokerOptions options = load("tls { cert_file: \"" + cert + "\", key_file: \"" + key + "\", verify_and_map: true }\n"
                + "authorization { users: [ { user: \"CN=a\" } ] }");
        assertEquals("", options.authorization().users().get(0).password());
        assertEquals(List.of(), warnings);
    }

    @Test
    void refusesMutuallyExclusiveCredentialsAsNatsServerDoes() {
        assertEquals(List.of("server.conf:1:1: Cannot have a user/pass and token"),
                errors("authorization { user: a, password: x, token: t }"));
        assertEquals(List.of("server.conf:1:1: Cannot have a user/pass and token"),
                errors("authorization { password: x, token: t }"));
        assertEquals(List.of("server.conf:1:1: Can not have a single user/pass and a users array"),
                errors("authorization { user: a, users: [ { user: b, password: y } ] }"));
        assertEquals(List.of("server.conf:1:1: Can not have a token and a users array"),
                errors("authorization { token: t, users: [ { user: b, password: y } ] }"));
    }

    @Test
    void refusesBadUserEntries() {
        assertEquals(List.of("server.conf:1:26: User entry requires a user"),
                errors("authorization { users: [ { password: y } ] }"));
        assertEquals(List.of("server.conf:1:26: User entry requires a user"),
                errors("authorization { users: [ { user: \"\", password: y } ] }"));
        assertEquals(List.of("server.conf:1:24: Expected users field to be an array, got a block"),
                errors("authorization { users: { user: a } }"));
        assertEquals(List.of("server.conf:1:26: Expected user entry to be a map/struct, got an integer (1)"),
                errors("authorization { users: [ 1 ] }"));
        assertEquals(List.of("server.conf:1:49: unknown field \"colour\""),
                errors("authorization { users: [ {user: a, password: b, colour: x} ] }"));
        assertEquals(List.of("server.conf:1:50: Duplicate user \"a\" detected"),
                errors("authorization { users: [ {user: a, password: b}, {user: a, password: c} ] }"));
    }

    @Test
    void refusesBadNkeys() {
        assertEquals(List.of("server.conf:1:33: Not a valid public nkey for a user"),
                errors("authorization { users: [ {nkey: UABC} ] }"));
        // An operator key (prefix O) and a broken checksum.
        assertEquals(List.of("server.conf:1:33: Not a valid public nkey for a user"),
                errors("authorization { users: [ {nkey: O" + NKEY.substring(1) + "} ] }"));
        assertEquals(List.of("server.conf:1:33: Not a valid public nkey for a user"),
                errors("authorization { users: [ {nkey: " + NKEY.substring(0, 55) + "5} ] }"));
        assertEquals(List.of("server.conf:1:26: Nkey users do not take usernames or passwords"),
                errors("authorization { users: [ {nkey: " + NKEY + ", user: a} ] }"));
        assertEquals(List.of("server.conf:1:26: Nkey users do not take usernames or passwords"),
                errors("authorization { users: [ {nkey: " + NKEY + ", password: x} ] }"));
        assertEquals(List.of("server.conf:1:92: Duplicate nkey \"" + NKEY + "\" detected"),
                errors("authorization { users: [ {nkey: " + NKEY + "}, {nkey: " + NKEY + "} ] }"));
    }

    @Test
    void refusesBadConnectionTypes() {
        assertEquals(List.of("server.conf:1:75: invalid connection types [\"FOO\" \"ROUTER\"]"),
                errors("authorization { users: [ {user: a, password: b, allowed_connection_types: [\"STANDARD\", \"foo\", \"ROUTER\"]} ] }"));
        assertEquals(List.of("server.conf:1:75: \"allowed_connection_types\" expects a string or an array of strings,"
                        + " not an integer (5)"),
                errors("authorization { users: [ {user: a, password: b, allowed_connection_types: 5} ] }"));
    }

    @Test
    void refusesBadPermissions() {
        String prefix = "authorization { users: [ {user: a, password: b, permissions: ";
        assertEquals(List.of("server.conf:1:62: Expected permissions to be a map/struct, got an integer (5)"),
                errors(prefix + "5 } ] }"));
        assertEquals(List.of("server.conf:1:64: Unknown field \"colour\" parsing permissions"),
                errors(prefix + "{ colour: 1 }} ] }"));
        assertEquals(List.of("server.conf:1:82: Unknown field name \"colour\" parsing subject permissions,"
                        + " only 'allow' or 'deny' are permitted"),
                errors(prefix + "{ pub: {allow: \"a\", colour: 1} }} ] }"));
        assertEquals(List.of("server.conf:1:69: Expected subject permissions to be a subject, or array of subjects,"
                        + " got an integer (1)"),
                errors(prefix + "{ pub: 1 }} ] }"));
        assertEquals(List.of("server.conf:1:75: Subject in permissions array cannot be cast to string"),
                errors(prefix + "{ pub: [\"a\", 1 ] }} ] }"));
        assertEquals(List.of("server.conf:1:76: Expected subject permissions to be a subject, or array of subjects,"
                        + " got an integer (5)"),
                errors(prefix + "{ pub: {deny: 5} }} ] }"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a..b", "a b c", ">.a", "", " a", "a ", ".a", "a.", "a.>.b"})
    void refusesInvalidPermissionSubjects(String subject) {
        assertEquals(List.of("server.conf:1:69: subject \"" + subject + "\" is not a valid subject"),
                errors("authorization { users: [ {user: a, password: b, permissions: { sub: \"" + subject + "\" }} ] }"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a b", "a  b", "a b.>", "a >", "a.* q.x", "*", ">", "a.*b", "a.b*", "foo.bar"})
    void acceptsWhatNatsServerAcceptsAsPermissionSubjects(String subject) throws ConfigException {
        Permissions permissions = auth("authorization { users: [ {user: a, password: b, permissions: { pub: \""
                + subject + "\", sub: \"" + subject + "\" }} ] }").users().get(0).permissions();
        assertEquals(List.of(subject), permissions.subscribe().allow());
    }

    @Test
    void refusesBadAllowResponses() {
        String prefix = "authorization { users: [ {user: a, password: b, permissions: { allow_responses: ";
        assertEquals(List.of("server.conf:1:81: error parsing response permissions, expected a boolean or a map"),
                errors(prefix + "5 }} ] }"));
        assertEquals(List.of("server.conf:1:99: error parsing expires: unknown unit 'x' in duration '1x'"),
                errors(prefix + "{max: 2, expires: \"1x\"} }} ] }"));
        assertEquals(List.of("server.conf:1:99: error parsing expires, not a duration string"),
                errors(prefix + "{max: 2, expires: 5} }} ] }"));
        assertEquals(List.of("server.conf:1:87: \"max\" expects an integer, not a string (\"2\")"),
                errors(prefix + "{max: \"2\"} }} ] }"));
        assertEquals(List.of("server.conf:1:82: Unknown field \"foo\" parsing permissions"),
                errors(prefix + "{foo: 2} }} ] }"));
    }

    @Test
    void refusesUnknownKeysAndWrongTypesInTheBlock() {
        assertEquals(List.of("server.conf:1:17: unknown field \"foo\""), errors("authorization { foo: 1 }"));
        assertEquals(List.of("server.conf:1:16: \"authorization\" expects a block { ... }, not an integer (5)"),
                errors("authorization: 5"));
        assertEquals(List.of("server.conf:1:23: \"user\" expects a string, not an integer (5)"),
                errors("authorization { user: 5, password: b }"));
        assertEquals(List.of("server.conf:1:24: \"token\" expects a string, not a boolean"),
                errors("authorization { token: true }"));
        assertEquals(List.of("server.conf:1:36: \"password\" expects a string, not an integer"),
                errors("authorization { user: a, password: 123456 }"), "a secret is never shown, even a wrong one");
        assertEquals(List.of("server.conf:1:43: \"pass\" expects a string, not an integer"),
                errors("authorization { users: [ { user: a, pass: 987654 } ] }"));
    }

    @Test
    void reportsEveryProblemOfTheBlockAtOnce() {
        assertEquals(List.of(
                        "server.conf:2:3: unknown field \"colour\"",
                        "server.conf:3:20: Not a valid public nkey for a user",
                        "server.conf:4:49: subject \"a..b\" is not a valid subject"),
                errors("authorization {\n  colour: blue\n  users: [ { nkey: UBAD },\n"
                        + "    { user: a, password: b, permissions: { pub: \"a..b\" } } ]\n}\n"));
    }

    @Test
    void variablesMayHoldCredentials() throws ConfigException {
        AuthOptions auth = auth("PASS: \"" + BCRYPT + "\"\nauthorization { user: a, password: $PASS }");
        assertEquals(BCRYPT, auth.password());
    }

    @Test
    void theConfigFileIsRemembered() throws Exception {
        Path file = write("server.conf", "authorization { token: t }\n");
        BrokerOptions options = ConfigLoader.load(file, BrokerOptions.builder(), Map.of(), warnings::add).build();
        assertEquals(file, options.configFile());
        assertEquals("t", options.authorization().token());
    }

    @Test
    void toStringNeverShowsSecrets() throws ConfigException {
        BrokerOptions options = load("authorization { user: alice, password: hunter2 }\n");
        assertFalse(options.toString().contains("hunter2"), options.toString());
        BrokerOptions users = load("authorization { users: [ { user: bob, password: hunter3 } ] }");
        assertFalse(users.toString().contains("hunter3"), users.toString());
        BrokerOptions token = load("authorization { token: tok3n }");
        assertFalse(token.toString().contains("tok3n"), token.toString());
    }

    private Path write(String name, String text) throws IOException {
        Path file = directory.resolve(name);
        Files.writeString(file, text);
        return file;
    }
}
