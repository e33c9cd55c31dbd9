package io.natsee.broker.cli;

import io.natsee.broker.BrokerOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SIGHUP's work: re-read the file, apply the flags again, hand over, log failures as nats-server. */
class ConfigReloaderTest {

    @TempDir
    Path directory;

    private final List<BrokerOptions> applied = new ArrayList<>();
    private final List<String> logged = new ArrayList<>();
    private final Logger logger = Logger.getLogger(ConfigReloader.class.getName());
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            String message = record.getParameters() == null ? record.getMessage()
                    : java.text.MessageFormat.format(record.getMessage(), record.getParameters());
            logged.add(record.getLevel() + " " + message);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private Path file;

    @BeforeEach
    void captureLog() {
        logger.addHandler(capture);
        logger.setLevel(Level.ALL);
    }

    @AfterEach
    void releaseLog() {
        logger.removeHandler(capture);
        logger.setLevel(null);
    }

    /** A reloader for a server started with this file and these flags, applying into {@link #applied}. */
    private ConfigReloader reloader(String text, String... flags) throws Exception {
        file = Files.writeString(directory.resolve("server.conf"), text);
        List<String> arguments = new ArrayList<>(List.of("-c", file.toString()));
        arguments.addAll(List.of(flags));
        CommandLine commandLine = CommandLine.parse(arguments.toArray(String[]::new));
        BrokerOptions started = Main.options(commandLine, new ArrayList<>());
        return new ConfigReloader(commandLine, Map.of(), started, options -> {
            applied.add(options);
            return options;
        });
    }

    @Test
    void rereadsTheFileAndHandsTheResultOver() throws Exception {
        ConfigReloader reloader = reloader("authorization { user: a, password: x }\n");
        Files.writeString(file, "authorization { user: a, password: y }\n");
        BrokerOptions reloaded = reloader.reload();
        assertEquals(1, applied.size());
        assertSame(reloaded, applied.get(0));
        assertSame(reloaded, reloader.current());
        assertEquals("y", reloaded.authorization().password());
        assertEquals(file, reloaded.configFile());
        assertTrue(logged.isEmpty(), "the plaintext warning is for start-up only: " + logged);
    }

    @Test
    void appliesTheFlagsAgain() throws Exception {
        ConfigReloader reloader = reloader("port: 4333\nauthorization { user: a, password: x }\n", "-p", "5555", "--pass", "z");
        Files.writeString(file, "port: 4444\nauthorization { user: b, password: y }\n");
        BrokerOptions reloaded = reloader.reload();
        assertEquals(5555, reloaded.port());
        assertEquals("b", reloaded.authorization().user());
        assertEquals("z", reloaded.authorization().password());
    }

    @Test
    void aBrokenFileChangesNothingAndIsLogged() throws Exception {
        ConfigReloader reloader = reloader("authorization { token: t }\n");
        BrokerOptions before = reloader.current();
        Files.writeString(file, "authorization { token: t, user: a }\n");
        assertNull(reloader.reload());
        assertTrue(applied.isEmpty());
        assertSame(before, reloader.current());
        assertEquals(List.of("SEVERE Failed to reload server configuration: " + file + ":1:1: Cannot have a user/pass and token"),
                logged);
    }

    @Test
    void aRefusalOfTheServerIsLogged() throws Exception {
        file = Files.writeString(directory.resolve("server.conf"), "port: 4333\n");
        CommandLine commandLine = CommandLine.parse("-c", file.toString());
        ConfigReloader reloader = new ConfigReloader(commandLine, Map.of(), Main.options(commandLine, new ArrayList<>()),
                options -> {
                    throw new IllegalArgumentException("config reload not supported for port");
                });
        Files.writeString(file, "port: 4444\n");
        assertNull(reloader.reload());
        assertEquals(List.of("SEVERE Failed to reload server configuration: config reload not supported for port"), logged);
    }

    @Test
    void withoutAConfigFileThereIsNothingToReload() throws Exception {
        CommandLine commandLine = CommandLine.parse("-p", "4333");
        ConfigReloader reloader = new ConfigReloader(commandLine, Map.of(), Main.options(commandLine, new ArrayList<>()),
                options -> {
                    throw new AssertionError("nothing to apply");
                });
        assertNull(reloader.reload());
        assertEquals(List.of("SEVERE Failed to reload server configuration: can only reload config when a file is provided"
                + " using -c or --config"), logged);
    }

    @Test
    void passwordsNeverReachTheLog() throws Exception {
        ConfigReloader reloader = reloader("authorization { user: a, password: hunter2 }\n", "--auth", "t0ken");
        Files.writeString(file, "authorization { user: a, password: hunter3, token: x }\n");
        reloader.reload();
        Files.writeString(file, "authorization { user: a, password: hunter4 }\nport: \"x\"\n");
        reloader.reload();
        assertFalse(logged.isEmpty());
        for (String line : logged) {
            assertFalse(line.contains("hunter") || line.contains("t0ken"), line);
        }
    }
}
