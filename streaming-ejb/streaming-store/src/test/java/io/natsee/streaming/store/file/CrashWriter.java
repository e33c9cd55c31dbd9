package io.natsee.streaming.store.file;

import io.natsee.streaming.store.Channel;
import io.natsee.streaming.store.MsgStore;
import io.natsee.streaming.store.StoreLimits;
import io.natsee.streaming.store.SubStore;
import io.natsee.streaming.store.SubscriptionRecord;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The child process of {@link FileStoreCrashTest}: appends and flushes in a loop until it is
 * killed, and prints each change only after the flush that covers it returned.
 *
 * <p>Arguments: store directory, run number, writer threads, sync (true/false). Output lines,
 * each ending in {@code ;}: {@code M <sequence> <run>:<thread>:<n>;} for a flushed message and
 * {@code P <sequence> <acked>;} for a flushed pending (or pending then acked) sequence of the
 * subscription named {@code crash-durable}.
 */
public final class CrashWriter {

    private static final long MAX_LIFETIME_MILLIS = 60_000;

    private CrashWriter() {
    }

    public static void main(String[] args) throws Exception {
        Path directory = Path.of(args[0]);
        int run = Integer.parseInt(args[1]);
        int threads = Integer.parseInt(args[2]);
        boolean sync = Boolean.parseBoolean(args[3]);
        FileStoreOptions options = FileStoreOptions.DEFAULT.withSync(sync)
                .withSlice(0, 64 * 1024, Duration.ZERO)
                .withCompaction(true, 50, Duration.ZERO, 4 * 1024);
        FileStore store = new FileStore(directory, StoreLimits.UNLIMITED, options);
        Channel channel = store.getOrCreateChannel("crash");
        MsgStore log = channel.messages();
        SubStore subscriptions = channel.subscriptions();
        long durable = store.recover().channels().containsKey("crash")
                ? store.recover().channels().get("crash").subscriptions().stream()
                        .filter(s -> s.record().durableName().equals("crash-durable"))
                        .mapToLong(s -> s.record().id()).findFirst().orElse(0)
                : 0;
        if (durable == 0) {
            durable = subscriptions.create(new SubscriptionRecord(0, "crash", "", "inbox", "ack", 100, 30,
                    "crash-durable", 0, true, false, null)).id();
            store.flush();
        }
        long subscriptionId = durable;
        System.out.println("READY;");
        System.out.flush();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            Thread writer = new Thread(() -> {
                long n = 0;
                StringBuilder line = new StringBuilder();
                while (true) {
                    int batch = 1 + (int) (n % 7);
                    line.setLength(0);
                    for (int i = 0; i < batch; i++, n++) {
                        String data = run + ":" + thread + ":" + n;
                        byte[] payload = (data + "|" + "x".repeat((int) (n % 50))).getBytes(StandardCharsets.UTF_8);
                        long sequence = log.append("", payload, System.currentTimeMillis() * 1_000_000L);
                        line.append("M ").append(sequence).append(' ').append(data).append(";\n");
                        if (thread == 0) {
                            subscriptions.addPending(subscriptionId, sequence);
                            boolean acked = sequence % 3 != 0;
                            if (acked) {
                                subscriptions.ack(subscriptionId, sequence);
                            }
                            line.append("P ").append(sequence).append(' ').append(acked).append(";\n");
                        }
                    }
                    store.flush();
                    synchronized (System.out) {
                        System.out.print(line);
                        System.out.flush();
                    }
                }
            }, "crash-writer-" + t);
            writer.start();
        }
        // Bounded on its own: stops when the test's end of the pipe closes or after a minute.
        Thread watchdog = new Thread(() -> {
            try {
                while (System.in.read() >= 0) {
                    // Nothing is sent; EOF means the parent is gone.
                }
            } catch (java.io.IOException e) {
                // Treated as EOF.
            }
            Runtime.getRuntime().halt(3);
        }, "crash-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        Thread.sleep(MAX_LIFETIME_MILLIS);
        Runtime.getRuntime().halt(2);
    }
}
