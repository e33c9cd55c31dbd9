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
 * <p>Every failover must take less than {@code natsee.raft.failover.max.ms} (5 s by default, 3 s in the
 * {@code raft-kill-loop} profile; on a machine whose load average stays above about 10 the 3 s bound is missed now
 * and then, the kill itself then taking up to a second): from the kill to the first
 * acknowledgement of a publish sent after the killed process ended (only a new leader can have acknowledged it). The
 * client's pub ack wait is 1 s ({@code natsee.raft.ackwait.ms}): publishes sent to the dead leader, or while no node
 * serves, are lost on the NATS subject and sent again when their ack wait expires, so a client sees a failover up to
 * one ack wait after the new leader serves. A kill comes only once the leader reported every follower in step
 * (the restarted node caught up): with a lagging majority nothing can commit until it catches up, and no bound
 * holds. Each round prints its timeline: the kill's return, the new leader's candidacy, election, readiness (earlier
 * entries applied), serving, first acknowledgement, and the term.
 *
 * <p>Bounded: {@code natsee.raft.rounds} kill rounds (default 3; the {@code raft-kill-loop} profile runs 10). The
 * seed of the kill moments is printed and can be replayed with {@code natsee.raft.seed}.
 */
class RaftClusterTest {
    static final String CLUSTER = "raft-cluster";
    static final String CHANNEL = "raft.orders";
    static final String[] NODES = {"a", "b", "c"};

    @TempDir
    Path dir;

