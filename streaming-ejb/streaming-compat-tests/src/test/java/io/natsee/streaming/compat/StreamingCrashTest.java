package io.natsee.streaming.compat;

import io.nats.streaming.Message;
import io.nats.streaming.NatsStreaming;
import io.nats.streaming.Options;
import io.nats.streaming.StreamingConnection;
import io.nats.streaming.Subscription;
import io.nats.streaming.SubscriptionOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The crash test: a real streaming server process on the file store ({@code -st FILE --dir}, fsync on) is killed
 * with SIGKILL at random moments while a Java streaming client publishes asynchronously with acks; it is started
 * again on the same directory each time. At the end every acknowledged message must be in the channel exactly
 * once, in publish order, under gap-free sequences from 1 (messages stored but not acknowledged before the kill
 * may be there too, once each, in order). The channel has no limits ({@code -mm 0 -mb 0}), so that nothing is
 * dropped for the channel's message count or size.
 *
 * <p>Bounded in time: {@code natsee.crash.seconds} (default 45) limits when a new round may start, at most
 * {@code natsee.crash.rounds} rounds (default 8); the {@code crash-loop} profile runs it for 10 minutes. The seed
 * of the random kill moments is printed and can be replayed with {@code natsee.crash.seed}.
 */
class StreamingCrashTest {
    static final String CLUSTER = "crash-cluster";
    static final String CHANNEL = "crash.orders";

    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedPublishSurvivesKillNineExactlyOnceInOrder() throws Exception {
        long seconds = Long.getLong("natsee.crash.seconds", 45);
        int maxRounds = Integer.getInteger("natsee.crash.rounds", 8);
        long seed = Long.getLong("natsee.crash.seed", System.nanoTime());
        System.out.println("StreamingCrashTest seed " + seed + ", " + seconds + " s, at most " + maxRounds + " rounds");
        Random random = new Random(seed);
        int port = ServerProcess.freePort();
        int http = ServerProcess.freePort();
        String[] args = {"-a", "127.0.0.1", "-p", String.valueOf(port), "-m", String.valueOf(http), "-cid", CLUSTER,
                "-st", "FILE", "--dir", dir.toString(), "--file_sync=true",
                // No channel limits: with the default 1,000,000 messages a fast run drops the oldest, as it should.
                "-mm", "0", "-mb", "0"};
        String url = "nats://127.0.0.1:" + port;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        List<Long> acknowledged = new ArrayList<>();
        int rounds = 0;
        while (rounds < maxRounds && (rounds == 0 || System.nanoTime() < deadline)) {
            rounds++;
            ServerProcess server = ServerProcess.streaming(args);
            long killAfterMillis = random.nextInt(1500);
            acknowledged.addAll(publishUntilKilled(server, url, rounds, killAfterMillis));
        }
        try (ServerProcess server = ServerProcess.streaming(args)) {
            long last = new Monitor(http).get("/streaming/channelsz?channel=" + CHANNEL).number("last_seq");
            List<Long> stored = readAll(url, last);
            check(acknowledged, stored);
            System.out.println("StreamingCrashTest: " + rounds + " kills, " + acknowledged.size() + " acknowledged, "
                    + stored.size() + " stored");
        }
    }

    /**
     * Publishes ids {@code round << 32 | n} with acks until the server is killed after {@code killAfterMillis};
     * returns the acknowledged ids in publish order.
     */
    private static List<Long> publishUntilKilled(ServerProcess server, String url, int round, long killAfterMillis)
            throws Exception {
        ConcurrentLinkedQueue<Long> acked = new ConcurrentLinkedQueue<>();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong published = new AtomicLong();
        StreamingConnection connection = NatsStreaming.connect(CLUSTER, "crash-" + round, new Options.Builder()
                .natsUrl(url).connectWait(Duration.ofSeconds(10)).pubAckWait(Duration.ofSeconds(5)).build());
        CountDownLatch started = new CountDownLatch(1);
        Thread publisher = new Thread(() -> {
            long n = 0;
            try {
                while (!stop.get()) {
                    long id = ((long) round << 32) | n++;
                    connection.publish(CHANNEL, ByteBuffer.allocate(8).putLong(id).array(), (guid, error) -> {
                        if (error == null) {
                            acked.add(id);
                        }
                    });
                    published.incrementAndGet();
                    started.countDown();
                }
            } catch (Exception e) {
                // The connection failed with the server: publishing ends here.
            } finally {
                started.countDown();
            }
        }, "crash-publisher");
        publisher.setDaemon(true);
        publisher.start();
        started.await(10, TimeUnit.SECONDS);
        Thread.sleep(killAfterMillis);
        server.kill();
        stop.set(true);
        publisher.join(10_000);
        // Closing the NATS connection drops what it buffered, so nothing of this round is sent after the restart.
        connection.getNatsConnection().close();
        List<Long> ids = new ArrayList<>(acked);
        ids.sort(null); // acks may be handled out of order; the publish order is the id order
        System.out.println("round " + round + ": killed after " + killAfterMillis + " ms, " + published.get()
                + " published, " + ids.size() + " acknowledged");
        return ids;
    }

    /** Every message of the channel, by deliverAllAvailable; checks that the sequences run 1..last. */
    private static List<Long> readAll(String url, long last) throws Exception {
        List<Long> ids = new ArrayList<>();
        AtomicLong expected = new AtomicLong(1);
        ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
        CountDownLatch done = new CountDownLatch(last == 0 ? 0 : 1);
        try (StreamingConnection connection = NatsStreaming.connect(CLUSTER, "crash-reader", new Options.Builder()
                .natsUrl(url).connectWait(Duration.ofSeconds(10)).build())) {
            Subscription subscription = connection.subscribe(CHANNEL, (Message message) -> {
                if (message.getSequence() != expected.getAndIncrement()) {
                    problems.add("sequence " + message.getSequence() + " where " + (expected.get() - 1)
                            + " was expected");
                }
                synchronized (ids) {
                    ids.add(ByteBuffer.wrap(message.getData()).getLong());
                }
                if (message.getSequence() == last) {
                    done.countDown();
                }
            }, new SubscriptionOptions.Builder().deliverAllAvailable().maxInFlight(8192).build());
            assertTrue(done.await(120, TimeUnit.SECONDS), "read " + ids.size() + " of " + last);
            subscription.unsubscribe();
        }
        assertTrue(problems.isEmpty(), "gap-free sequences from 1: " + problems.stream().limit(5).toList());
        synchronized (ids) {
            return new ArrayList<>(ids);
        }
    }

    private static void check(List<Long> acknowledged, List<Long> stored) {
        Set<Long> seen = new HashSet<>();
        long previous = -1;
        for (long id : stored) {
            if (!seen.add(id)) {
                fail("stored twice: round " + (id >>> 32) + " message " + (id & 0xFFFFFFFFL));
            }
            if (id <= previous) {
                fail("out of publish order: " + describe(id) + " after " + describe(previous));
            }
            previous = id;
        }
        List<Long> missing = new ArrayList<>();
        for (long id : acknowledged) {
            if (!seen.contains(id)) {
                missing.add(id);
            }
        }
        assertEquals(List.of(), missing.stream().limit(10).map(StreamingCrashTest::describe).toList(),
                missing.size() + " acknowledged messages lost");
        assertTrue(acknowledged.size() > 0, "the client got acknowledgements at all");
    }

    private static String describe(long id) {
        return "round " + (id >>> 32) + " message " + (id & 0xFFFFFFFFL);
    }
}
