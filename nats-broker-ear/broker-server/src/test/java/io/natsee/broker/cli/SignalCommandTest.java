package io.natsee.broker.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@code --signal}: parsing, finding the process and sending, with nats-server 2.9.10's texts. */
class SignalCommandTest {

    private static final List<Long> NONE = List.of();

    /** Something that may throw a {@link SignalCommand.SignalException}. */
    private interface Call {
        void run() throws Exception;
    }

    private static String error(Call call) {
        return assertThrows(SignalCommand.SignalException.class, call::run).getMessage();
    }

    @ParameterizedTest
    @CsvSource({"reload, HUP", "quit, INT", "term, TERM", "stop, KILL", "reopen, USR1", "ldm, USR2"})
    void mapsCommandsToNatsServerSignals(String command, String signal) throws Exception {
        assertEquals(signal, SignalCommand.signalName(command));
    }

    @Test
    void refusesUnknownSignals() {
        assertEquals("unknown signal \"foo\"", error(() -> SignalCommand.signalName("foo")));
    }

    @Test
    void refusesMoreThanOnePid() {
        assertEquals("invalid signal parameters: [2]", error(() -> SignalCommand.parse("reload=1=2")));
        assertEquals("invalid signal parameters: [2 3]", error(() -> SignalCommand.parse("reload=1=2=3")));
    }

    @Test
    void resolvesAGivenPid() throws Exception {
        assertEquals(42, SignalCommand.parse("reload=42").resolvePid(null, () -> fail("no search")));
        assertEquals("invalid pid: abc", error(() -> SignalCommand.parse("reload=abc").resolvePid(null, () -> NONE)));
        assertEquals("invalid pid: -3", error(() -> SignalCommand.parse("reload=-3").resolvePid(null, () -> NONE)));
    }

    @Test
    void readsAPidFileGivenAfterTheEqualsSign(@TempDir Path directory) throws Exception {
        Path pidFile = Files.writeString(directory.resolve("server.pid"), "4711\n");
        assertEquals(4711, SignalCommand.parse("quit=" + pidFile).resolvePid(null, () -> NONE));
    }

    @Test
    void withoutPidUsesTheCommandLinePidFileThenTheOneRunningServer(@TempDir Path directory) throws Exception {
        Path pidFile = Files.writeString(directory.resolve("server.pid"), "4712");
        SignalCommand reload = SignalCommand.parse("reload");
        assertEquals(4712, reload.resolvePid(pidFile, () -> NONE));
        assertEquals(77, reload.resolvePid(directory.resolve("absent.pid"), () -> List.of(77L)));
        assertEquals(78, reload.resolvePid(null, () -> List.of(78L)));
        assertEquals("no natsee-server processes running", error(() -> reload.resolvePid(null, () -> NONE)));
        assertEquals("multiple natsee-server processes running:\n5\n6",
                error(() -> reload.resolvePid(null, () -> List.of(5L, 6L))));
    }

    @Test
    void aProcessThatIsGoneIsNoSuchProcess() throws Exception {
        Process process = new ProcessBuilder("true").start();
        assertTrue(process.waitFor(10, TimeUnit.SECONDS));
        long pid = process.pid();
        assertEquals("no such process", error(() -> SignalCommand.parse("reload=" + pid).send(null)));
    }

    @Test
    void sendsTheSignal() throws Exception {
        assumeTrue(!System.getProperty("os.name", "").toLowerCase().startsWith("windows"), "Unix signals");
        // sleep dies of SIGINT (quit); its exit status tells which signal arrived.
        Process sleeper = new ProcessBuilder("sleep", "60").start();
        try {
            SignalCommand.parse("quit=" + sleeper.pid()).send(null);
            assertTrue(sleeper.waitFor(10, TimeUnit.SECONDS), "signalled process ended");
            assertEquals(128 + 2, sleeper.exitValue(), "SIGINT");
        } finally {
            sleeper.destroyForcibly();
        }
        Process hungUp = new ProcessBuilder("sleep", "60").start();
        try {
            SignalCommand.parse("reload=" + hungUp.pid()).send(null);
            assertTrue(hungUp.waitFor(10, TimeUnit.SECONDS));
            assertEquals(128 + 1, hungUp.exitValue(), "SIGHUP");
        } finally {
            hungUp.destroyForcibly();
        }
    }

    @Test
    void theProcessSearchNeverFindsThisProcess() {
        assertFalse(SignalCommand.runningServers().contains(ProcessHandle.current().pid()));
    }
}
