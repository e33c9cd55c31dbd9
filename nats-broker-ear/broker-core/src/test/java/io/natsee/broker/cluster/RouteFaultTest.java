package io.natsee.broker.cluster;

import static io.natsee.broker.cluster.ClusterTestSupport.WAIT;
import static io.natsee.broker.cluster.ClusterTestSupport.awaitMesh;
import static io.natsee.broker.cluster.ClusterTestSupport.awaitRemoteInterest;
import static io.natsee.broker.cluster.ClusterTestSupport.closeAll;
import static io.natsee.broker.cluster.ClusterTestSupport.connect;
import static io.natsee.broker.cluster.ClusterTestSupport.routeCount;
import static io.natsee.broker.cluster.ClusterTestSupport.routeUrl;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.natsee.broker.Broker;
import io.natsee.broker.support.Await;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Route faults, each bounded, with the routes through a {@link TcpLink}: a route cut mid-stream,
 * a partition healed (interest changed on both sides meanwhile), and slow routes, which
 * nats-server keeps when the peer reads at all and closes when it reads nothing for a write
 * deadline.
 */
@Timeout(90)
class RouteFaultTest {

    private static final Duration SHORT_DEADLINE = Duration.ofMillis(500);
    /**
     * Long enough that a socket read slowly takes some bytes in it: the kernel wakes a writer
     * only when much of a full send buffer (megabytes on loopback) has drained.
     */
    private static final Duration SLOW_READ_DEADLINE = Duration.ofSeconds(2);
    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void stop() {
        Collections.reverse(resources);
        closeAll(resources.toArray(AutoCloseable[]::new));
    }

    private <T extends AutoCloseable> T keep(T resource) {
        resources.add(resource);
        return resource;
    }

    private Broker broker(String name, List<java.net.URI> routes, String advertise, Duration writeDeadline)
            throws Exception {
        return keep(ClusterTestSupport.start(name, new ClusterOptions("faults", "127.0.0.1", ClusterOptions.RANDOM_PORT,
                routes, null, null, null, null, advertise, false, 0), writeDeadline));
    }

    private TcpLink linkTo(Broker target) throws Exception {
        return keep(new TcpLink(target.routes().port()));
    }

    /** Collects the integers published on a subject. */
    private static List<Integer> collect(Connection connection, String subject) throws Exception {
        List<Integer> received = Collections.synchronizedList(new ArrayList<>());
        Dispatcher dispatcher = connection.createDispatcher(message ->
                received.add(Integer.parseInt(new String(message.getData(), StandardCharsets.US_ASCII).trim())));
        dispatcher.subscribe(subject);
        connection.flush(WAIT);
        return received;
    }

    private static void publish(Connection connection, String subject, int from, int to) throws Exception {
        for (int i = from; i < to; i++) {
            connection.publish(subject, Integer.toString(i).getBytes(StandardCharsets.US_ASCII));
        }
        connection.flush(WAIT);
    }

    private static long routeId(Broker broker) {
        List<RouteConnection> routes = broker.routes().routes();
        return routes.isEmpty() ? -1 : routes.get(0).id();
    }

    private static boolean hasInterest(Broker broker, String subject) {
        for (RouteConnection route : broker.routes().routes()) {
            if (route.remoteSubjects().contains(subject)) {
                return true;
            }
        }
        return false;
    }

