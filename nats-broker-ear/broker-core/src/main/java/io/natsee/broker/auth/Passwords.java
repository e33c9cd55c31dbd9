package io.natsee.broker.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/** Password and token checks as nats-server makes them: bcrypt when configured so, else constant-time equality. */
public final class Passwords {

    private Passwords() {
    }

    /** Whether a configured secret is a bcrypt hash ({@code $2a$}, {@code $2b$}, {@code $2y$}, ...). */
    public static boolean isBcrypt(String configured) {
        return configured != null && configured.startsWith("$2") && configured.length() >= 59;
    }

    /**
     * Whether what the client sent matches the configured secret. Plain secrets are compared in
     * constant time; bcrypt hashes are verified (which takes its cost by design).
     */
    public static boolean matches(String configured, String supplied) {
        if (configured == null || supplied == null) {
            return false;
        }
        if (isBcrypt(configured)) {
            try {
                return OpenBSDBCrypt.checkPassword(configured, supplied.toCharArray());
            } catch (IllegalArgumentException malformed) {
                return false;
            }
        }
        return MessageDigest.isEqual(configured.getBytes(StandardCharsets.UTF_8),
                supplied.getBytes(StandardCharsets.UTF_8));
    }
}
