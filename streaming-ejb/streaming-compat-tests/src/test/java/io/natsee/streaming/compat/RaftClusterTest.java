package io.natsee.streaming.compat;

import io.nats.streaming.Message;
import io.nats.streaming.NatsStreaming;
import io.nats.streaming.Options;
import io.nats.streaming.StreamingConnection;
import io.nats.streaming.SubscriptionOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Clustered mode: three streaming server processes ({@code --clustered}, file stores, Raft over loopback) share one
 * NATS server (the reference nats-server). A Java streaming client publishes with acks while a durable subscriber
 * consumes; the leader is killed with SIGKILL at a random moment, a new leader takes over, the killed node is
 * started again on its directories and catches up. Every acknowledged message must reach the durable subscriber
 * (redeliveries allowed) under gap-free sequences, and a node that was down and restarted must at some point lead
 * with the complete state.
 *
 * <p>Bounded: {@code natsee.raft.rounds} kill rounds (default 2; the {@code raft-kill-loop} profile runs 30). The
 * seed of the kill moments is printed and can be replayed with {@code natsee.raft.seed}. Failover times (kill to the
 * first acknowledged publish after it) are printed.
 */
class RaftClusterTest {
    static final String CLUSTER = "raft-cluster";
    static final String CHANNEL = "raft.orders";
    static final String[] NODES = {"a", "b", "c"};

    @TempDir
    Path dir;

    private ServerProcess nats;
    private final Map<String, ServerProcess> nodes = new ConcurrentHashMap<>();
    private String[] peers;
    private int natsPort;

    @AfterEach
    void stopAll() throws InterruptedException {
        for (ServerProcess node : nodes.values()) {
            node.kill();
        }
        if (nats != null) {
            nats.close();
        }
    }

    @Test
    void acknowledgedPublishesSurviveLeaderKillsAndRestartedNodesCatchUp() throws Exception {
        int rounds = Integer.getInteger("natsee.raft.rounds", 2);
        long seed = Long.getLong("natsee.raft.seed", System.nanoTime());
        System.out.println("RaftClusterTest seed " + seed + ", " + rounds + " kill rounds");
        Random random = new Random(seed);
        natsPort = ServerProcess.freePort();
        nats = ServerProcess.natsServer(natsPort);
        Assumptions.assumeTrue(nats != null, "the reference nats-server is not installed");
        String url = "nats://127.0.0.1:" + natsPort;
        StringBuilder list = new StringBuilder();
        for (String node : NODES) {
            list.append(list.length() == 0 ? "" : ",").append(node).append("@127.0.0.1:").append(ServerProcess.freePort());
        }
        peers = new String[] {list.toString()};
        List<ServerProcess> starting = new ArrayList<>();
        for (String node : NODES) {
            ServerProcess process = ServerProcess.startStreaming(args(node));
            nodes.put(node, process);
            starting.add(process);
        }
        for (ServerProcess process : starting) {
            process.awaitReady();
        }
        String leader = awaitLeader(null, 30);

        ConcurrentLinkedQueue<Long> acked = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Long> ackTimes = new ConcurrentLinkedQueue<>();
        Set<Long> delivered = ConcurrentHashMap.newKeySet();
        Set<Long> sequences = new java.util.concurrent.ConcurrentSkipListSet<>();
        Options clientOptions = new Options.Builder().natsUrl(url).connectWait(Duration.ofSeconds(10))
                .pubAckWait(Duration.ofSeconds(2)).maxPubAcksInFlight(512).build();
        try (StreamingConnection subscriberConnection = NatsStreaming.connect(CLUSTER, "raft-sub", clientOptions);
             StreamingConnection publisherConnection = NatsStreaming.connect(CLUSTER, "raft-pub", clientOptions)) {
            subscriberConnection.subscribe(CHANNEL, (Message message) -> {
                delivered.add(ByteBuffer.wrap(message.getData()).getLong());
                sequences.add(message.getSequence());
                try {
                    message.ack();
                } catch (java.io.IOException e) {
                    // the ack is lost with the connection; the message comes again
                }
            }, new SubscriptionOptions.Builder().durableName("orders").deliverAllAvailable().manualAcks()
                    .ackWait(Duration.ofSeconds(2)).maxInFlight(1024).build());
            AtomicBoolean stop = new AtomicBoolean();
            Thread publisher = publisher(publisherConnection, stop, acked, ackTimes);
            Set<String> restarted = new TreeSet<>();
            boolean restartedNodeLed = false;
            List<Long> failovers = new ArrayList<>();
            for (int round = 1; round <= rounds || (!restartedNodeLed && round <= rounds + 6); round++) {
                awaitAcks(acked, acked.size() + 200, 30);
                Thread.sleep(random.nextInt(800));
                long killedAt = System.nanoTime();
                nodes.get(leader).kill();
                String previous = leader;
                leader = awaitLeader(previous, 30);
                long firstAck = awaitAckAfter(ackTimes, killedAt, 30);
                failovers.add(TimeUnit.NANOSECONDS.toMillis(firstAck - killedAt));
                if (restarted.contains(leader)) {
                    restartedNodeLed = true;
                }
                System.out.println("round " + round + ": killed leader " + previous + ", new leader " + leader
                        + ", first acknowledged publish " + failovers.get(failovers.size() - 1) + " ms after the kill, "
                        + acked.size() + " acknowledged so far");
                ServerProcess again = ServerProcess.startStreaming(args(previous));
                nodes.put(previous, again);
                again.awaitReady();
                restarted.add(previous);
            }
            awaitAcks(acked, acked.size() + 200, 30);
            stop.set(true);
            publisher.join(10_000);
            // The acks of the last publishes, then every acknowledged message at the subscriber.
            Thread.sleep(2500);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!delivered.containsAll(acked) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            List<Long> missing = acked.stream().filter(id -> !delivered.contains(id)).sorted().limit(10).toList();
            assertEquals(List.of(), missing, "acknowledged messages never delivered (of " + acked.size() + ")");
            long last = sequences.isEmpty() ? 0 : ((java.util.concurrent.ConcurrentSkipListSet<Long>) sequences).last();
            assertEquals(last, sequences.size(), "delivered sequences run 1.." + last + " without gaps");
            assertTrue(restartedNodeLed, "a node that was killed and restarted led the cluster later");
            System.out.println("RaftClusterTest: " + acked.size() + " acknowledged, " + delivered.size()
                    + " distinct delivered, last sequence " + last + ", failover ms " + failovers);
        }
    }

