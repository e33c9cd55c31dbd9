package io.natsee.broker.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GoTlsNamesTest {

    @ParameterizedTest
    @CsvSource({"TLSv1.3, 1.3", "TLSv1.2, 1.2", "TLSv1.1, 1.1", "TLSv1, 1.0", "SSLv3, Unknown [SSLv3]"})
    void versions(String java, String go) {
        assertEquals(go, GoTlsNames.version(java));
    }

    @ParameterizedTest
    @CsvSource({
        "TLS_AES_128_GCM_SHA256, TLS_AES_128_GCM_SHA256",
        "TLS_CHACHA20_POLY1305_SHA256, TLS_CHACHA20_POLY1305_SHA256",
        "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
        "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256, TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305",
        "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256, TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305"})
    void cipherSuites(String iana, String go) {
        assertEquals(go, GoTlsNames.cipherSuite(iana));
    }
}
