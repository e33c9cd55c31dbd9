package io.natsee.broker.clustering;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.Dispatcher;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.natsee.broker.support.ReferenceServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cluster behaviour seen from outside, with servers as processes on 127.0.0.1 and jnats
 * clients: a full mesh, a node joining through one seed, jnats failover after {@code kill -9},
 * a queue group spread over three servers, a restarted peer redialled. Each subclass says which
 * server runs at each position; the suite is proven on three Debian nats-server 2.9.10 first
 * ({@link ClusterReferenceIT}).
 */
abstract class ClusterContract {

    private static final Duration MESH_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration RECEIVE_TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    Path directory;

    private final List<ClusterNode> nodes = new ArrayList<>();
    private final List<Connection> connections = new ArrayList<>();

    /** The server at position {@code index} (0 to 3) of a cluster. */
    abstract ClusterNode.Kind kind(int index);

    @AfterEach
    void stopEverything() throws InterruptedException {
        for (Connection connection : connections) {
            connection.close();
        }
        for (ClusterNode node : nodes) {
            node.close();
        }
    }

    private static Path binary(ClusterNode.Kind kind) {
        if (kind == ClusterNode.Kind.NATS_SERVER) {
            assumeTrue(ReferenceServer.isInstalled(), "nats-server is not installed");
            return ReferenceServer.binary().orElseThrow();
        }
        String property = System.getProperty("natsee.server.jar");
        Path jar = property != null ? Path.of(property) : Path.of("target", "natsee-server.jar");
        assumeTrue(Files.isRegularFile(jar), "the shaded jar is not built: " + jar.toAbsolutePath());
        return jar.toAbsolutePath();
    }

    private ClusterNode node(int index, String name, List<String> routes) {
        ClusterNode node = ClusterNode.start(kind(index), binary(kind(index)), directory, name, "mesh", routes);
        nodes.add(node);
        return node;
    }

    /** Three nodes, each dialling the ones started before it (B to A, C to A and B). */
    private List<ClusterNode> threeNodes() {
        ClusterNode a = node(0, "A", List.of());
        ClusterNode b = node(1, "B", List.of(a.routeUrl()));
        ClusterNode c = node(2, "C", List.of(a.routeUrl(), b.routeUrl()));
        return List.of(a, b, c);
    }

    private Connection connect(ClusterNode node) throws Exception {
        return connect(new Options.Builder().server(node.clientUrl()));
    }

    private Connection connect(Options.Builder options) throws Exception {
        Connection connection = Nats.connect(options.connectionTimeout(Duration.ofSeconds(5)).build());
        connections.add(connection);
        return connection;
    }

    /**
     * Publishes probes on {@code from} until a subscriber on {@code to} receives one: interest
     * has crossed the route between them.
     */
    private void awaitRoute(Connection from, Connection to) throws Exception {
        String subject = "probe." + System.nanoTime();
        CountDownLatch received = new CountDownLatch(1);
        Dispatcher dispatcher = to.createDispatcher(message -> received.countDown());
        dispatcher.subscribe(subject);
        to.flush(Duration.ofSeconds(5));
        long deadline = System.nanoTime() + MESH_TIMEOUT.toNanos();
        while (!received.await(100, TimeUnit.MILLISECONDS)) {
            assertTrue(System.nanoTime() < deadline, "no route carried " + subject + ": " + logs());
            from.publish(subject, new byte[0]);
            from.flush(Duration.ofSeconds(5));
        }
        to.closeDispatcher(dispatcher);
    }

    private String logs() {
        StringBuilder text = new StringBuilder();
        for (ClusterNode node : nodes) {
            String log = node.logText();
            text.append("\n--- ").append(node).append('\n').append(log.length() > 4000 ? log.substring(log.length() - 4000) : log);
        }
        return text.toString();
    }

    private static void await(String what, BooleanSupplier condition) {
        await(() -> what, condition);
    }

