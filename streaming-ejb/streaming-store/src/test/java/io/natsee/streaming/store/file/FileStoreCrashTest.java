package io.natsee.streaming.store.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.natsee.streaming.store.MsgStore;
import io.natsee.streaming.store.RecoveredSubscription;
import io.natsee.streaming.store.StoreLimits;
import io.natsee.streaming.store.StoredMessage;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a child process ({@link CrashWriter}) that appends and flushes, with SIGKILL at a random
 * moment, then checks on reopening that everything it reported as flushed is there, once and in
 * order, and that the store takes writes again. {@value #DEFAULT_KILLS} kills by default; the
 * {@code crash-loop} Maven profile sets {@code natsee.crash.kills} for a long loop.
 */
class FileStoreCrashTest {

    private static final int DEFAULT_KILLS = 5;

    @TempDir
    Path temporary;

    /** What the children reported as flushed, over all runs. */
    private final Map<Long, String> flushedMessages = new HashMap<>();
    private final Map<Long, Boolean> flushedPending = new HashMap<>();

    @Test
    void everyFlushedRecordSurvivesKillMinusNine() throws Exception {
        int kills = Integer.getInteger("natsee.crash.kills", DEFAULT_KILLS);
        long seed = Long.getLong("natsee.crash.seed", System.nanoTime());
        Random random = new Random(seed);
        Path directory = temporary.resolve("crash-store");
        for (int run = 1; run <= kills; run++) {
            boolean sync = run % 2 == 1;
            int threads = 1 + random.nextInt(4);
            long killAfterMillis = 50 + random.nextInt(400);
            int lines = runAndKill(directory, run, threads, sync, killAfterMillis);
            String context = "run " + run + " (seed " + seed + ", " + threads + " threads, sync " + sync
                    + ", killed " + killAfterMillis + " ms after ready, " + lines + " lines)";
            verify(directory, run, context);
        }
        assertFalse(flushedMessages.isEmpty(), "the children flushed nothing");
        System.out.println("FileStoreCrashTest: " + kills + " kills (seed " + seed + "), " + flushedMessages.size()
                + " flushed messages and " + flushedPending.size() + " pending changes verified");
    }

    private int runAndKill(Path directory, int run, int threads, boolean sync, long killAfterMillis)
            throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx128m", "-XX:+UseSerialGC", "-cp",
                System.getProperty("java.class.path"), CrashWriter.class.getName(), directory.toString(),
                Integer.toString(run), Integer.toString(threads), Boolean.toString(sync));
        builder.redirectError(ProcessBuilder.Redirect.INHERIT);
        Process process = builder.start();
        CountDownLatch ready = new CountDownLatch(1);
        List<String> output = new ArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.equals("READY;")) {
                        ready.countDown();
                    } else {
                        output.add(line);
                    }
                }
            } catch (java.io.IOException e) {
                // The pipe breaks when the child dies.
            }
        }, "crash-reader");
        reader.start();
        try {
            assertTrue(ready.await(30, TimeUnit.SECONDS), "the child did not start");
            if (run == 1) {
                // While the child holds the store, this process cannot open it.
                io.natsee.streaming.store.StoreLockedException locked = assertThrows(
                        io.natsee.streaming.store.StoreLockedException.class,
                        () -> new FileStore(directory, StoreLimits.UNLIMITED));
                assertTrue(locked.getMessage().contains("another process (pid " + process.pid() + ")"),
                        locked.getMessage());
            }
            Thread.sleep(killAfterMillis);
        } finally {
            process.destroyForcibly();
            assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the child did not die");
            reader.join(10_000);
        }
        int complete = 0;
        for (String line : output) {
            if (!line.endsWith(";")) {
                continue; // cut by the kill while being printed
            }
            String[] fields = line.substring(0, line.length() - 1).split(" ");
            long sequence = Long.parseLong(fields[1]);
            if (fields[0].equals("M")) {
                String previous = flushedMessages.put(sequence, fields[2]);
                assertTrue(previous == null, "sequence " + sequence + " reported twice: " + previous + ", " + fields[2]);
            } else {
                flushedPending.put(sequence, Boolean.parseBoolean(fields[2]));
            }
            complete++;
        }
        return complete;
    }

    private void verify(Path directory, int run, String context) {
        try (FileStore store = new FileStore(directory, StoreLimits.UNLIMITED)) {
            MsgStore log = store.lookupChannel("crash").messages();
            long last = log.lastSequence();
            assertEquals(flushedMessages.isEmpty() ? 0 : 1, log.firstSequence(), context);
            for (Map.Entry<Long, String> flushed : flushedMessages.entrySet()) {
                assertTrue(flushed.getKey() <= last, context + ": flushed sequence " + flushed.getKey()
                        + " beyond the last recovered " + last);
            }
            // Every sequence is present once, with the data it was appended with, in order per writer.
            Map<String, Long> lastPerWriter = new HashMap<>();
            Set<String> seen = new HashSet<>();
            for (long sequence = 1; sequence <= last; sequence++) {
                StoredMessage message = log.lookup(sequence);
                assertNotNull(message, context + ": sequence " + sequence + " missing");
                String data = new String(message.data(), StandardCharsets.UTF_8);
                String id = data.substring(0, data.indexOf('|'));
                assertTrue(seen.add(id), context + ": " + id + " stored twice");
                String flushed = flushedMessages.get(sequence);
                if (flushed != null) {
                    assertEquals(flushed, id, context + ": sequence " + sequence);
                }
                String writer = id.substring(0, id.lastIndexOf(':'));
                long n = Long.parseLong(id.substring(id.lastIndexOf(':') + 1));
                Long before = lastPerWriter.put(writer, n);
                assertTrue(before == null || n == before + 1, context + ": " + id + " after " + writer + ":" + before);
            }
            RecoveredSubscription durable = store.recover().channels().get("crash").subscriptions().stream()
                    .filter(s -> s.record().durableName().equals("crash-durable")).findFirst().orElseThrow();
            Set<Long> pending = new HashSet<>();
            for (long sequence : durable.pending()) {
                pending.add(sequence);
            }
            for (Map.Entry<Long, Boolean> flushed : flushedPending.entrySet()) {
                assertEquals(!flushed.getValue(), pending.contains(flushed.getKey()),
                        context + ": pending state of sequence " + flushed.getKey());
                assertTrue(durable.record().lastSent() >= flushed.getKey(), context + ": last sent");
            }
            String verifyId = "verify:" + run + ":0";
            long next = log.append("", (verifyId + "|").getBytes(StandardCharsets.UTF_8), 1);
            assertEquals(last + 1, next, context);
            store.flush();
            // The verifier's own message takes a sequence; record it so the next run expects it.
            flushedMessages.put(next, verifyId);
        }
    }
}