    @Test
    void aRouteCutMidStreamIsRedialledWithoutDuplicatesAndInterestResynchronised() throws Exception {
        Broker b = broker("B", List.of(), null, null);
        TcpLink link = linkTo(b);
        Broker a = broker("A", List.of(link.routeUrl()), null, null);
        awaitMesh(a, b);
        Connection onA = keep(connect(a));
        Connection onB = keep(connect(b));
        List<Integer> received = collect(onB, "seq");
        io.nats.client.Subscription gone = onB.subscribe("gone");
        onB.flush(WAIT);
        awaitRemoteInterest(a, "seq", 1);
        awaitRemoteInterest(a, "gone", 1);

        publish(onA, "seq", 0, 1000);
        Await.until(WAIT, "the first 1,000 across the route", () -> received.size() >= 1000);
        long firstRoute = routeId(a);
        // Cut the route while messages are on their way, and keep it down for a moment.
        Thread publisher = new Thread(() -> {
            try {
                publish(onA, "seq", 1000, 3000);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        publisher.start();
        link.partition();
        publisher.join(WAIT.toMillis());
        Await.until(WAIT, "A to see the route gone", () -> routeCount(a) == 0);
        // Interest changes on B while the route is down.
        gone.unsubscribe();
        onB.subscribe("brief").unsubscribe();
        AtomicInteger late = new AtomicInteger();
        onB.createDispatcher(message -> late.incrementAndGet()).subscribe("late.arrival");
        onB.flush(WAIT);
        link.heal();
        Await.until(WAIT, "A to redial B", () -> routeCount(a) == 1 && routeCount(b) == 1);
        assertTrue(routeId(a) != firstRoute, "a new route");
        awaitRemoteInterest(a, "late.arrival", 1);
        assertTrue(hasInterest(a, "seq"), "B's older interest is sent again over the new route");

        publish(onA, "seq", 3000, 4000);
        publish(onA, "late.arrival", 0, 10);
        Await.until(WAIT, "the last 1,000 across the new route", () -> received.contains(3999));
        Await.until(WAIT, "a subscription made during the cut hears A", () -> late.get() == 10);
        List<Integer> copy;
        synchronized (received) {
            copy = new ArrayList<>(received);
        }
        assertEquals(copy.size(), new HashSet<>(copy).size(), "no message delivered twice");
        for (int i = 1; i < copy.size(); i++) {
            assertTrue(copy.get(i - 1) < copy.get(i), "in order: " + copy.get(i - 1) + " then " + copy.get(i));
        }
        assertTrue(copy.subList(0, 1000).equals(range(0, 1000)), "everything before the cut");
        assertTrue(copy.containsAll(range(3000, 4000)), "everything after the redial");
        assertFalse(hasInterest(a, "gone"), "interest withdrawn during the cut is gone after the redial");
        assertFalse(hasInterest(a, "brief"), "interest created and withdrawn during the cut is never announced");
    }

    @Test
    void aPartitionedServerRejoinsWithTheInterestBothSidesChangedMeanwhile() throws Exception {
        // Every server advertises an address nobody listens on, so that gossip cannot bypass the
        // links (an implicit route to an advertised address fails and is forgotten): A and B
        // reach C only through their links, B dials A directly, and C dials nobody.
        Broker c = broker("C", List.of(), "127.0.0.1:" + closedPort(), null);
        TcpLink aToC = linkTo(c);
        TcpLink bToC = linkTo(c);
        Broker a = broker("A", List.of(aToC.routeUrl()), "127.0.0.1:" + closedPort(), null);
        Broker b = broker("B", List.of(routeUrl(a), bToC.routeUrl()), "127.0.0.1:" + closedPort(), null);
        awaitMesh(a, b, c);
        Connection onA = keep(connect(a));
        Connection onB = keep(connect(b));
        Connection onC = keep(connect(c));
        io.nats.client.Subscription before = onC.subscribe("c.before");
        onC.flush(WAIT);
        awaitRemoteInterest(a, "c.before", 1);
        List<Integer> acrossAB = collect(onB, "ab");
        awaitRemoteInterest(a, "ab", 1);

        aToC.partition();
        bToC.partition();
        Await.until(WAIT, "C cut off", () -> routeCount(c) == 0 && routeCount(a) == 1 && routeCount(b) == 1);
        // Both sides change their interest while apart; A and B keep talking.
        before.unsubscribe();
        List<Integer> onCDuring = collect(onC, "c.during");
        List<Integer> onADuring = collect(onA, "a.during");
        publish(onA, "ab", 0, 500);
        Await.until(WAIT, "A to B during the partition", () -> acrossAB.size() == 500);

        aToC.heal();
        bToC.heal();
        awaitMesh(a, b, c);
        awaitRemoteInterest(a, "c.during", 1);
        awaitRemoteInterest(b, "c.during", 1);
        awaitRemoteInterest(c, "a.during", 1);
        publish(onA, "c.during", 0, 100);
        publish(onB, "c.during", 100, 200);
        publish(onC, "a.during", 0, 100);
        Await.until(WAIT, "A and B to C after the heal", () -> onCDuring.size() == 200);
        Await.until(WAIT, "C to A after the heal", () -> onADuring.size() == 100);
        assertFalse(hasInterest(a, "c.before"), "C's withdrawn interest is gone on A");
        assertFalse(hasInterest(b, "c.before"), "and on B");
        assertEquals(500, acrossAB.size(), "A to B: each message once");
    }

    @Test
    void aSlowRouteThatReadsIsReportedAndKept() throws Exception {
        SlowPair pair = slowPair(SLOW_READ_DEADLINE);
        Broker a = pair.a();
        Broker b = pair.b();
        TcpLink link = pair.link();
        Connection onA = pair.onA();
        List<Integer> received = pair.received();
        long route = routeId(a);

        // Some 2.5 MB/s: the socket takes part of the backlog in every write deadline, not all of it.
        link.trickle(256 * 1024);
        for (int i = 0; i < 12_000; i++) {
            onA.publish("bulk", padded(i));
        }
        onA.flush(WAIT);
        Await.until(Duration.ofSeconds(30), "A to report the route as a slow consumer",
                () -> a.statistics().slowConsumers() >= 1);
        link.resume();
        Await.until(Duration.ofSeconds(30), "all 12,000 across the route", () -> received.size() == 12_000);
        assertEquals(route, routeId(a), "the same route: not closed");
        assertEquals(12_000, new HashSet<>(received).size(), "each once");
    }

    @Test
    void aSlowRouteThatReadsNothingIsClosedAndRedialled() throws Exception {
        SlowPair pair = slowPair(SHORT_DEADLINE);
        Broker a = pair.a();
        Broker b = pair.b();
        TcpLink link = pair.link();
        Connection onA = pair.onA();
        List<Integer> received = pair.received();
        long route = routeId(a);

        link.pause();
        for (int i = 0; i < 12_000; i++) {
            onA.publish("bulk", padded(i));
        }
        onA.flush(WAIT);
        Await.until(Duration.ofSeconds(30), "A to close the route that read nothing",
                () -> a.statistics().slowConsumers() >= 1 && routeId(a) != route);
        link.resume();
        Await.until(Duration.ofSeconds(30), "A to redial B", () -> routeCount(a) == 1 && routeCount(b) == 1
                && routeId(a) != route);
        awaitRemoteInterest(a, "bulk", 1);
        received.clear();
        publish(onA, "bulk", 0, 100);
        Await.until(WAIT, "traffic on the new route", () -> received.size() == 100);
    }

    /** A dials B through a link, with the given write deadline; B's client collects "bulk". */
    private record SlowPair(Broker a, Broker b, TcpLink link, Connection onA, List<Integer> received) {
    }

    private SlowPair slowPair(Duration writeDeadline) throws Exception {
        Broker b = broker("B", List.of(), null, null);
        TcpLink link = linkTo(b);
        Broker a = broker("A", List.of(link.routeUrl()), null, writeDeadline);
        awaitMesh(a, b);
        Connection onA = keep(connect(a));
        Connection onB = keep(connect(b));
        List<Integer> received = collect(onB, "bulk");
        awaitRemoteInterest(a, "bulk", 1);
        return new SlowPair(a, b, link, onA, received);
    }

    /** About 1 KiB: the number, then spaces (read back with trim). */
    private static byte[] padded(int number) {
        byte[] payload = new byte[1000];
        java.util.Arrays.fill(payload, (byte) ' ');
        byte[] digits = Integer.toString(number).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(digits, 0, payload, 0, digits.length);
        return payload;
    }

    private static List<Integer> range(int from, int to) {
        List<Integer> numbers = new ArrayList<>();
        for (int i = from; i < to; i++) {
            numbers.add(i);
        }
        return numbers;
    }

    /** A port on 127.0.0.1 that nothing listens on (bound and released at once). */
    private static int closedPort() throws java.io.IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