    private static void await(java.util.function.Supplier<String> what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + RECEIVE_TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what.get());
            }
            ClusterNode.sleep(10);
        }
    }

    private static int sizeOf(List<Integer> list) {
        return list == null ? 0 : list.size();
    }

    @Test
    void aSubscriberOnOneNodeReceivesFromTheOthersOnceEachInOrder() throws Exception {
        List<ClusterNode> mesh = threeNodes();
        Connection subscriber = connect(mesh.get(0));
        Connection fromB = connect(mesh.get(1));
        Connection fromC = connect(mesh.get(2));
        awaitRoute(fromB, subscriber);
        awaitRoute(fromC, subscriber);
        Map<String, List<Integer>> received = new ConcurrentHashMap<>();
        AtomicInteger count = new AtomicInteger();
        Dispatcher dispatcher = subscriber.createDispatcher(message -> {
            String[] parts = new String(message.getData(), StandardCharsets.US_ASCII).split(":");
            received.computeIfAbsent(parts[0], key -> new CopyOnWriteArrayList<>()).add(Integer.parseInt(parts[1]));
            count.incrementAndGet();
        });
        dispatcher.subscribe("orders.*");
        subscriber.flush(Duration.ofSeconds(5));
        awaitRoute(fromB, subscriber);
        awaitRoute(fromC, subscriber);
        int perPublisher = 500;
        for (int i = 0; i < perPublisher; i++) {
            fromB.publish("orders.b", ("B:" + i).getBytes(StandardCharsets.US_ASCII));
            fromC.publish("orders.c", ("C:" + i).getBytes(StandardCharsets.US_ASCII));
        }
        fromB.flush(Duration.ofSeconds(5));
        fromC.flush(Duration.ofSeconds(5));
        await(() -> "1000 messages, have " + count.get() + " (from B " + sizeOf(received.get("B")) + ", from C "
                + sizeOf(received.get("C")) + ")" + logs(), () -> count.get() >= 2 * perPublisher);
        ClusterNode.sleep(200); // a duplicate would arrive within this time
        assertEquals(2 * perPublisher, count.get(), "one copy of each message");
        List<Integer> inOrder = new ArrayList<>();
        for (int i = 0; i < perPublisher; i++) {
            inOrder.add(i);
        }
        assertEquals(inOrder, received.get("B"), "order across the route from B");
        assertEquals(inOrder, received.get("C"), "order across the route from C");
    }

    @Test
    void aFourthNodeSeededWithOneJoinsTheWholeMesh() throws Exception {
        List<ClusterNode> mesh = threeNodes();
        Connection onB = connect(mesh.get(1));
        Connection onC = connect(mesh.get(2));
        awaitRoute(onB, connect(mesh.get(0)));
        long started = System.nanoTime();
        ClusterNode d = node(3, "D", List.of(mesh.get(0).routeUrl()));
        Connection onD = connect(d);
        // Routed messages are never forwarded to another route: B to D and C to D prove direct routes.
        awaitRoute(onB, onD);
        awaitRoute(onC, onD);
        awaitRoute(onD, onB);
        long joinMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        System.out.println("[cluster] " + getClass().getSimpleName() + " fourth node joined (B->D, C->D, D->B) in "
                + joinMillis + " ms");
        // Clients learn the peers from connect_urls.
        await("jnats to learn the other servers", () -> onD.getServers().size() >= 4);
    }

    @Test
    void jnatsFailsOverAfterKillNineAndLosesNothingPublishedAfterTheReconnect() throws Exception {
        List<ClusterNode> mesh = threeNodes();
        ClusterNode a = mesh.get(0);
        CountDownLatch reconnected = new CountDownLatch(1);
        AtomicLong disconnectedAt = new AtomicLong();
        Connection publisher = connect(new Options.Builder().server(a.clientUrl()).maxReconnects(-1)
                .reconnectWait(Duration.ofMillis(50)).connectionListener((connection, event) -> {
                    if (event == ConnectionListener.Events.DISCONNECTED) {
                        disconnectedAt.compareAndSet(0, System.nanoTime());
                    } else if (event == ConnectionListener.Events.RECONNECTED) {
                        reconnected.countDown();
                    }
                }));
        Connection subscriber = connect(mesh.get(2));
        Set<Integer> received = ConcurrentHashMap.newKeySet();
        Dispatcher dispatcher = subscriber.createDispatcher(message ->
                received.add(Integer.parseInt(new String(message.getData(), StandardCharsets.US_ASCII))));
        dispatcher.subscribe("failover");
        subscriber.flush(Duration.ofSeconds(5));
        awaitRoute(publisher, subscriber);
        await("jnats to learn the other servers", () -> publisher.getServers().size() >= 3);
        for (int i = 0; i < 100; i++) {
            publisher.publish("failover", Integer.toString(i).getBytes(StandardCharsets.US_ASCII));
        }
        publisher.flush(Duration.ofSeconds(5));
        await("the first 100", () -> received.size() >= 100);

        a.kill();
        assertTrue(reconnected.await(30, TimeUnit.SECONDS), "jnats did not reconnect: " + logs());
        long failoverMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - disconnectedAt.get());
        System.out.println("[cluster] " + getClass().getSimpleName() + " jnats failover after kill -9 in "
                + failoverMillis + " ms (disconnect to reconnect)");
        awaitRoute(publisher, subscriber);
        for (int i = 100; i < 300; i++) {
            publisher.publish("failover", Integer.toString(i).getBytes(StandardCharsets.US_ASCII));
        }
        publisher.flush(Duration.ofSeconds(5));
        await("the 200 published after the reconnect", () -> {
            for (int i = 100; i < 300; i++) {
                if (!received.contains(i)) {
                    return false;
                }
            }
            return true;
        });
        assertEquals(300, received.size());
    }

    @Test
    void aQueueGroupSpreadOverThreeServersGetsEachMessageOnce() throws Exception {
        List<ClusterNode> mesh = threeNodes();
        List<Connection> members = new ArrayList<>();
        Map<Integer, AtomicInteger> deliveries = new ConcurrentHashMap<>();
        AtomicInteger[] perServer = {new AtomicInteger(), new AtomicInteger(), new AtomicInteger()};
        for (int server = 0; server < 3; server++) {
            Connection member = connect(mesh.get(server));
            int index = server;
            Dispatcher dispatcher = member.createDispatcher(message -> {
                int id = Integer.parseInt(new String(message.getData(), StandardCharsets.US_ASCII));
                deliveries.computeIfAbsent(id, key -> new AtomicInteger()).incrementAndGet();
                perServer[index].incrementAndGet();
            });
            dispatcher.subscribe("work", "workers");
            member.flush(Duration.ofSeconds(5));
            members.add(member);
        }
        // Interest of every member has reached every server when plain probes cross each route.
        for (int from = 0; from < 3; from++) {
            for (int to = 0; to < 3; to++) {
                if (from != to) {
                    awaitRoute(members.get(from), members.get(to));
                }
            }
        }
        int perPublisher = 300;
        for (int i = 0; i < perPublisher; i++) {
            for (int server = 0; server < 3; server++) {
                members.get(server).publish("work", Integer.toString(server * perPublisher + i).getBytes(StandardCharsets.US_ASCII));
            }
        }
        for (Connection member : members) {
            member.flush(Duration.ofSeconds(5));
        }
        await("900 deliveries", () -> deliveries.size() >= 3 * perPublisher);
        ClusterNode.sleep(300);
        assertEquals(3 * perPublisher, deliveries.size(), "every message delivered");
        for (Map.Entry<Integer, AtomicInteger> entry : deliveries.entrySet()) {
            assertEquals(1, entry.getValue().get(), "message " + entry.getKey() + " delivered once in the whole cluster");
        }
        System.out.println("[cluster] " + getClass().getSimpleName() + " queue deliveries per server: "
                + perServer[0] + " " + perServer[1] + " " + perServer[2]);
    }

    @Test
    void aRestartedPeerIsRedialledAndInterestResynchronised() throws Exception {
        ClusterNode a = node(0, "A", List.of());
        ClusterNode b = node(1, "B", List.of(a.routeUrl()));
        Connection onB = connect(b);
        Connection onA = connect(a);
        awaitRoute(onB, onA);
        a.kill();
        onA.close();
        ClusterNode.sleep(300);
        a.restart();
        // B dials A again (its configured route); a subscriber on the new A hears B's publisher.
        Connection onNewA = connect(a);
        awaitRoute(onB, onNewA);
        awaitRoute(onNewA, onB);
    }
}
