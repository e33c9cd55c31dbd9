package io.natsee.broker.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.natsee.broker.support.TestPki;
import io.natsee.broker.support.TestPki.Issued;
import io.natsee.broker.support.TestPki.KeyForm;

/** Loading the {@code tls {}} files: every PEM key form, the checks, and nats-server's error words. */
@Timeout(30)
class TlsSettingsTest {

    @TempDir
    Path directory;

    private TestPki pki;
    private Issued server;

    @BeforeEach
    void makeCertificates() {
        pki = TestPki.create(directory, "unit");
        server = pki.server("server", KeyForm.RSA_PKCS1);
    }

    private static TlsOptions options(Path cert, Path key, Path ca, boolean verify, List<String> ciphers) {
        return new TlsOptions(cert, key, ca, verify, false, null, ciphers);
    }

    @ParameterizedTest
    @EnumSource(KeyForm.class)
    void readsEveryKeyForm(KeyForm form) throws IOException {
        Issued issued = pki.server("s-" + form, form);
        TlsSettings settings = TlsSettings.load(options(issued.certFile(), issued.keyFile(), null, false, List.of()));
        assertEquals(issued.certificate(), settings.certificateChain().get(0));
        assertEquals(issued.key().getAlgorithm(), settings.key().getAlgorithm());
        assertTrue(TlsSettings.matches(settings.key(), issued.certificate().getPublicKey()));
    }

    @Test
    void keyFileWithEcParametersBlockFirstIsRead() throws IOException {
        Issued issued = pki.server("ec", KeyForm.EC_SEC1);
        // openssl ecparam -genkey writes an EC PARAMETERS block before the key
        String parameters = "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n";
        Files.writeString(issued.keyFile(), parameters + Files.readString(issued.keyFile()), StandardCharsets.US_ASCII);
        assertEquals("EC", TlsSettings.readPrivateKey(issued.keyFile()).getAlgorithm());
    }

    @Test
    void defaultsAndVerify() throws IOException {
        TlsSettings plain = TlsSettings.load(options(server.certFile(), server.keyFile(), null, false, List.of()));
        assertFalse(plain.clientCertificatesRequired());
        assertNull(plain.trustedCertificates());
        assertEquals(TlsOptions.DEFAULT_TIMEOUT, plain.handshakeTimeout());
        assertEquals(List.of(), plain.cipherSuites());
        assertEquals(List.of("TLSv1.3", "TLSv1.2"), plain.protocols());
        assertEquals(TlsSettings.Engine.AUTO, plain.engine());

        TlsSettings verify = TlsSettings.load(options(server.certFile(), server.keyFile(), pki.caFile(), true, List.of()));
        assertTrue(verify.clientCertificatesRequired());
        assertEquals(List.of(pki.caCertificate()), verify.trustedCertificates());

        TlsSettings mapped = TlsSettings.load(new TlsOptions(server.certFile(), server.keyFile(), pki.caFile(), false, true,
                Duration.ofMillis(250), List.of()));
        assertTrue(mapped.clientCertificatesRequired(), "verify_and_map implies verify");
        assertEquals(Duration.ofMillis(250), mapped.handshakeTimeout());
    }

    @Test
    void mismatchedKeyIsRefused() {
        Issued other = pki.client("other", "other", KeyForm.RSA_PKCS8);
        TlsException e = assertThrows(TlsException.class,
                () -> TlsSettings.load(options(server.certFile(), other.keyFile(), null, false, List.of())));
        assertTrue(e.getMessage().startsWith("error parsing X509 certificate/key pair: private key"), e.getMessage());
        assertTrue(e.getMessage().contains("does not match"), e.getMessage());
    }

    @Test
    void rsaKeyForEcCertificateIsRefused() {
        Issued ec = pki.server("ec", KeyForm.EC_PKCS8);
        TlsException e = assertThrows(TlsException.class,
                () -> TlsSettings.load(options(ec.certFile(), server.keyFile(), null, false, List.of())));
        assertTrue(e.getMessage().contains("does not match"), e.getMessage());
    }

    @Test
    void missingFilesAreNamed() {
        Path missing = directory.resolve("nope.pem");
        TlsException cert = assertThrows(TlsException.class,
                () -> TlsSettings.load(options(missing, server.keyFile(), null, false, List.of())));
        assertEquals("error parsing X509 certificate/key pair: open " + missing + ": no such file or directory",
                cert.getMessage());
        TlsException ca = assertThrows(TlsException.class,
                () -> TlsSettings.load(options(server.certFile(), server.keyFile(), missing, true, List.of())));
        assertTrue(ca.getMessage().startsWith("failed to parse root ca certificate"), ca.getMessage());
        assertThrows(TlsException.class, () -> TlsSettings.load(options(null, server.keyFile(), null, false, List.of())));
    }

    @Test
    void filesWithoutPemContentAreRefused() throws IOException {
        Path junk = Files.writeString(directory.resolve("junk.pem"), "not a pem file\n");
        TlsException cert = assertThrows(TlsException.class,
                () -> TlsSettings.load(options(junk, server.keyFile(), null, false, List.of())));
        assertTrue(cert.getMessage().contains("no PEM certificate found in " + junk), cert.getMessage());
        TlsException key = assertThrows(TlsException.class,
                () -> TlsSettings.load(options(server.certFile(), junk, null, false, List.of())));
        assertTrue(key.getMessage().contains("no PEM private key found in " + junk), key.getMessage());
        TlsException ca = assertThrows(TlsException.class,
                () -> TlsSettings.load(options(server.certFile(), server.keyFile(), junk, true, List.of())));
        assertTrue(ca.getMessage().startsWith("failed to parse root ca certificate"), ca.getMessage());
        // a certificate file given as the key
        TlsException swapped = assertThrows(TlsException.class,
                () -> TlsSettings.load(options(server.certFile(), server.certFile(), null, false, List.of())));
        assertTrue(swapped.getMessage().contains("no PEM private key found"), swapped.getMessage());
    }

    @Test
    void certificateChainKeepsItsOrder() throws IOException {
        Path chain = directory.resolve("chain.pem");
        Files.writeString(chain, Files.readString(server.certFile()) + Files.readString(pki.caFile()));
        TlsSettings settings = TlsSettings.load(options(chain, server.keyFile(), null, false, List.of()));
        assertEquals(List.of(server.certificate(), pki.caCertificate()), settings.certificateChain());
    }

    @Test
    void goCipherNamesBecomeIanaNamesAndTls13SuitesStay() throws IOException {
        List<String> suites = TlsSettings.cipherSuites(List.of("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
                "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305", "tls_ecdhe_ecdsa_with_aes_256_gcm_sha384"));
        assertEquals(List.of("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
                "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384",
                "TLS_CHACHA20_POLY1305_SHA256"), suites);
        assertEquals(List.of(), TlsSettings.cipherSuites(List.of()));
    }

    @Test
    void unknownCipherIsRefusedInNatsServerWords() {
        TlsException e = assertThrows(TlsException.class, () -> TlsSettings.load(
                options(server.certFile(), server.keyFile(), null, false, List.of("TLS_FOO"))));
        assertEquals("unrecognized cipher TLS_FOO", e.getMessage());
    }

    @Test
    void engineCanBeChosen() throws IOException {
        TlsSettings settings = TlsSettings.load(options(server.certFile(), server.keyFile(), null, false, List.of()));
        assertEquals(TlsSettings.Engine.JDK, settings.withEngine(TlsSettings.Engine.JDK).engine());
        assertEquals(settings.certificateChain(), settings.withEngine(TlsSettings.Engine.JDK).certificateChain());
    }
}
