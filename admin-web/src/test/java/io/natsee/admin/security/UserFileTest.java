package io.natsee.admin.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.security.enterprise.credential.UsernamePasswordCredential;
import jakarta.security.enterprise.identitystore.CredentialValidationResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UserFileTest {

    /** A line as the stack writes it for the password "correct horse" with the salt 0..15, computed by Python's hashlib (an independent PBKDF2). */
    static final String STACK_LINE = "admin natsee-operator "
            + "$pbkdf2-sha256$600000$AAECAwQFBgcICQoLDA0ODw$lqWQTC4IyNpCMF28xdfPGOrSY21J9ZUmtgbyZpYoFHM";

    @Test
    void aHashVerifiesItsPasswordOnly() {
        String hash = PasswordHash.hash("s3cret".toCharArray());
        assertTrue(hash.startsWith("$pbkdf2-sha256$600000$"));
        assertTrue(PasswordHash.verify("s3cret".toCharArray(), hash));
        assertFalse(PasswordHash.verify("s3cret ".toCharArray(), hash));
        assertFalse(hash.equals(PasswordHash.hash("s3cret".toCharArray())), "a new salt every time");
        assertThrows(IllegalArgumentException.class, () -> PasswordHash.verify("x".toCharArray(), "plain"));
        assertThrows(IllegalArgumentException.class, () -> PasswordHash.verify("x".toCharArray(), "$pbkdf2-sha256$1$AAAA$AAAA"));
    }

    @Test
    void readsTheLineTheStackWrites() {
        UserFile users = UserFile.parse("# made by the stack\n" + STACK_LINE + "\n", "users");
        assertEquals(Optional.of(Set.of(Roles.OPERATOR, Roles.VIEWER)), users.authenticate("admin", "correct horse".toCharArray()));
        assertEquals(Optional.empty(), users.authenticate("admin", "wrong".toCharArray()));
        assertEquals(Optional.empty(), users.authenticate("nobody", "correct horse".toCharArray()));
    }

    @Test
    void everyErrorIsReportedWithItsLineAndNoHashIsShown() {
        String hash = PasswordHash.hash("x".toCharArray());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> UserFile.parse(
                "a natsee-viewer " + hash + "\nb admin " + hash + "\nc natsee-viewer plaintext\na natsee-viewer " + hash + "\nd\n", "f"));
        String[] lines = e.getMessage().split("\n");
        assertEquals(4, lines.length, e.getMessage());
        assertTrue(lines[0].startsWith("f:2: unknown role 'admin'"));
        assertTrue(lines[1].startsWith("f:3: the password must be"));
        assertTrue(lines[2].startsWith("f:4: user 'a' appears twice"));
        assertTrue(lines[3].startsWith("f:5: expected"));
        assertFalse(e.getMessage().contains("plaintext") || e.getMessage().contains(hash));
    }

    @Test
    void theIdentityStoreReadsTheFileAgainWhenItChanges(@TempDir Path directory) throws Exception {
        Path file = directory.resolve("users");
        FileIdentityStore store = new FileIdentityStore(file);
        assertEquals(CredentialValidationResult.Status.INVALID, store.validate(new UsernamePasswordCredential("v", "pw")).getStatus(),
                "no file: nobody logs in");

        Files.writeString(file, "v natsee-viewer " + PasswordHash.hash("pw".toCharArray()) + "\n");
        CredentialValidationResult viewer = store.validate(new UsernamePasswordCredential("v", "pw"));
        assertEquals(CredentialValidationResult.Status.VALID, viewer.getStatus());
        assertEquals(Set.of(Roles.VIEWER), viewer.getCallerGroups());
        assertEquals(CredentialValidationResult.Status.INVALID, store.validate(new UsernamePasswordCredential("v", "nope")).getStatus());

        Files.writeString(file, "o natsee-operator " + PasswordHash.hash("op".toCharArray()) + "\n");
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));
        assertEquals(CredentialValidationResult.Status.INVALID, store.validate(new UsernamePasswordCredential("v", "pw")).getStatus());
        assertEquals(Set.of(Roles.OPERATOR, Roles.VIEWER),
                store.validate(new UsernamePasswordCredential("o", "op")).getCallerGroups());

        Files.writeString(file, "broken line\n");
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(10)));
        assertEquals(CredentialValidationResult.Status.INVALID, store.validate(new UsernamePasswordCredential("o", "op")).getStatus(),
                "a file in error lets nobody in");
    }
}
