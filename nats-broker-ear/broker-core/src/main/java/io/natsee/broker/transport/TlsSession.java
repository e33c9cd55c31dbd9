package io.natsee.broker.transport;

/**
 * What a finished TLS handshake negotiated, in the JDK's names.
 *
 * @param protocol the protocol, such as {@code TLSv1.3}
 * @param cipherSuite the IANA name of the cipher suite, such as {@code TLS_AES_128_GCM_SHA256}
 */
public record TlsSession(String protocol, String cipherSuite) {
}
