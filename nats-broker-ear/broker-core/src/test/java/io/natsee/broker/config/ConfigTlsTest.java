package io.natsee.broker.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.natsee.broker.BrokerOptions;
import io.natsee.broker.tls.TlsOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The {@code tls} block: what maps onto {@link TlsOptions}, what is refused by name, and
 * nats-server 2.9.10's texts for bad blocks and files (checked with {@code nats-server -t}).
 */
class ConfigTlsTest {

    private static final Path FILE = Path.of("server.conf");
    private static final String CERTIFICATE = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
    private static final String KEY = "-----BEGIN EC PRIVATE KEY-----\nMHcC\n-----END EC PRIVATE KEY-----\n";

    @TempDir
    Path directory;

    private Path cert;
    private Path key;
    private Path ca;

    @BeforeEach
    void writeFiles() throws IOException {
        cert = write("cert.pem", CERTIFICATE);
        key = write("key.pem", KEY);
        ca = write("ca.pem", CERTIFICATE + CERTIFICATE);
    }

    private BrokerOptions load(String text) throws ConfigException {
        ConfigValue.MapValue root = new ConfigFileParser(Map.of()).parse(text, FILE);
        return ConfigLoader.apply(root, BrokerOptions.builder(), warning -> { }).build();
    }

    /** A tls block with the certificate and key plus {@code more}. */
    private TlsOptions tls(String more) throws ConfigException {
        return load(block(more)).tls();
    }

    private String block(String more) {
        return "tls {\n  cert_file: \"" + cert + "\"\n  key_file: \"" + key + "\"\n" + more + "\n}\n";
    }

    private List<String> errors(String text) {
        ConfigException e = assertThrows(ConfigException.class, () -> load(text));
        return e.errors().stream().map(ConfigError::toString).toList();
    }

    @Test
    void readsTheCertificateAndKey() throws ConfigException {
        TlsOptions tls = tls("");
        assertEquals(cert, tls.certFile());
        assertEquals(key, tls.keyFile());
        assertNull(tls.caFile());
        assertFalse(tls.verify());
        assertFalse(tls.verifyAndMap());
        assertNull(tls.timeout());
        assertEquals(List.of(), tls.cipherSuites());
    }

