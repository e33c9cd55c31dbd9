package io.natsee.broker.tls;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The {@code tls} block (and the {@code --tls*} flags) of the client port: PEM certificate and
 * key, the CA that client certificates must chain to, and how strictly clients are checked.
 *
 * @param certFile the server's certificate chain, PEM
 * @param keyFile the server's private key, PEM (PKCS#1, PKCS#8 or EC)
 * @param caFile trusted CAs for client certificates, PEM; {@code null} for the JDK's defaults
 * @param verify whether clients must present a trusted certificate (mutual TLS)
 * @param verifyAndMap like verify, and the certificate's subject names the user
 * @param timeout how long a TLS handshake may take; {@code null} for the default (2 s)
 * @param cipherSuites allowed cipher suites (IANA or Go names); empty for the defaults
 */
public record TlsOptions(Path certFile, Path keyFile, Path caFile, boolean verify, boolean verifyAndMap,
                         Duration timeout, List<String> cipherSuites) {

    /** nats-server's default TLS handshake timeout. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

    public TlsOptions {
        cipherSuites = cipherSuites == null ? List.of() : List.copyOf(cipherSuites);
    }

    /** The handshake timeout in effect. */
    public Duration timeoutOrDefault() {
        return timeout == null ? DEFAULT_TIMEOUT : timeout;
    }

    /** Whether client certificates are required. */
    public boolean requiresClientCertificates() {
        return verify || verifyAndMap;
    }
}