    private ServerProcess nats;
    private final Map<String, ServerProcess> nodes = new ConcurrentHashMap<>();
    /** What went wrong in the clients (a lost connection, a refused publish): printed when a wait fails. */
    private static final List<String> clientTrouble = new java.util.concurrent.CopyOnWriteArrayList<>();
    private String[] peers;
    private int natsPort;
    /** Each node's monitoring port (the same across its restarts): read when acknowledged messages go missing. */
    private final Map<String, Integer> httpPorts = new ConcurrentHashMap<>();
    /** When the durable subscriber last received a message (System.nanoTime), and how many came redelivered. */
    private final AtomicLong lastDelivery = new AtomicLong();
    private final AtomicLong redeliveries = new AtomicLong();

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
        int rounds = Integer.getInteger("natsee.raft.rounds", 3);
        long failoverBound = Long.getLong("natsee.raft.failover.max.ms", 5000);
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
        for (String node : NODES) {
            httpPorts.put(node, ServerProcess.freePort());
        }
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
        ConcurrentLinkedQueue<long[]> ackTimes = new ConcurrentLinkedQueue<>();
        Set<Long> delivered = ConcurrentHashMap.newKeySet();
        Set<Long> sequences = new java.util.concurrent.ConcurrentSkipListSet<>();
        Options clientOptions = new Options.Builder().natsUrl(url).connectWait(Duration.ofSeconds(10))
                .connectionLostHandler((connection, reason) -> clientTrouble.add("connection lost: " + reason))
                .pubAckWait(Duration.ofMillis(Long.getLong("natsee.raft.ackwait.ms", 1000))).maxPubAcksInFlight(512).build();
        try (StreamingConnection subscriberConnection = NatsStreaming.connect(CLUSTER, "raft-sub", clientOptions);
             StreamingConnection publisherConnection = NatsStreaming.connect(CLUSTER, "raft-pub", clientOptions)) {
            subscriberConnection.subscribe(CHANNEL, (Message message) -> {
                delivered.add(ByteBuffer.wrap(message.getData()).getLong());
                sequences.add(message.getSequence());
                lastDelivery.set(System.nanoTime());
                if (message.isRedelivered()) {
                    redeliveries.incrementAndGet();
                }
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
                Map<String, Integer> marks = new java.util.HashMap<>();
                nodes.forEach((node, process) -> marks.put(node, process.output().size()));
                long killedAt = System.nanoTime();
                nodes.get(leader).kill();
                long deadAt = System.nanoTime();
                String previous = leader;
                leader = awaitLeader(previous, 30);
                ServerProcess promoted = nodes.get(leader);
                long candidate = promoted.arrivalOf("Raft role: Candidate", marks.get(leader));
                long elected = promoted.arrivalOf("Raft role: Leader", marks.get(leader));
                long became = promoted.arrivalOf("server became leader", marks.get(leader));
                long serving = promoted.arrivalOf("finished leader promotion actions", marks.get(leader));
                long firstAck = awaitAckAfter(ackTimes, deadAt, 30);
                failovers.add(TimeUnit.NANOSECONDS.toMillis(firstAck - killedAt));
                System.out.println("round " + round + " timeline ms: dead " + ms(deadAt - killedAt) + ", candidate "
                        + since(candidate, killedAt) + ", leader " + since(elected, killedAt) + ", ready "
                        + since(became, killedAt) + ", serving " + since(serving, killedAt) + ", first ack "
                        + ms(firstAck - killedAt) + ", term " + leaderTerm(promoted, marks.get(leader)));
                if (restarted.contains(leader)) {
                    restartedNodeLed = true;
                }
                System.out.println("round " + round + ": killed leader " + previous + ", new leader " + leader
                        + ", first acknowledged publish " + failovers.get(failovers.size() - 1) + " ms after the kill, "
                        + acked.size() + " acknowledged so far");
                Map<String, Integer> beforeRestart = new java.util.HashMap<>();
                nodes.forEach((node, process) -> beforeRestart.put(node, process.output().size()));
                ServerProcess again = ServerProcess.startStreaming(args(previous));
                nodes.put(previous, again);
                again.awaitReady();
                restarted.add(previous);
                leader = awaitInStep(beforeRestart, 60);
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
            List<Long> missing = acked.stream().filter(id -> !delivered.contains(id)).sorted().toList();
            if (Boolean.getBoolean("natsee.raft.explain") && missing.isEmpty()) {
                // The diagnosis itself, tried on the last acknowledged ids (delivered: they read as sent).
                System.out.println(explainMissing(acked.stream().sorted().skip(Math.max(0, acked.size() - 3)).toList(),
                        sequences, url));
            }
            assertEquals(List.of(), missing.stream().limit(10).toList(), () -> "acknowledged messages never delivered"
                    + " (" + missing.size() + " of " + acked.size() + ", " + delivered.size() + " delivered; client: "
                    + clientTrouble + ")\n" + explainMissing(missing, sequences, url));
            long last = highest(sequences);
            assertEquals(last, sequences.size(), "delivered sequences run 1.." + last + " without gaps");
            assertTrue(restartedNodeLed, "a node that was killed and restarted led the cluster later");
            List<Long> slow = failovers.stream().filter(ms -> ms >= failoverBound).toList();
            assertEquals(List.of(), slow, "failovers of " + failoverBound + " ms or more among " + failovers);
            System.out.println("RaftClusterTest: " + acked.size() + " acknowledged, " + delivered.size()
                    + " distinct delivered, last sequence " + last + ", failover ms " + failovers);
        }
    }

    private String[] args(String node) {
        return args(node, peers[0]);
    }

    private String[] args(String node, String peerList) {
        return new String[] {"-cid", CLUSTER, "-st", "FILE", "--dir", dir.resolve(node + "-store").toString(),
                "-ns", "nats://127.0.0.1:" + natsPort, "--clustered", "--cluster_node_id", node,
                "--cluster_peers", peerList, "--cluster_log_path", dir.resolve(node + "-raft").toString(),
                "-a", "127.0.0.1", "-m", String.valueOf(httpPorts.get(node))};
    }

    /** The highest sequence the durable subscriber received (0 before the first). */
    private static long highest(Set<Long> sequences) {
        return sequences.isEmpty() ? 0 : ((java.util.concurrent.ConcurrentSkipListSet<Long>) sequences).last();
    }

    /**
     * Why acknowledged messages did not reach the durable subscriber, read from the cluster: every live node's
     * channel and durable as {@code /streaming/channelsz?subs=1} shows them (only the serving node answers), then
     * where a fresh reader (deliverAllAvailable, its own client) finds the missing ids in the serving node's store.
     * Each id is STALLED (stored, at a sequence the durable was not sent, or was sent and never redelivered) or
     * LOST (not in the store the leader serves, read to its last sequence). Bounded: at most 30 s of reading.
     */
    private String explainMissing(List<Long> missing, Set<Long> sequences, String url) {
        StringBuilder out = new StringBuilder("why (" + missing.size() + " ids, first " + missing.get(0) + ", last "
                + missing.get(missing.size() - 1) + "): the subscriber's last delivery "
                + ms(System.nanoTime() - lastDelivery.get()) + " ms ago, " + redeliveries.get() + " redelivered, "
                + "highest sequence received " + highest(sequences) + "\n");
        long lastSeq = -1;
        long lastSent = -1;
        long pending = -1;
        for (String node : NODES) {
            ServerProcess process = nodes.get(node);
            if (process == null || !process.isAlive()) {
                out.append("node ").append(node).append(": not running\n");
                continue;
            }
            try {
                Monitor.Answer answer = new Monitor(httpPorts.get(node))
                        .get("/streaming/channelsz?channel=" + CHANNEL + "&subs=1");
                String body = answer.body().replaceAll("\\s+", " ");
                out.append("node ").append(node).append(leads(process) ? " (serving)" : "").append(": ")
                        .append(answer.status()).append(' ')
                        .append(body, 0, Math.min(body.length(), 1500)).append('\n');
                if (answer.status() == 200 && answer.number("last_seq") >= 0) {
                    lastSeq = answer.number("last_seq");
                    lastSent = answer.number("last_sent");
                    pending = answer.number("pending_count");
                }
            } catch (java.io.IOException | RuntimeException e) {
                out.append("node ").append(node).append(": no answer: ").append(e).append('\n');
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return out.append("interrupted").toString();
            }
        }
        Set<Long> wanted = new java.util.HashSet<>(missing);
        Map<Long, Long> found = new ConcurrentHashMap<>();
        AtomicLong highest = new AtomicLong();
        try (StreamingConnection reader = NatsStreaming.connect(CLUSTER, "raft-diag",
                new Options.Builder().natsUrl(url).connectWait(Duration.ofSeconds(10)).build())) {
            reader.subscribe(CHANNEL, message -> {
                long id = ByteBuffer.wrap(message.getData()).getLong();
                if (wanted.contains(id)) {
                    found.putIfAbsent(id, message.getSequence());
                }
                highest.accumulateAndGet(message.getSequence(), Math::max);
            }, new SubscriptionOptions.Builder().deliverAllAvailable().maxInFlight(8192).build());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (highest.get() < lastSeq && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
        } catch (Exception e) {
            out.append("fresh reader failed: ").append(e).append('\n');
        }
        out.append("fresh reader: read to sequence ").append(highest.get()).append(" of ").append(lastSeq)
                .append(", found ").append(found.size()).append(" of the missing ids\n");
        int never = 0;
        int sent = 0;
        int lost = 0;
        int unknown = 0;
        for (long id : missing) {
            Long sequence = found.get(id);
            String verdict;
            if (sequence != null && sequence > lastSent) {
                never++;
                verdict = "STALLED: stored at sequence " + sequence + ", never sent to the durable (last_sent "
                        + lastSent + ", pending " + pending + ")";
            } else if (sequence != null) {
                sent++;
                verdict = "STALLED: stored at sequence " + sequence + ", sent to the durable (last_sent " + lastSent
                        + ", pending " + pending + ") and not received since"
                        + (pending == 0 ? " (pending 0: the server holds every sent message acknowledged)" : "");
            } else if (lastSeq >= 0 && highest.get() >= lastSeq) {
                lost++;
                verdict = "LOST: not in the serving node's store (read to its last sequence " + lastSeq + ")";
            } else {
                unknown++;
                verdict = "UNKNOWN: the reader stopped at sequence " + highest.get() + " of " + lastSeq;
            }
            if (never + sent + lost + unknown <= 10) {
                out.append("id ").append(id).append(": ").append(verdict).append('\n');
            }
        }
        return out.append("verdict: ").append(never).append(" STALLED never sent, ").append(sent)
                .append(" STALLED sent and not received, ").append(lost).append(" LOST, ").append(unknown)
                .append(" unknown\n").append(clusterLog()).toString();
    }

    /**
     * Publishes ids 0, 1, 2... with acks (at most 256 unacknowledged); a refused or timed-out one is sent again. When
     * no ack or timeout freed the window for a second, one publish goes out beyond it: the streaming client 2.2.3
     * can leave its ack-timeout thread blocked, waiting for the next publish, when a timeout races an ack (both check
     * its in-flight queue is not empty, then both take from it), and with a full window no publish would ever come.
     */
    private static Thread publisher(StreamingConnection connection, AtomicBoolean stop, ConcurrentLinkedQueue<Long> acked,
                                    ConcurrentLinkedQueue<long[]> ackTimes) {
        Semaphore window = new Semaphore(256);
        ConcurrentLinkedQueue<Long> retry = new ConcurrentLinkedQueue<>();
        AtomicLong next = new AtomicLong();
        Thread thread = new Thread(() -> {
            while (!stop.get()) {
                boolean inWindow = false;
                try {
                    inWindow = window.tryAcquire(1, TimeUnit.SECONDS);
                    boolean counted = inWindow;
                    Long again = retry.poll();
                    long id = again != null ? again : next.getAndIncrement();
                    long sentAt = System.nanoTime();
                    connection.publish(CHANNEL, ByteBuffer.allocate(8).putLong(id).array(), (guid, error) -> {
                        if (counted) {
                            window.release();
                        }
                        if (error == null) {
                            acked.add(id);
                            ackTimes.add(new long[] {sentAt, System.nanoTime()});
                        } else {
                            retry.add(id);
                        }
                    });
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    if (clientTrouble.size() < 20) {
                        clientTrouble.add("publish failed: " + e);
                    }
                    if (inWindow) {
                        window.release();
                    }
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

    /** The term in which the node's Raft role last became Leader after line {@code from} (-1: none). */
    private static long leaderTerm(ServerProcess process, int from) {
        String marker = "Raft role: Leader in term ";
        List<String> lines = process.output();
        long term = -1;
        for (int i = from; i < lines.size(); i++) {
            int at = lines.get(i).indexOf(marker);
            if (at >= 0) {
                String rest = lines.get(i).substring(at + marker.length());
                term = Long.parseLong(rest.split("[^0-9]", 2)[0]);
            }
        }
        return term;
    }

    /** Milliseconds from {@code from} to {@code at}, or "-" when the line never came (a role seen too briefly). */
    private static String since(long at, long from) {
        return at < 0 ? "-" : String.valueOf(ms(at - from));
    }

    private static long ms(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    /**
     * Waits until a node that leads reports every follower in step (after the lines counted in {@code from}): the
     * restarted node caught up, so the next kill leaves a majority that can commit at once (a failover bound holds
     * only for such a majority). Returns that leader.
     */
    private String awaitInStep(Map<String, Integer> from, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            for (String node : NODES) {
                ServerProcess process = nodes.get(node);
                if (process.isAlive() && leads(process)
                        && process.arrivalOf("Raft followers: all in step", from.getOrDefault(node, 0)) >= 0) {
                    return node;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no leader reported its followers in step within " + seconds + " s:\n"
                + clusterLog());
    }

    /** The stacks of this JVM's publisher and client timer threads and of the serving node's threads. */
    private String threads() {
        StringBuilder out = new StringBuilder("test JVM threads:\n");
        Thread.getAllStackTraces().forEach((thread, stack) -> {
            if (thread.getName().startsWith("raft-publisher") || thread.getName().startsWith("Timer")) {
                out.append(thread.getName()).append(' ').append(thread.getState()).append('\n');
                for (StackTraceElement element : stack) {
                    out.append("    ").append(element).append('\n');
                }
            }
        });
        for (String node : NODES) {
            ServerProcess process = nodes.get(node);
            if (process != null && process.isAlive() && leads(process)) {
                try {
                    Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                            String.valueOf(process.pid()), "Thread.print").redirectErrorStream(true).start();
                    out.append("node ").append(node).append(" threads:\n")
                            .append(new String(jcmd.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
                    jcmd.waitFor(10, TimeUnit.SECONDS);
                } catch (java.io.IOException | InterruptedException e) {
                    out.append("no thread dump of ").append(node).append(": ").append(e).append('\n');
                }
            }
        }
        return out.toString();
    }

    /** Every node's lines about roles, leadership and failures: what a failed wait prints. */
    private String clusterLog() {
        StringBuilder lines = new StringBuilder();
        nodes.forEach((node, process) -> process.output().stream()
                .filter(l -> l.contains("Raft") || l.contains("leader") || l.contains("[ERR]")
                        || l.contains("Exception") && !l.contains("Connection reset"))
                .forEach(l -> lines.append(node).append(": ").append(l).append('\n')));
        return lines.toString();
    }

    private void awaitAcks(ConcurrentLinkedQueue<Long> acked, int count, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (acked.size() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("only " + acked.size() + " of " + count + " publishes acknowledged:\n"
                        + "client: " + clientTrouble + "\n" + clusterLog() + threads());
            }
            Thread.sleep(10);
        }
    }

    /**
     * When the first acknowledgement of a publish sent after {@code after} arrived: only a new leader can have
     * acknowledged it (an acknowledgement of an earlier publish may be one the killed leader sent before it died).
     */
    private long awaitAckAfter(ConcurrentLinkedQueue<long[]> ackTimes, long after, int seconds)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            long first = Long.MAX_VALUE;
            for (long[] times : ackTimes) {
                if (times[0] > after && times[1] < first) {
                    first = times[1];
                }
            }
            if (first != Long.MAX_VALUE) {
                return first;
            }
            Thread.sleep(5);
        }
        throw new AssertionError("no acknowledged publish within " + seconds + " s of the kill; client: "
                + clientTrouble + "\n" + clusterLog() + threads());
    }
}