    @Test
    void readsEveryHonouredKey() throws ConfigException {
        TlsOptions tls = tls("  ca_file: \"" + ca + "\"\n  verify: true\n  verify_and_map: true\n  timeout: 3\n"
                + "  cipher_suites: [\"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256\", \"TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305\"]\n"
                + "  insecure: false\n  pinned_certs: []\n  connection_rate_limit: 0\n"
                + "  verify_cert_and_check_known_urls: false");
        assertEquals(ca, tls.caFile());
        assertTrue(tls.verify());
        assertTrue(tls.verifyAndMap());
        assertEquals(Duration.ofSeconds(3), tls.timeout());
        assertEquals(List.of("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305"),
                tls.cipherSuites());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"2 | PT2S", "1.5 | PT1.5S", "\"3s\" | PT3S", "\"250ms\" | PT0.25S"})
    void readsTheTimeoutAsSecondsOrADuration(String written, Duration expected) throws ConfigException {
        assertEquals(expected, tls("  timeout: " + written).timeout());
    }

    @Test
    void aZeroTimeoutMeansTheDefault() throws ConfigException {
        assertNull(tls("  timeout: 0").timeout());
    }

    @Test
    void anEmptyCaFileMeansNone() throws ConfigException {
        assertNull(tls("  ca_file: \"\"").caFile());
    }

    @Test
    void refusesWhatTlsOptionsCannotExpressByName() {
        assertEquals(List.of("server.conf:4:3: \"insecure\" is not supported yet by this server except with the value false"),
                errors(block("  insecure: true")));
        assertEquals(List.of("server.conf:4:3: \"curve_preferences\" is not supported yet by this server"),
                errors(block("  curve_preferences: [\"CurveP256\", \"X25519\"]")));
        assertEquals(List.of("server.conf:4:3: \"pinned_certs\" is not supported yet by this server except with the value []"),
                errors(block("  pinned_certs: [\"" + "ab".repeat(32) + "\"]")));
        assertEquals(List.of("server.conf:4:3: \"connection_rate_limit\" is not supported yet by this server"
                        + " except with the value 0"),
                errors(block("  connection_rate_limit: 10")));
    }

    @Test
    void refusesBadValuesWithNatsServerTexts() {
        assertEquals(List.of("server.conf:4:3: error parsing tls config, unknown field [\"colour\"]"),
                errors(block("  colour: 1")));
        assertEquals(List.of("server.conf:4:3: error parsing tls config, expected 'verify' to be a boolean"),
                errors(block("  verify: \"yes\"")));
        assertEquals(List.of("server.conf:4:3: error parsing tls config, expected 'verify_and_map' to be a boolean"),
                errors(block("  verify_and_map: 1")));
        assertEquals(List.of("server.conf:4:3: error parsing tls config, expected 'insecure' to be a boolean"),
                errors(block("  insecure: \"x\"")));
        assertEquals(List.of("server.conf:4:3: error parsing tls config, 'timeout' unknown unit 'x' in duration '3x'"),
                errors(block("  timeout: \"3x\"")));
        assertEquals(List.of("server.conf:4:3: error parsing tls config, 'timeout' wrong type"),
                errors(block("  timeout: true")));
        assertEquals(List.of("server.conf:4:12: \"timeout\" must not be negative (nats-server would fail every handshake at once)"),
                errors(block("  timeout: -2")));
        assertEquals(List.of("server.conf:4:3: error parsing tls config, 'cipher_suites' cannot be empty"),
                errors(block("  cipher_suites: []")));
        assertEquals(List.of("server.conf:4:60: unrecognized cipher FOO"),
                errors(block("  cipher_suites: [\"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256\", \"FOO\"]")));
        assertEquals(List.of("server.conf:4:3: error parsing tls config, 'curve_preferences' cannot be empty"),
                errors(block("  curve_preferences: []")));
        assertEquals(List.of("server.conf:4:23: unrecognized curve preference P256"),
                errors(block("  curve_preferences: [\"P256\"]")));
        assertEquals(List.of("server.conf:4:3: verify_cert_and_check_known_urls not supported in this context"),
                errors(block("  verify_cert_and_check_known_urls: true")));
        assertEquals(List.of("server.conf:1:7: error parsing tls config, expected 'cert_file' to be filename"),
                errors("tls { cert_file: 5, key_file: \"" + key + "\" }"));
        assertEquals(List.of("server.conf:1:6: \"tls\" expects a block { ... }, not an integer (5)"), errors("tls: 5"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLS_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
        "tls_aes_128_gcm_sha256"})
    void refusesCipherNamesNatsServerDoesNotKnow(String name) {
        assertEquals(List.of("server.conf:4:19: unrecognized cipher " + name),
                errors(block("  cipher_suites: [\"" + name + "\"]")));
    }

    @Test
    void refusesMissingFilesWithNatsServerTexts() {
        assertEquals(List.of("server.conf:1:1: missing 'key_file' in TLS configuration"),
                errors("tls { cert_file: \"" + cert + "\" }"));
        assertEquals(List.of("server.conf:1:1: missing 'cert_file' in TLS configuration"),
                errors("tls { key_file: \"" + key + "\" }"));
        assertEquals(List.of("server.conf:1:1: missing 'cert_file' and 'key_file' in TLS configuration"
                        + " (nats-server would require TLS without a certificate and fail every handshake)"),
                errors("tls {}"));
        Path missing = directory.resolve("nothere.pem");
        assertEquals(List.of("server.conf:1:1: error parsing X509 certificate/key pair: open " + missing
                        + ": no such file or directory"),
                errors("tls { cert_file: \"" + missing + "\", key_file: \"" + key + "\" }"));
        assertEquals(List.of("server.conf:1:1: open " + missing + ": no such file or directory"),
                errors("tls { cert_file: \"" + cert + "\", key_file: \"" + key + "\", ca_file: \"" + missing + "\" }"));
    }

    @Test
    void refusesFilesWithoutTheRightPemBlocks() throws IOException {
        Path empty = write("empty.pem", "");
        String pair = "server.conf:1:1: error parsing X509 certificate/key pair: tls: ";
        assertEquals(List.of(pair + "failed to find any PEM data in certificate input"),
                errors("tls { cert_file: \"" + empty + "\", key_file: \"" + key + "\" }"));
        assertEquals(List.of(pair + "failed to find any PEM data in key input"),
                errors("tls { cert_file: \"" + cert + "\", key_file: \"" + empty + "\" }"));
        assertEquals(List.of(pair + "failed to find certificate PEM data in certificate input, but did find a private key;"
                        + " PEM inputs may have been switched"),
                errors("tls { cert_file: \"" + key + "\", key_file: \"" + key + "\" }"));
        assertEquals(List.of(pair + "found a certificate rather than a key in the PEM for the private key"),
                errors("tls { cert_file: \"" + cert + "\", key_file: \"" + cert + "\" }"));
        assertEquals(List.of("server.conf:1:1: failed to parse root ca certificate"),
                errors("tls { cert_file: \"" + cert + "\", key_file: \"" + key + "\", ca_file: \"" + key + "\" }"));
    }

    @Test
    void tlsFilesAcceptsGoodFiles() {
        assertNull(TlsFiles.problem(cert, key, ca));
        assertNull(TlsFiles.problem(cert, key, null));
    }

    private Path write(String name, String text) throws IOException {
        Path file = directory.resolve(name);
        Files.writeString(file, text);
        return file;
    }
}
