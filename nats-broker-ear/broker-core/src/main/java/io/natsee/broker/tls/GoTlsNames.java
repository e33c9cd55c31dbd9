package io.natsee.broker.tls;

import java.util.Map;

/**
 * The names nats-server 2.9.10 gives a TLS connection's protocol and cipher suite in
 * {@code /connz} ({@code tls_version}, {@code tls_cipher_suite}), from the JDK's names.
 * Observed on nats-server 2.9.10: {@code "1.3"} with {@code TLS_AES_128_GCM_SHA256},
 * {@code "1.2"} with {@code TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384}, and Go's short ChaCha20 names
 * ({@code TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305}, without the IANA {@code _SHA256}).
 */
public final class GoTlsNames {

    private static final Map<String, String> VERSIONS = Map.of(
            "TLSv1", "1.0", "TLSv1.1", "1.1", "TLSv1.2", "1.2", "TLSv1.3", "1.3");

    /** The IANA names Go spells otherwise; every other suite has the same name in both. */
    private static final Map<String, String> CIPHERS = Map.of(
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305");

    private GoTlsNames() {
    }

    /** {@code TLSv1.3} as {@code 1.3}; a protocol Go does not know as {@code Unknown [name]}. */
    public static String version(String javaProtocol) {
        String version = VERSIONS.get(javaProtocol);
        return version != null ? version : "Unknown [" + javaProtocol + "]";
    }

    /** The cipher suite under Go's name. */
    public static String cipherSuite(String ianaName) {
        return CIPHERS.getOrDefault(ianaName, ianaName);
    }
}
