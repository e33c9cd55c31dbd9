package io.natsee.broker;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.natsee.broker.support.Await;
import io.natsee.broker.support.ConfiguredServer;
import io.natsee.broker.support.ProtocolClient;

/**
 * Passwords and tokens never reach the logs: everything the broker logs through
 * {@code System.Logger} (routed to java.util.logging, captured on {@code io.natsee} at every
 * level, DEBUG included) while clients log in with right and wrong credentials, send malformed
 * or oversized CONNECTs, and the configuration is loaded and reloaded.
 */
@Timeout(30)
class CredentialLoggingTest {

    private static final String PASSWORD = "Pa55-word-in-config";
    private static final String NEW_PASSWORD = "Fre5h-password-after-reload";
    private static final String TOKEN = "T0ken-in-config-xyz";
    private static final String WRONG = "Wr0ng-attempt-by-client";
    private static final List<String> SECRETS = List.of(PASSWORD, NEW_PASSWORD, TOKEN, WRONG);

    private final Logger natsee = Logger.getLogger("io.natsee");
    private final List<LogRecord> records = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            records.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private Level previousLevel;
    private final Deque<AutoCloseable> resources = new ArrayDeque<>();

    @BeforeEach
    void captureLogs() {
        previousLevel = natsee.getLevel();
        natsee.setLevel(Level.ALL);
        capture.setLevel(Level.ALL);
        natsee.addHandler(capture);
    }

    @AfterEach
    void restoreLogs() throws Exception {
        while (!resources.isEmpty()) {
            resources.pop().close();
        }
        natsee.removeHandler(capture);
        natsee.setLevel(previousLevel);
    }

    @Test
    void loginsWithRightAndWrongPasswordsLogNoSecret() {
        ConfiguredServer server = start("authorization {\n  users: [\n"
                + "    {user: alice, password: \"" + PASSWORD + "\"}\n"
                + "    {user: bob, password: \"" + bcrypt(PASSWORD) + "\"}\n  ]\n}\n");
        open(server).send(connect("alice", PASSWORD, true)).expect("+OK\r\n").ping();
        open(server).send(connect("bob", PASSWORD, true)).expect("+OK\r\n").ping();
        refused(server, connect("alice", WRONG, false));
        refused(server, connect("bob", WRONG, false));
        refused(server, connect("nobody", WRONG, false));
        // A CONNECT that is not JSON, with the secret up front.
        ProtocolClient broken = open(server);
        broken.send("CONNECT {\"pass\":\"" + WRONG + "\",\"user\":alice\r\n");
        broken.expectClosed();

        server.broker().reload(ConfiguredServer.optionsFor("authorization {\n  users: [\n"
                + "    {user: alice, password: \"" + NEW_PASSWORD + "\"}\n  ]\n}\n"));
        open(server).send(connect("alice", NEW_PASSWORD, true)).expect("+OK\r\n").ping();

        assertCapturedWithoutSecrets(4);
    }

    @Test
    void anOversizedConnectDoesNotLogItsPassword() {
        ConfiguredServer server = start("authorization {\n  user: alice\n  password: \"" + PASSWORD + "\"\n}\n");
        ProtocolClient oversized = open(server);
        oversized.send("CONNECT {\"pass\":\"" + WRONG + "\",\"user\":\"alice\",\"name\":\"" + "n".repeat(5000)
                + "\"}\r\n");
        oversized.expect("-ERR 'maximum control line exceeded'\r\n");
        oversized.expectClosed();
        ProtocolClient split = open(server);
        split.send("CONNECT {\"user\":\"alice\",\"pass\":\"" + PASSWORD + "\"");
        split.send(",\"name\":\"" + "n".repeat(5000) + "\"}\r\n");
        split.expect("-ERR 'maximum control line exceeded'\r\n");
        split.expectClosed();
        assertCapturedWithoutSecrets(2);
    }

    @Test
    void tokenLoginsLogNoSecret() {
        ConfiguredServer server = start("authorization {\n  token: \"" + TOKEN + "\"\n  timeout: 1\n}\n");
        open(server).send("CONNECT {\"verbose\":true,\"auth_token\":\"" + TOKEN + "\"}\r\n").expect("+OK\r\n").ping();
        refused(server, "CONNECT {\"auth_token\":\"" + WRONG + "\"}\r\n");
        ProtocolClient silent = open(server).timeout(Duration.ofSeconds(4)).answerServerPings(false);
        silent.expect("-ERR 'Authentication Timeout'\r\n");
        silent.expectClosed();
        assertCapturedWithoutSecrets(2);
    }

    // ------------------------------------------------------------------ helpers

    /** Asserts after the {@code closes} refused clients' closes are logged (at DEBUG, from the event loop). */
    private void assertCapturedWithoutSecrets(int closes) {
        Await.until(Duration.ofSeconds(5), closes + " connection closes in the log",
                () -> records.stream().filter(r -> text(r).contains("connection closed")).count() >= closes);
        assertFalse(records.isEmpty(), "nothing was logged: the capture does not work");
        List<String> leaks = new ArrayList<>();
        for (LogRecord record : records) {
            String text = text(record);
            for (String secret : SECRETS) {
                // Even a part of a secret is a leak: look for its first 8 characters.
                if (text.contains(secret.substring(0, 8))) {
                    leaks.add(record.getLevel() + " " + record.getLoggerName() + ": " + text);
                }
            }
        }
        assertTrue(leaks.isEmpty(), "credentials in the log:\n" + String.join("\n", leaks));
    }

    /** Everything a log record can show: raw message, parameters, formatted message, exception. */
    private static String text(LogRecord record) {
        StringBuilder b = new StringBuilder();
        b.append(record.getMessage());
        if (record.getParameters() != null) {
            for (Object parameter : record.getParameters()) {
                b.append(" | ").append(parameter);
            }
        }
        b.append(" | ").append(new SimpleFormatter().formatMessage(record));
        for (Throwable t = record.getThrown(); t != null; t = t.getCause()) {
            b.append(" | ").append(t);
        }
        return b.toString();
    }

    private static String connect(String user, String password, boolean verbose) {
        return "CONNECT {\"verbose\":" + verbose + ",\"user\":\"" + user + "\",\"pass\":\"" + password + "\"}\r\n";
    }

    private void refused(ConfiguredServer server, String connect) {
        ProtocolClient client = open(server);
        client.send(connect).expect("-ERR 'Authorization Violation'\r\n");
        client.expectClosed();
    }

    private static String bcrypt(String password) {
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        return OpenBSDBCrypt.generate("2a", password.toCharArray(), salt, 10);
    }

    private ConfiguredServer start(String config) {
        ConfiguredServer server = ConfiguredServer.startNatsee(config);
        resources.push(server);
        return server;
    }

    private ProtocolClient open(ConfiguredServer server) {
        ProtocolClient client = ProtocolClient.openRaw(server.host(), server.port());
        resources.push(client);
        client.readInfo();
        return client;
    }
}
