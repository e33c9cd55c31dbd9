package io.natsee.broker.cli;

import io.natsee.broker.BrokerOptions;
import io.natsee.broker.auth.AuthOptions;
import io.natsee.broker.auth.User;
import io.natsee.broker.config.ConfigException;
import io.natsee.broker.tls.TlsOptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --user}, {@code --pass}, {@code --auth} and the {@code --tls*} flags, alone and over a
 * configuration file, combined as nats-server 2.9.10 combines them (each case was run against
 * the binary with raw-socket clients and {@code /varz}).
 */
class CommandLineSecurityTest {

    private static final String CERTIFICATE = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
    private static final String KEY = "-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n";

    @TempDir
    Path directory;

    private Path cert;
    private Path key;
    private final List<String> warnings = new ArrayList<>();

    @BeforeEach
    void writeFiles() throws IOException {
        cert = Files.writeString(directory.resolve("cert.pem"), CERTIFICATE);
        key = Files.writeString(directory.resolve("key.pem"), KEY);
    }

    private BrokerOptions options(String... arguments) throws Exception {
        return Main.options(CommandLine.parse(arguments), warnings);
    }

    /** Options from a configuration file with this text, then the flags. */
    private BrokerOptions withFile(String text, String... flags) throws Exception {
        Path file = Files.writeString(directory.resolve("server.conf"), text);
        List<String> arguments = new ArrayList<>(List.of("-c", file.toString()));
        arguments.addAll(List.of(flags));
        return options(arguments.toArray(String[]::new));
    }

    @Test
    void parsesTheFlags() throws Exception {
        CommandLine commandLine = CommandLine.parse("--user", "u", "--pass=p", "-auth", "t", "--tls", "--tlscert", "c.pem",
                "--tlskey=k.pem", "--tlscacert", "ca.pem", "--tlsverify=false", "--signal", "reload=42");
        assertEquals("u", commandLine.user());
        assertEquals("p", commandLine.password());
        assertEquals("t", commandLine.token());
        assertEquals(Boolean.TRUE, commandLine.tls());
        assertEquals(Path.of("c.pem"), commandLine.tlsCert());
        assertEquals(Path.of("k.pem"), commandLine.tlsKey());
        assertEquals(Path.of("ca.pem"), commandLine.tlsCaCert());
        assertEquals(Boolean.FALSE, commandLine.tlsVerify());
        assertEquals("reload=42", commandLine.signal());
        assertEquals(List.of(), commandLine.unsupported());
        assertEquals("reload", CommandLine.parse("-sl", "reload").signal());
    }

    @Test
    void toStringHidesPasswordAndToken() throws Exception {
        CommandLine commandLine = CommandLine.parse("--user", "alice", "--pass", "hunter2", "--auth", "t0ken");
        assertFalse(commandLine.toString().contains("hunter2"), commandLine.toString());
        assertFalse(commandLine.toString().contains("t0ken"), commandLine.toString());
        assertTrue(commandLine.toString().contains("alice"), commandLine.toString());
    }

    @Test
    void userAndPasswordAlone() throws Exception {
        AuthOptions auth = options("--user", "alice", "--pass", "secret").authorization();
        assertEquals("alice", auth.user());
        assertEquals("secret", auth.password());
        assertEquals(List.of("Plaintext passwords detected, use nkeys or bcrypt"), warnings);
    }

    @Test
    void aBcryptPasswordFlagDrawsNoWarning() throws Exception {
        options("--user", "alice", "--pass", "$2a$11$W2zko751KUvVy59mUTWmpOdWjpEm5qhcCZRd05GjI/sSOT.xtiHyG");
        assertEquals(List.of(), warnings);
    }

    @Test
    void aUserWithoutPasswordHasTheEmptyPassword() throws Exception {
        AuthOptions auth = options("--user", "alice").authorization();
        assertEquals("", auth.password());
        assertTrue(auth.required());
    }

    @Test
    void aPasswordAloneRequiresNothingAsInNatsServer() throws Exception {
        assertNull(options("--pass", "secret").authorization());
    }

    @Test
    void aToken() throws Exception {
        AuthOptions auth = options("--auth", "t0ken").authorization();
        assertEquals("t0ken", auth.token());
        assertEquals(List.of(), warnings);
    }

    @Test
    void userAndPasswordFlagsEachReplaceTheFileValue() throws Exception {
        String file = "authorization { user: a, password: b, timeout: 3 }\n";
        AuthOptions both = withFile(file, "--user", "c", "--pass", "d").authorization();
        assertEquals(List.of("c", "d"), List.of(both.user(), both.password()));
        assertEquals(Duration.ofSeconds(3), both.timeout(), "the file's timeout stays");
        AuthOptions userOnly = withFile(file, "--user", "c").authorization();
        assertEquals(List.of("c", "b"), List.of(userOnly.user(), userOnly.password()));
        AuthOptions passwordOnly = withFile(file, "--pass", "").authorization();
        assertEquals(List.of("a", ""), List.of(passwordOnly.user(), passwordOnly.password()));
    }

    @Test
    void anEmptyUserFlagRemovesTheFileUser() throws Exception {
        // nats-server: --user "" over a file's user lets every client in.
        AuthOptions auth = withFile("authorization { user: a, password: b }\n", "--user", "").authorization();
        assertTrue(auth == null || !auth.required(), String.valueOf(auth));
        AuthOptions token = withFile("authorization { token: t }\n", "--auth", "").authorization();
        assertTrue(token == null || !token.required(), String.valueOf(token));
    }

