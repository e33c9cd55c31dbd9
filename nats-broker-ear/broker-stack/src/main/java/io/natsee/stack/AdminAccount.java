package io.natsee.stack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * The admin console's first operator: on the stack's first start (no users file yet) a random
 * password, its PBKDF2 hash written to the users file the console reads ({@code natsee.admin.users};
 * format: admin-web's {@code UserFile}, {@code name roles $pbkdf2-sha256$iterations$salt$hash}),
 * the password itself printed once by the stack and stored nowhere.
 */
final class AdminAccount {

    /** The first operator's user name. */
    static final String USER = "admin";
    /** Its role in the console. */
    static final String ROLE = "natsee-operator";
    static final int ITERATIONS = 600_000;
    private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    private static final int PASSWORD_LENGTH = 20;

    private AdminAccount() {
    }

    /**
     * Creates the users file with the first operator when it does not exist (owner-only
     * permissions where the file system has them).
     *
     * @return the new password when the file was created, empty when it existed already
     */
    static Optional<String> ensure(Path file) throws IOException {
        if (Files.exists(file)) {
            return Optional.empty();
        }
        SecureRandom random = new SecureRandom();
        StringBuilder password = new StringBuilder(PASSWORD_LENGTH);
        for (int i = 0; i < PASSWORD_LENGTH; i++) {
            password.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        byte[] salt = new byte[16];
        random.nextBytes(salt);
        String line = USER + " " + ROLE + " " + hash(password.toString().toCharArray(), salt, ITERATIONS) + "\n";
        String text = "# NATS EE console users: name roles (natsee-operator, natsee-viewer) PBKDF2 hash.\n"
                + "# Created by the stack on its first start; add users with the same format.\n" + line;
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException noPosix) {
            Files.createFile(file);
        } catch (FileAlreadyExistsException raced) {
            return Optional.empty();
        }
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return Optional.of(password.toString());
    }

    /** {@code $pbkdf2-sha256$<iterations>$<salt>$<hash>}, base64 without padding, HMAC-SHA256, 256 bits. */
    static String hash(char[] password, byte[] salt, int iterations) {
        PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, 256);
        try {
            byte[] hash = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
            Base64.Encoder base64 = Base64.getEncoder().withoutPadding();
            return "$pbkdf2-sha256$" + iterations + "$" + base64.encodeToString(salt) + "$" + base64.encodeToString(hash);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 unavailable", e);
        } finally {
            spec.clearPassword();
        }
    }
}
