package io.natsee.streaming.store.raft;

import io.natsee.streaming.store.Channel;
import io.natsee.streaming.store.ClientRecord;
import io.natsee.streaming.store.StoreLimits;
import io.natsee.streaming.store.SubscriptionRecord;
import io.natsee.streaming.store.file.FileStore;
import io.natsee.streaming.store.file.FileStoreOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three Ratis nodes in one JVM on loopback, each applying the log to its own file store: what the leader writes
 * through {@link RaftStore} is on every node after a flush; a node stopped meanwhile catches up after its restart
 * (from a snapshot of the store plus the log after it); peer lists and their errors.
 */
class RaftNodeTest {
    @TempDir
    Path dir;

    private final List<RaftNode> nodes = new ArrayList<>(List.of());
    private List<ClusterOptions.Peer> peers;

    @AfterEach
    void close() {
        for (RaftNode node : nodes) {
            if (node != null) {
                node.close();
            }
        }
    }

    @Test
    void leaderWritesReachEveryReplicaAndARestartedNodeCatchesUpFromASnapshot() throws Exception {
        peers = ClusterOptions.parsePeers(List.of("a@127.0.0.1:" + freePort() + ",b@127.0.0.1:" + freePort()
                + ",c@127.0.0.1:" + freePort()));
        for (String id : new String[] {"a", "b", "c"}) {
            nodes.add(start(id));
        }
        RaftNode leader = awaitLeader();
        RaftStore store = leader.openForServing().store();
        store.addClient(new ClientRecord("client-1", "_INBOX.hb", new byte[] {1, 2}, 1, 5, 3));
        Channel channel = store.getOrCreateChannel("orders");
        SubscriptionRecord subscription = channel.subscriptions().create(new SubscriptionRecord(0, "client-1", "",
                "_INBOX.deliver", "_INBOX.ack", 16, 30, "durable", 0, true, false, Map.of()));
        assertTrue(subscription.id() > 0);
        for (int i = 1; i <= 50; i++) {
            assertEquals(i, channel.messages().append("", ("m" + i).getBytes(StandardCharsets.UTF_8), i));
            if (i % 10 == 0) {
                store.flush();
            }
        }
        channel.subscriptions().addPending(subscription.id(), 1);
        channel.subscriptions().addPending(subscription.id(), 2);
        channel.subscriptions().ack(subscription.id(), 1);
        store.flush();
        for (RaftNode node : nodes) {
            awaitApplied(node, leader.appliedIndex());
        }

        // Stop a follower, write more (snapshots are taken every 5 entries), restart it: it catches up.
        int followerIndex = nodes.indexOf(nodes.stream().filter(n -> n != leader).findFirst().orElseThrow());
        String followerId = nodes.get(followerIndex).nodeId();
        nodes.get(followerIndex).close();
        for (int i = 51; i <= 120; i++) {
            channel.messages().append("", ("m" + i).getBytes(StandardCharsets.UTF_8), i);
            store.flush();
        }
        RaftNode restarted = start(followerId);
        nodes.set(followerIndex, restarted);
        awaitApplied(restarted, leader.appliedIndex());
        var state = restarted.openForServing().recovered();
        assertEquals(List.of("client-1"), state.clients().stream().map(ClientRecord::id).toList());
        Channel replica = state.channels().get("orders").channel();
        assertEquals(120, replica.messages().lastSequence());
        assertArrayEquals("m120".getBytes(StandardCharsets.UTF_8), replica.messages().lookup(120).data());
        var recovered = state.channels().get("orders").subscriptions();
        assertEquals(1, recovered.size());
        assertArrayEquals(new long[] {2}, recovered.get(0).pending());
        try (var snapshots = Files.walk(dir)) {
            assertTrue(snapshots.anyMatch(p -> p.getFileName().toString().startsWith("snapshot.")),
                    "snapshots were taken");
        }
    }

    @Test
    void aFollowerCannotWrite() throws Exception {
        peers = ClusterOptions.parsePeers(List.of("a@127.0.0.1:" + freePort() + ",b@127.0.0.1:" + freePort()
                + ",c@127.0.0.1:" + freePort()));
        for (String id : new String[] {"a", "b", "c"}) {
            nodes.add(start(id));
        }
        RaftNode leader = awaitLeader();
        RaftNode follower = nodes.stream().filter(n -> n != leader).findFirst().orElseThrow();
        RaftStore store = follower.openForServing().store();
        assertThrows(io.natsee.streaming.store.StoreException.class, () -> store.getOrCreateChannel("refused"));
        assertTrue(store.failed());
    }

    @Test
    void peersNeedAnAddressAndIncludeThisNode() {
        IllegalArgumentException noAddress = assertThrows(IllegalArgumentException.class,
                () -> ClusterOptions.parsePeers(List.of("a,b")));
        assertTrue(noAddress.getMessage().contains("node_id@host:port"), noAddress.getMessage());
        List<ClusterOptions.Peer> list = ClusterOptions.parsePeers(List.of("a@127.0.0.1:7001, b@[::1]:7002"));
        assertEquals("[::1]:7002", list.get(1).address());
        IllegalArgumentException notSelf = assertThrows(IllegalArgumentException.class,
                () -> ClusterOptions.builder().nodeId("c").peers(list).build());
        assertTrue(notSelf.getMessage().contains("must include this node"), notSelf.getMessage());
    }

    private RaftNode start(String id) throws IOException {
        ClusterOptions options = ClusterOptions.builder().nodeId(id).peers(peers).logPath(dir.resolve(id + "-raft"))
                .electionTimeout(java.time.Duration.ofMillis(300)).snapshotThreshold(5).build();
        RaftNode node = new RaftNode("test-cluster", options, dir.resolve(id + "-store"),
                path -> new FileStore(path, StoreLimits.DEFAULT, FileStoreOptions.DEFAULT.withSync(false)));
        node.start();
        return node;
    }

    private RaftNode awaitLeader() throws InterruptedException {
        RaftNode[] found = new RaftNode[1];
        await(() -> {
            for (RaftNode node : nodes) {
                if (node.isReadyLeader()) {
                    found[0] = node;
                    return true;
                }
            }
            return false;
        });
        assertNotNull(found[0]);
        return found[0];
    }

    private static void awaitApplied(RaftNode node, long index) throws InterruptedException {
        await(() -> node.appliedIndex() >= index);
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 20 s");
            }
            Thread.sleep(10);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
