package io.natsee.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdminAccountTest {

    @TempDir
    Path directory;

    @Test
    void theHashIsTheFormatTheConsoleReads() {
        byte[] salt = new byte[16];
        for (int i = 0; i < salt.length; i++) {
            salt[i] = (byte) i;
        }
        // The same vector admin-web's UserFileTest checks, computed by Python's hashlib.
        assertEquals("$pbkdf2-sha256$600000$AAECAwQFBgcICQoLDA0ODw$lqWQTC4IyNpCMF28xdfPGOrSY21J9ZUmtgbyZpYoFHM",
                AdminAccount.hash("correct horse".toCharArray(), salt, 600_000));
    }

    @Test
    void theFirstStartCreatesOneOperatorWithARandomPasswordAndLaterStartsKeepIt() throws Exception {
        Path file = directory.resolve("conf").resolve("admin-users.txt");
        Optional<String> password = AdminAccount.ensure(file);
        assertTrue(password.isPresent());
        assertEquals(20, password.get().length());
        List<String> users = Files.readAllLines(file).stream().filter(line -> !line.startsWith("#")).toList();
        assertEquals(1, users.size());
        String[] fields = users.get(0).split(" ");
        assertEquals("admin", fields[0]);
        assertEquals("natsee-operator", fields[1]);
        assertTrue(fields[2].startsWith("$pbkdf2-sha256$600000$"));
        assertTrue(!Files.readString(file).contains(password.get()), "the password itself is not stored");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));

        String before = Files.readString(file);
        assertEquals(Optional.empty(), AdminAccount.ensure(file));
        assertEquals(before, Files.readString(file));

        Path other = directory.resolve("other.txt");
        assertNotEquals(password, AdminAccount.ensure(other), "never a fixed password");
    }
}
