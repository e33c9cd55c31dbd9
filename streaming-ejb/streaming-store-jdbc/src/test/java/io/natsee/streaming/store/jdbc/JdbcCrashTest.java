package io.natsee.streaming.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.natsee.streaming.store.MsgStore;
import io.natsee.streaming.store.RecoveredChannel;
import io.natsee.streaming.store.RecoveredSubscription;
import io.natsee.streaming.store.StoreLimits;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No loss after {@code kill -9}: a child JVM ({@link CrashWriter}) appends and flushes in a loop,
 * printing each flushed sequence; it is killed (SIGKILL, {@link Process#destroyForcibly()}) at a
 * random moment; the store reopened must hold every printed sequence once, in order, with its
 * payload, and the subscription's state must cover the last flush. {@code natsee.crash.rounds}
 * rounds per database (2 by default, many with {@code -Pcrash-loop}), all on the same database.
 */
class JdbcCrashTest {

    @TempDir
    static Path directory;

    private static PostgresTestDatabase postgres;

    @AfterAll
    static void dropDatabase() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
    }

    private static int rounds() {
        return Integer.getInteger("natsee.crash.rounds", 2);
    }

    @Test
    void h2InFileModeLosesNothingFlushedWhenKilled() throws Exception {
        JdbcStoreOptions options = JdbcStoreOptions.of(JdbcDialect.H2,
                "jdbc:h2:file:" + directory.resolve("crash").toAbsolutePath());
        crashLoop(options);
    }

    @Test
    void postgresLosesNothingFlushedWhenKilled() throws Exception {
        postgres = PostgresTestDatabase.create();
        crashLoop(JdbcStoreOptions.of(JdbcDialect.POSTGRES, postgres.url())
                .withCredentials(postgres.user(), postgres.password()));
    }

    private void crashLoop(JdbcStoreOptions options) throws Exception {
        Map<Long, String> written = new java.util.HashMap<>();
        long highestPrinted = 0;
        for (int round = 1; round <= rounds(); round++) {
            String tag = "r" + round;
            List<Long> printed = runAndKill(options, tag);
            assertTrue(printed.size() > 0, "round " + round + ": the child flushed nothing before it was killed");
            for (int i = 0; i < printed.size(); i++) {
                long sequence = printed.get(i);
                assertEquals(highestPrinted + 1, sequence, "round " + round + ": printed sequences out of order");
                highestPrinted = sequence;
                written.put(sequence, tag);
            }
            try (JdbcStore store = new JdbcStore(JdbcDataSources.create(options), options, StoreLimits.UNLIMITED)) {
                RecoveredChannel channel = store.recover().channels().get("crash");
                assertNotNull(channel, "round " + round + ": the channel is gone");
                MsgStore log = channel.channel().messages();
                assertTrue(log.lastSequence() >= highestPrinted, "round " + round + ": last sequence "
                        + log.lastSequence() + " is below the last flushed " + highestPrinted);
                assertEquals(1, log.firstSequence());
                assertEquals(log.lastSequence(), log.state().messages(), "round " + round + ": a gap or a duplicate");
                for (Map.Entry<Long, String> entry : written.entrySet()) {
                    assertArrayEquals(CrashWriter.payload(entry.getValue(), entry.getKey()),
                            log.lookup(entry.getKey()).data(), "round " + round + ": message " + entry.getKey());
                }
                // Sequences stored after the last print (flushed but killed before printing) belong to this round.
                for (long sequence = highestPrinted + 1; sequence <= log.lastSequence(); sequence++) {
                    assertArrayEquals(CrashWriter.payload(tag, sequence), log.lookup(sequence).data());
                    written.put(sequence, tag);
                }
                highestPrinted = log.lastSequence();
                RecoveredSubscription subscription = channel.subscriptions().get(0);
                assertTrue(subscription.record().lastSent() >= printed.get(printed.size() - 1),
                        "round " + round + ": last sent " + subscription.record().lastSent());
                long[] pending = subscription.pending();
                assertTrue(pending.length >= 1 && pending.length <= 2, "round " + round + ": pending "
                        + java.util.Arrays.toString(pending));
            }
        }
    }

    /** Starts the child, kills it at a random moment after its first flush, returns the sequences it printed. */
    private static List<Long> runAndKill(JdbcStoreOptions options, String tag) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx128m", "-cp", System.getProperty("java.class.path"),
                CrashWriter.class.getName(), options.driver().driverName(), options.source(),
                options.user() == null ? "" : options.user(), options.password() == null ? "" : options.password(), tag);
        builder.redirectErrorStream(true);
        Process child = builder.start();
        List<Long> printed = new ArrayList<>();
        List<String> other = new ArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(
                    new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    synchronized (printed) {
                        if (line.startsWith("FLUSHED ")) {
                            printed.add(Long.parseLong(line.substring(8)));
                        } else if (!line.startsWith("READY")) {
                            other.add(line);
                        }
                        printed.notifyAll();
                    }
                }
            } catch (java.io.IOException e) {
                // The child was killed: its output ends here.
            }
        }, "crash-child-output");
        reader.setDaemon(true);
        reader.start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            synchronized (printed) {
                while (printed.isEmpty() && child.isAlive() && System.nanoTime() < deadline) {
                    printed.wait(100);
                }
                if (printed.isEmpty()) {
                    fail("the child never flushed: " + other);
                }
            }
            Thread.sleep(ThreadLocalRandom.current().nextLong(100, 1500));
        } finally {
            child.destroyForcibly();
            assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the killed child did not exit");
        }
        reader.join(TimeUnit.SECONDS.toMillis(10));
        synchronized (printed) {
            return new ArrayList<>(printed);
        }
    }
}
