package io.natsee.broker.tls;

import java.io.IOException;

/**
 * TLS settings that cannot be used: a certificate or key file that is missing or unreadable, a key
 * that does not match its certificate, an unknown cipher suite. The message names the file and
 * the problem, in nats-server's words where it has them.
 */
public final class TlsException extends IOException {

    private static final long serialVersionUID = 1L;

    public TlsException(String message) {
        super(message);
    }

    public TlsException(String message, Throwable cause) {
        super(message, cause);
    }
}
