package io.natsee.streaming.compat.bench;

import io.nats.streaming.AckHandler;
import io.nats.streaming.NatsStreaming;
import io.nats.streaming.Options;
import io.nats.streaming.StreamingConnection;
import io.nats.streaming.Subscription;
import io.nats.streaming.SubscriptionOptions;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The streaming benchmark's client (run by {@code bench/streaming-bench.sh}): the Java streaming client 2.2.3
 * publishing with acknowledgements against a streaming server. Prints one {@code key=value} line per figure.
 *
 * <p>Arguments: {@code --url nats://host:port --cluster ID [--count 200000] [--warmup 2000] [--runs 3]
 * [--sync 2000] [--phases async,sync,deliver]}. Phases: {@code async} (16 B and 1 KiB, the median of the runs,
 * each run the messages divided by the time until the last ack), {@code sync} (blocking publishes one at a time:
 * the mean round trip), {@code deliver} (a new durable subscriber receiving every stored 16-byte message, with
 * the client's automatic acks).
 */
public final class StreamingBench {

    private StreamingBench() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new java.util.HashMap<>(Map.of("count", "200000", "warmup", "2000",
                "runs", "3", "sync", "2000", "phases", "async,sync,deliver"));
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        String url = required(options, "url");
        String cluster = required(options, "cluster");
        int count = Integer.parseInt(options.get("count"));
        int runs = Integer.parseInt(options.get("runs"));
        List<String> phases = List.of(options.get("phases").split(","));
        try (StreamingConnection connection = NatsStreaming.connect(cluster, "bench-" + ProcessHandle.current().pid(),
                new Options.Builder().natsUrl(url).connectWait(Duration.ofSeconds(10))
                        .pubAckWait(Duration.ofSeconds(60)).build())) {
            publishAsync(connection, "bench.warmup", Integer.parseInt(options.get("warmup")), 16);
            if (phases.contains("async")) {
                for (int size : new int[] {16, 1024}) {
                    List<Double> rates = new ArrayList<>();
                    for (int run = 0; run < runs; run++) {
                        rates.add(publishAsync(connection, "bench.async" + size, count, size));
                    }
                    List<Double> sorted = new ArrayList<>(rates);
                    Collections.sort(sorted);
                    System.out.printf("async_%d_runs=%s%n", size, rates.stream()
                            .map(rate -> String.valueOf(Math.round(rate))).toList());
                    System.out.printf("async_%d=%d%n", size, Math.round(sorted.get(sorted.size() / 2)));
                }
            }
            if (phases.contains("sync")) {
                int syncCount = Integer.parseInt(options.get("sync"));
                byte[] payload = new byte[16];
                for (int i = 0; i < 100; i++) {
                    connection.publish("bench.sync", payload);
                }
                long start = System.nanoTime();
                for (int i = 0; i < syncCount; i++) {
                    connection.publish("bench.sync", payload);
                }
                long micros = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - start) / syncCount;
                System.out.printf("sync_round_trip_us=%d%n", micros);
                System.out.printf("sync_per_second=%d%n", micros == 0 ? 0 : 1_000_000 / micros);
            }
            if (phases.contains("deliver")) {
                String channel = "bench.deliver";
                publishAsync(connection, channel, count, 16);
                CountDownLatch all = new CountDownLatch(count);
                AtomicInteger received = new AtomicInteger();
                long start = System.nanoTime();
                Subscription durable = connection.subscribe(channel, message -> {
                    received.incrementAndGet();
                    all.countDown();
                }, new SubscriptionOptions.Builder().durableName("bench").deliverAllAvailable().build());
                if (!all.await(120, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("delivered only " + received.get() + " of " + count);
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                System.out.printf("deliver_durable=%d%n", Math.round(count / seconds));
                durable.unsubscribe();
            }
        }
    }

    /** Publishes {@code count} messages asynchronously; returns messages per second until the last ack. */
    static double publishAsync(StreamingConnection connection, String channel, int count, int size)
            throws Exception {
        byte[] payload = new byte[size];
        CountDownLatch acked = new CountDownLatch(count);
        AtomicReference<Exception> failure = new AtomicReference<>();
        AckHandler handler = (guid, error) -> {
            if (error != null) {
                failure.compareAndSet(null, error);
            }
            acked.countDown();
        };
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            connection.publish(channel, payload, handler);
        }
        if (!acked.await(120, TimeUnit.SECONDS)) {
            throw new IllegalStateException("acks missing: " + acked.getCount() + " of " + count);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (failure.get() != null) {
            throw new IllegalStateException("a publish failed", failure.get());
        }
        return count / seconds;
    }

    private static String required(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return value;
    }
}
