package io.natsee.streaming.store.file;

import io.natsee.streaming.store.MsgStore;
import io.natsee.streaming.store.StoreLimits;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * A throughput measurement, not a test: N writers each append a batch of records to one channel
 * and call {@link FileStore#flush()}, with fsync on, for a fixed time; prints acknowledged
 * records per second and flush rounds per second for 16 B and 1 KiB payloads and 1, 8 and 64
 * writers.
 *
 * <p>Run (after {@code mvn -o -pl streaming-ejb/streaming-store test-compile}):
 * {@code java -cp target/classes:target/test-classes io.natsee.streaming.store.file.FileStoreThroughput
 * [seconds per case] [records per flush] [sync] [channel per writer]}. It uses a temporary directory and deletes it.
 */
public final class FileStoreThroughput {

    private FileStoreThroughput() {
    }

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 5;
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        boolean sync = args.length <= 2 || Boolean.parseBoolean(args[2]);
        boolean channelPerWriter = args.length > 3 && Boolean.parseBoolean(args[3]);
        System.out.printf("file store, sync %s, %d record(s) per flush per writer, %s, %.1f s per case%n", sync,
                batch, channelPerWriter ? "one channel per writer" : "one channel", seconds);
        System.out.printf("%8s %8s %14s %14s %12s%n", "payload", "writers", "records/s", "rounds/s", "per round");
        for (int payload : new int[] {16, 1024}) {
            for (int writers : new int[] {1, 8, 64}) {
                run(payload, writers, batch, sync, channelPerWriter, seconds);
            }
        }
        System.out.println("pipelined: one thread appends without pause, another flushes in a loop"
                + " (records/s = records covered by completed flushes)");
        for (int payload : new int[] {16, 1024}) {
            pipelined(payload, sync, seconds);
        }
    }

    private static void pipelined(int payloadSize, boolean sync, double seconds) throws Exception {
        Path directory = Files.createTempDirectory("natsee-file-bench");
        try {
            FileStore store = new FileStore(directory, StoreLimits.UNLIMITED, FileStoreOptions.DEFAULT.withSync(sync));
            MsgStore log = store.getOrCreateChannel("bench").messages();
            byte[] payload = new byte[payloadSize];
            AtomicBoolean running = new AtomicBoolean(true);
            Thread appender = new Thread(() -> {
                while (running.get()) {
                    for (int i = 0; i < 64; i++) {
                        log.append("", payload, System.nanoTime());
                    }
                    // Leave the store some air, as a server does between reads of its connection.
                    Thread.onSpinWait();
                }
            });
            appender.start();
            Thread.sleep(Math.max(200, (long) (seconds * 200)));
            long start = System.nanoTime();
            long startSequence = log.lastSequence();
            long rounds0 = store.flushRounds();
            store.flush();
            long acknowledged = startSequence;
            long deadline = start + (long) (seconds * 1e9);
            while (System.nanoTime() < deadline) {
                long covered = log.lastSequence();
                store.flush();
                acknowledged = covered;
            }
            double elapsed = (System.nanoTime() - start) / 1e9;
            long rounds = store.flushRounds() - rounds0;
            running.set(false);
            appender.join();
            store.close();
            double perSecond = (acknowledged - startSequence) / elapsed;
            System.out.printf("%8s %8s %14.0f %14.0f %12.1f%n", payloadSize == 1024 ? "1 KiB" : payloadSize + " B",
                    "1+1", perSecond, rounds / elapsed, (acknowledged - startSequence) / (double) Math.max(1, rounds));
        } finally {
            FileUtil.deleteTree(directory);
        }
    }

    private static void run(int payloadSize, int writers, int batch, boolean sync, boolean channelPerWriter,
                            double seconds)
            throws Exception {
        Path directory = Files.createTempDirectory("natsee-file-bench");
        try {
            FileStore store = new FileStore(directory, StoreLimits.UNLIMITED, FileStoreOptions.DEFAULT.withSync(sync));
            byte[] payload = new byte[payloadSize];
            AtomicBoolean running = new AtomicBoolean(true);
            AtomicBoolean measuring = new AtomicBoolean(false);
            LongAdder records = new LongAdder();
            List<Thread> threads = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                MsgStore log = store.getOrCreateChannel(channelPerWriter ? "bench." + w : "bench").messages();
                Thread thread = new Thread(() -> {
                    while (running.get()) {
                        for (int i = 0; i < batch; i++) {
                            log.append("", payload, System.nanoTime());
                        }
                        store.flush();
                        if (measuring.get()) {
                            records.add(batch);
                        }
                    }
                });
                thread.start();
                threads.add(thread);
            }
            Thread.sleep(Math.max(200, (long) (seconds * 200)));
            long rounds0 = store.flushRounds();
            long start = System.nanoTime();
            measuring.set(true);
            Thread.sleep((long) (seconds * 1000));
            measuring.set(false);
            double elapsed = (System.nanoTime() - start) / 1e9;
            long rounds = store.flushRounds() - rounds0;
            running.set(false);
            for (Thread thread : threads) {
                thread.join();
            }
            store.close();
            double perSecond = records.sum() / elapsed;
            System.out.printf("%8s %8d %14.0f %14.0f %12.1f%n", payloadSize == 1024 ? "1 KiB" : payloadSize + " B",
                    writers, perSecond, rounds / elapsed, rounds == 0 ? 0 : records.sum() / (double) rounds);
        } finally {
            FileUtil.deleteTree(directory);
        }
    }
}
