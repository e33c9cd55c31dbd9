package io.natsee.streaming.store.jdbc;

import io.natsee.streaming.store.MsgStore;
import io.natsee.streaming.store.StoreLimits;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * Appends+flush per second with a 16-byte payload: each writer thread appends one message and
 * calls {@code flush()} (what the server does per publish before its PubAck), with 1, 8 and 64
 * writers, on H2 (file mode, temp dir) and PostgreSQL (a throw-away database, see
 * {@link PostgresTestDatabase}). Run through {@code -Pbench} (see the module's pom); arguments
 * {@code seconds=N}, {@code writers=1,8,64}, {@code databases=h2,postgres}.
 */
public final class JdbcStoreBenchmark {

    private JdbcStoreBenchmark() {
    }

    public static void main(String[] arguments) throws Exception {
        int seconds = 5;
        List<Integer> writerCounts = List.of(1, 8, 64);
        List<String> databases = List.of("h2", "postgres");
        for (String argument : arguments) {
            String[] pair = argument.split("=", 2);
            switch (pair[0]) {
                case "seconds" -> seconds = Integer.parseInt(pair[1]);
                case "writers" -> writerCounts = java.util.Arrays.stream(pair[1].split(",")).map(Integer::valueOf).toList();
                case "databases" -> databases = List.of(pair[1].split(","));
                default -> throw new IllegalArgumentException("unknown argument " + argument);
            }
        }
        System.out.printf("%-9s %8s %14s %12s %16s%n", "database", "writers", "appends+flush/s", "commits/s",
                "appends/commit");
        for (String database : databases) {
            for (int writers : writerCounts) {
                if (database.equals("h2")) {
                    Path directory = Files.createTempDirectory("natsee-jdbc-bench");
                    run("h2", JdbcStoreOptions.of(JdbcDialect.H2, "jdbc:h2:file:" + directory.resolve("bench")),
                            writers, seconds);
                } else {
                    try (PostgresTestDatabase postgres = PostgresTestDatabase.create()) {
                        run("postgres", JdbcStoreOptions.of(JdbcDialect.POSTGRES, postgres.url())
                                .withCredentials(postgres.user(), postgres.password()), writers, seconds);
                    }
                }
            }
        }
    }

    private static void run(String name, JdbcStoreOptions options, int writers, int seconds) throws Exception {
        try (JdbcStore store = new JdbcStore(JdbcDataSources.create(options), options, StoreLimits.UNLIMITED)) {
            MsgStore log = store.getOrCreateChannel("bench").messages();
            byte[] payload = new byte[16];
            LongAdder done = new LongAdder();
            AtomicBoolean measuring = new AtomicBoolean();
            AtomicBoolean stop = new AtomicBoolean();
            CountDownLatch finished = new CountDownLatch(writers);
            List<Thread> threads = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                Thread thread = new Thread(() -> {
                    try {
                        while (!stop.get()) {
                            log.append("", payload, System.nanoTime());
                            store.flush();
                            if (measuring.get()) {
                                done.increment();
                            }
                        }
                    } finally {
                        finished.countDown();
                    }
                }, "bench-writer-" + w);
                thread.setDaemon(true);
                threads.add(thread);
                thread.start();
            }
            Thread.sleep(1000);
            long commitsBefore = store.commits();
            long start = System.nanoTime();
            measuring.set(true);
            Thread.sleep(seconds * 1000L);
            measuring.set(false);
            double elapsed = (System.nanoTime() - start) / 1e9;
            long commits = store.commits() - commitsBefore;
            stop.set(true);
            finished.await();
            double rate = done.sum() / elapsed;
            System.out.printf("%-9s %8d %14.0f %12.0f %16.1f%n", name, writers, rate, commits / elapsed,
                    commits == 0 ? 0 : done.sum() / (double) commits);
        }
    }
}
