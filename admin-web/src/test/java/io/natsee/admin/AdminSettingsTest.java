package io.natsee.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AdminSettingsTest {

    private static AdminSettings settings(Map<String, String> values) {
        return AdminSettings.from(values::get);
    }

    @Test
    void withoutSettingsTheConsoleWatchesTheLocalBrokerAndNobodyCanLogIn() {
        AdminSettings settings = settings(Map.of());
        assertEquals(1, settings.servers().size());
        assertEquals("http://127.0.0.1:8222", settings.servers().get(0).url().toString());
        assertEquals("127.0.0.1:8222", settings.servers().get(0).name());
        assertFalse(settings.servers().get(0).canClose());
        assertEquals(settings.servers().get(0).url(), settings.streaming());
        assertNull(settings.usersFile());
        assertEquals(Duration.ofSeconds(2), settings.sampleInterval());
    }

    @Test
    void severalNamedServersATokenAStreamingAddressAndAUsersFile() {
        AdminSettings settings = settings(Map.of(
                "natsee.admin.servers", "a=http://10.0.0.1:8222/, http://10.0.0.2:8222 ,,c = https://c.example:8443",
                "natsee.admin.token", "t0k",
                "natsee.admin.streaming", "http://10.0.0.1:8223/",
                "natsee.admin.users", "/etc/natsee/users",
                "natsee.admin.sample_seconds", "5"));
        assertEquals(3, settings.servers().size());
        assertEquals("a", settings.servers().get(0).name());
        assertEquals("http://10.0.0.1:8222", settings.servers().get(0).url().toString());
        assertEquals("10.0.0.2:8222", settings.servers().get(1).name());
        assertEquals("c", settings.servers().get(2).name());
        assertTrue(settings.servers().stream().allMatch(s -> s.canClose() && s.token().equals("t0k")));
        assertEquals("http://10.0.0.1:8223", settings.streaming().toString());
        assertEquals(Path.of("/etc/natsee/users"), settings.usersFile());
        assertEquals(Duration.ofSeconds(5), settings.sampleInterval());
    }

    @Test
    void badValuesAreRefusedByName() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> settings(Map.of("natsee.admin.servers", "ftp://x")))
                .getMessage().startsWith("natsee.admin.servers"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> settings(Map.of("natsee.admin.servers", " , ")))
                .getMessage().startsWith("natsee.admin.servers"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> settings(Map.of("natsee.admin.sample_seconds", "0")))
                .getMessage().startsWith("natsee.admin.sample_seconds"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> settings(Map.of("natsee.admin.sample_seconds", "fast")))
                .getMessage().startsWith("natsee.admin.sample_seconds"));
    }
}
