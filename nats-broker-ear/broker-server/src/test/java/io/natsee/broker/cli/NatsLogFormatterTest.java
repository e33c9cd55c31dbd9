package io.natsee.broker.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NatsLogFormatterTest {

    private static final Instant WHEN = Instant.parse("2026-11-28T09:21:55.234496789Z");

    @Test
    void linesLookLikeNatsServers() {
        NatsLogFormatter formatter = new NatsLogFormatter(3861, true, ZoneOffset.UTC);
        assertEquals("[3861] 2026/11/28 09:21:55.234496 [INF] Server is ready\n",
                formatter.format(Level.INFO, "Server is ready", WHEN));
        assertEquals("[3861] 2026/11/28 09:21:55.234496 [DBG] x\n", formatter.format(Level.FINE, "x", WHEN));
        assertEquals("[3861] 2026/11/28 09:21:55.234496 [TRC] x\n", formatter.format(Level.FINER, "x", WHEN));
        assertEquals("[3861] 2026/11/28 09:21:55.234496 [WRN] x\n", formatter.format(Level.WARNING, "x", WHEN));
        assertEquals("[3861] 2026/11/28 09:21:55.234496 [ERR] x\n", formatter.format(Level.SEVERE, "x", WHEN));
        assertEquals("[3861] 2026/11/28 09:21:55.234496 [FTL] x\n", formatter.format(NatsLogFormatter.FATAL, "x", WHEN));
    }

    @Test
    void timestampsCanBeSwitchedOff() {
        NatsLogFormatter formatter = new NatsLogFormatter(6323, false, ZoneOffset.UTC);
        assertEquals("[6323] [INF] Starting\n", formatter.format(Level.INFO, "Starting", WHEN));
    }

    @Test
    void levelTagsFollowSystemLoggerLevels() {
        assertEquals("[DBG]", NatsLogFormatter.tag(Level.CONFIG));
        assertEquals("[TRC]", NatsLogFormatter.tag(Level.FINEST));
    }

    @Test
    void parametersAreFormatted() {
        NatsLogFormatter formatter = new NatsLogFormatter(1, false, ZoneOffset.UTC);
        LogRecord record = new LogRecord(Level.INFO, "Listening for client connections on {0}:{1}");
        record.setParameters(new Object[] {"127.0.0.1", "4222"});
        assertEquals("[1] [INF] Listening for client connections on 127.0.0.1:4222\n", formatter.format(record));
    }

    @Test
    void debugAndTraceAreSwitchedOnSeparately() throws Exception {
        assertEquals(List.of("[INF] info", "[WRN] warning"), logged(false, false));
        assertEquals(List.of("[DBG] debug", "[INF] info", "[WRN] warning"), logged(true, false));
        assertEquals(List.of("[TRC] trace", "[INF] info", "[WRN] warning"), logged(false, true));
        assertEquals(List.of("[TRC] trace", "[DBG] debug", "[INF] info", "[WRN] warning"), logged(true, true));
    }

    @Test
    void otherLibrariesLogInfoAndAboveOnly() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ServerLog ignored = ServerLog.install(null, true, true, false, new PrintStream(bytes, true, StandardCharsets.UTF_8))) {
            System.Logger netty = System.getLogger("io.netty.test");
            netty.log(System.Logger.Level.DEBUG, "noise");
            netty.log(System.Logger.Level.INFO, "kept");
        }
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(text.endsWith("[INF] kept\n") && !text.contains("noise"), text);
    }

    @Test
    void logFileIsAppended(@TempDir Path directory) throws Exception {
        Path file = Files.writeString(directory.resolve("server.log"), "earlier\n");
        try (ServerLog ignored = ServerLog.install(file, false, false, true, System.err)) {
            System.getLogger("io.natsee.test").log(System.Logger.Level.INFO, "Server is ready");
        }
        List<String> lines = Files.readAllLines(file);
        assertEquals("earlier", lines.get(0));
        assertTrue(lines.get(1).matches("\\[\\d+] \\d{4}/\\d\\d/\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{6} \\[INF] Server is ready"), lines.get(1));
    }

    private static List<String> logged(boolean debug, boolean trace) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ServerLog ignored = ServerLog.install(null, debug, trace, false, new PrintStream(bytes, true, StandardCharsets.UTF_8))) {
            System.Logger logger = System.getLogger("io.natsee.broker.test");
            logger.log(System.Logger.Level.TRACE, "trace");
            logger.log(System.Logger.Level.DEBUG, "debug");
            logger.log(System.Logger.Level.INFO, "info");
            logger.log(System.Logger.Level.WARNING, "warning");
        }
        return bytes.toString(StandardCharsets.UTF_8).lines().map(line -> line.replaceFirst("^\\[\\d+] ", "")).toList();
    }
}