    @Test
    void theUsersListWinsOverAUserFlag() throws Exception {
        AuthOptions auth = withFile("authorization { users: [ { user: a, password: b } ] }\n",
                "--user", "c", "--pass", "d").authorization();
        assertNull(auth.user());
        assertNull(auth.password());
        assertEquals(List.of("a"), auth.users().stream().map(User::name).toList());
        assertTrue(warnings.contains("The single user \"c\" is ignored: the configuration file's users list takes precedence,"
                + " as in nats-server"), warnings.toString());
    }

    @Test
    void aTokenWinsOverASingleUser() throws Exception {
        AuthOptions fromFlags = withFile("authorization { token: t }\n", "--user", "c", "--pass", "d").authorization();
        assertEquals("t", fromFlags.token());
        assertNull(fromFlags.user());
        assertTrue(warnings.contains("The single user \"c\" is ignored: a token is set, and nats-server then accepts only"
                + " the token"), warnings.toString());
        AuthOptions fromFile = withFile("authorization { user: a, password: b }\n", "--auth", "t").authorization();
        assertEquals("t", fromFile.token());
        assertNull(fromFile.user());
    }

    @Test
    void aTokenFlagNextToAUsersListKeepsBoth() throws Exception {
        // nats-server: users log in by name, clients without a name with the token.
        AuthOptions auth = withFile("authorization { users: [ { user: a, password: b } ] }\n", "--auth", "t").authorization();
        assertEquals("t", auth.token());
        assertEquals(1, auth.users().size());
    }

    @Test
    void aFileWithPlaintextAndAFlagWarnOnce() throws Exception {
        withFile("authorization { user: a, password: b }\n", "--pass", "d");
        assertEquals(1, warnings.stream().filter(w -> w.contains("Plaintext passwords detected")).count(), warnings.toString());
    }

    @Test
    void tlsFlags() throws Exception {
        TlsOptions tls = options("--tlscert", cert.toString(), "--tlskey", key.toString()).tls();
        assertEquals(cert, tls.certFile());
        assertEquals(key, tls.keyFile());
        assertNull(tls.caFile());
        assertFalse(tls.verify());
        TlsOptions verify = options("--tlsverify", "--tlscert", cert.toString(), "--tlskey", key.toString(),
                "--tlscacert", cert.toString()).tls();
        assertTrue(verify.verify());
        assertEquals(cert, verify.caFile());
    }

    @Test
    void tlsFlagsWithoutCertificateOrKeyAreRefusedWithNatsServerTexts() {
        IllegalArgumentException noCert = assertThrows(IllegalArgumentException.class, () -> options("--tls"));
        assertEquals("TLS Server certificate must be present and valid", noCert.getMessage());
        assertEquals("TLS Server certificate must be present and valid",
                assertThrows(IllegalArgumentException.class, () -> options("--tlscacert", cert.toString())).getMessage());
        assertEquals("TLS Server private key must be present and valid",
                assertThrows(IllegalArgumentException.class, () -> options("--tlscert", cert.toString())).getMessage());
        Path missing = directory.resolve("nothere.pem");
        assertEquals("error parsing X509 certificate/key pair: open " + missing + ": no such file or directory",
                assertThrows(IllegalArgumentException.class,
                        () -> options("--tlscert", missing.toString(), "--tlskey", key.toString())).getMessage());
    }

    @Test
    void tlsFlagsReplaceTheFileBlockButKeepItsTimeoutAndMapping() throws Exception {
        String file = "tls { cert_file: \"" + cert + "\", key_file: \"" + key + "\", ca_file: \"" + cert + "\","
                + " verify: true, verify_and_map: true, timeout: 3,"
                + " cipher_suites: [\"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256\"] }\n";
        Path otherCert = Files.writeString(directory.resolve("other.pem"), CERTIFICATE);
        TlsOptions tls = withFile(file, "--tlscert", otherCert.toString(), "--tlskey", key.toString()).tls();
        assertEquals(otherCert, tls.certFile());
        assertNull(tls.caFile(), "the file's CA is replaced");
        assertFalse(tls.verify(), "verify comes from --tlsverify only");
        assertEquals(List.of(), tls.cipherSuites(), "the default suites");
        assertEquals(Duration.ofSeconds(3), tls.timeout());
        assertTrue(tls.verifyAndMap());
    }

    @Test
    void tlsVerifyAloneOverAFileBlockStillNeedsTheCertificateFlag() {
        // nats-server takes certificate and key for the override from the flags only.
        String file = "tls { cert_file: \"" + cert + "\", key_file: \"" + key + "\" }\n";
        assertEquals("TLS Server certificate must be present and valid",
                assertThrows(IllegalArgumentException.class, () -> withFile(file, "--tlsverify")).getMessage());
    }

    @Test
    void tlsFalseSwitchesTlsOffWhateverElseIsGiven() throws Exception {
        String file = "tls { cert_file: \"" + cert + "\", key_file: \"" + key + "\" }\n";
        assertNull(withFile(file, "--tls=false").tls());
        assertNull(options("--tlscert", cert.toString(), "--tls=false").tls());
        assertNull(options("--tls=false", "--tlscert", cert.toString()).tls());
    }

    @Test
    void noFlagsKeepTheFileSettings() throws Exception {
        BrokerOptions options = withFile("authorization { token: t }\ntls { cert_file: \"" + cert + "\", key_file: \""
                + key + "\" }\n", "-p", "4333");
        assertEquals("t", options.authorization().token());
        assertEquals(cert, options.tls().certFile());
        assertEquals(directory.resolve("server.conf"), options.configFile());
    }

    @Test
    void configErrorsInTheAuthorizationBlockStopTheStart() {
        assertThrows(ConfigException.class, () -> withFile("authorization { user: a, token: t }\n"));
    }
}