    private String[] args(String node) {
        return new String[] {"-cid", CLUSTER, "-st", "FILE", "--dir", dir.resolve(node + "-store").toString(),
                "-ns", "nats://127.0.0.1:" + natsPort, "--clustered", "--cluster_node_id", node,
                "--cluster_peers", peers[0], "--cluster_log_path", dir.resolve(node + "-raft").toString()};
    }

    /** Publishes ids 0, 1, 2... with acks (at most 256 unacknowledged); a refused or timed-out one is sent again. */
    private static Thread publisher(StreamingConnection connection, AtomicBoolean stop, ConcurrentLinkedQueue<Long> acked,
                                    ConcurrentLinkedQueue<Long> ackTimes) {
        Semaphore window = new Semaphore(256);
        ConcurrentLinkedQueue<Long> retry = new ConcurrentLinkedQueue<>();
        AtomicLong next = new AtomicLong();
        Thread thread = new Thread(() -> {
            while (!stop.get()) {
                try {
                    if (!window.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                        continue;
                    }
                    Long again = retry.poll();
                    long id = again != null ? again : next.getAndIncrement();
                    connection.publish(CHANNEL, ByteBuffer.allocate(8).putLong(id).array(), (guid, error) -> {
                        window.release();
                        if (error == null) {
                            acked.add(id);
                            ackTimes.add(System.nanoTime());
                        } else {
                            retry.add(id);
                        }
                    });
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    window.release();
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException interrupted) {
                        return;
                    }
                }
            }
        }, "raft-publisher");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** The node that finished a leader promotion last and is alive, other than {@code not}. */
    private String awaitLeader(String not, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            for (String node : NODES) {
                ServerProcess process = nodes.get(node);
                if (!node.equals(not) && process != null && process.isAlive() && leads(process)) {
                    return node;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no leader within " + seconds + " s");
    }

    private static boolean leads(ServerProcess process) {
        List<String> lines = process.output();
        for (int i = lines.size() - 1; i >= 0; i--) {
            if (lines.get(i).contains("finished leader promotion actions")) {
                return true;
            }
            if (lines.get(i).contains("server lost leadership")) {
                return false;
            }
        }
        return false;
    }

    private static void awaitAcks(ConcurrentLinkedQueue<Long> acked, int count, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (acked.size() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("only " + acked.size() + " of " + count + " publishes acknowledged");
            }
            Thread.sleep(10);
        }
    }

    private static long awaitAckAfter(ConcurrentLinkedQueue<Long> ackTimes, long after, int seconds)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            long first = Long.MAX_VALUE;
            for (long time : ackTimes) {
                if (time > after && time < first) {
                    first = time;
                }
            }
            if (first != Long.MAX_VALUE) {
                return first;
            }
            Thread.sleep(5);
        }
        throw new AssertionError("no acknowledged publish within " + seconds + " s of the kill");
    }
}
