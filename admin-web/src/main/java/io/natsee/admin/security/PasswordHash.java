package io.natsee.admin.security;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Password hashes in the users file: PBKDF2 with HMAC-SHA256 from the JDK, written
 * {@code $pbkdf2-sha256$<iterations>$<salt, base64>$<hash, base64>} (base64 without padding).
 * The stack writes the same format when it creates the first operator.
 */
public final class PasswordHash {

    /** The scheme's name in the hash text. */
    public static final String SCHEME = "pbkdf2-sha256";
    /** Iterations of new hashes (OWASP's 2023 advice for PBKDF2-HMAC-SHA256 is 600,000). */
    public static final int ITERATIONS = 600_000;
    private static final int MIN_ITERATIONS = 10_000;
    private static final int MAX_ITERATIONS = 10_000_000;
    private static final int SALT_BYTES = 16;
    private static final int HASH_BITS = 256;

    private PasswordHash() {
    }

    /** A new hash of the password with a random salt. */
    public static String hash(char[] password) {
        byte[] salt = new byte[SALT_BYTES];
        new SecureRandom().nextBytes(salt);
        return format(ITERATIONS, salt, derive(password, salt, ITERATIONS, HASH_BITS));
    }

    static String format(int iterations, byte[] salt, byte[] hash) {
        Base64.Encoder base64 = Base64.getEncoder().withoutPadding();
        return "$" + SCHEME + "$" + iterations + "$" + base64.encodeToString(salt) + "$" + base64.encodeToString(hash);
    }

    /**
     * Whether the password matches the hash text (constant time in the hash comparison).
     *
     * @throws IllegalArgumentException when the text is not a hash of this format
     */
    public static boolean verify(char[] password, String hashText) {
        String[] parts = hashText.split("\\$", -1);
        if (parts.length != 5 || !parts[0].isEmpty() || !parts[1].equals(SCHEME)) {
            throw new IllegalArgumentException("not a $" + SCHEME + "$ hash");
        }
        int iterations;
        byte[] salt;
        byte[] expected;
        try {
            iterations = Integer.parseInt(parts[2]);
            salt = Base64.getDecoder().decode(parts[3]);
            expected = Base64.getDecoder().decode(parts[4]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("malformed $" + SCHEME + "$ hash", e);
        }
        if (iterations < MIN_ITERATIONS || iterations > MAX_ITERATIONS || salt.length < 8 || expected.length < 16) {
            throw new IllegalArgumentException("$" + SCHEME + "$ hash with " + iterations + " iterations, "
                    + salt.length + " salt bytes, " + expected.length + " hash bytes is not accepted");
        }
        return MessageDigest.isEqual(expected, derive(password, salt, iterations, expected.length * 8));
    }

    private static byte[] derive(char[] password, byte[] salt, int iterations, int bits) {
        PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, bits);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 unavailable", e);
        } finally {
            spec.clearPassword();
        }
    }
}
