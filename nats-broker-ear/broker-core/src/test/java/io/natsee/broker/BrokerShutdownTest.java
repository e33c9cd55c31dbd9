package io.natsee.broker;

import static io.natsee.broker.support.Frames.msg;
import static io.natsee.broker.support.Frames.pub;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.natsee.broker.support.Await;
import io.natsee.broker.support.NatseeServer;
import io.natsee.broker.support.ProtocolClient;
import io.natsee.broker.support.TestServer;

/**
 * {@link Broker#close()} under load: what is queued for a client is delivered before its
 * connection closes, the port stops accepting, the IO threads end; and two brokers in one JVM do
 * not share anything.
 */
@Timeout(30)
class BrokerShutdownTest {

    private final Deque<AutoCloseable> resources = new ArrayDeque<>();

    @AfterEach
    void closeResources() throws Exception {
        while (!resources.isEmpty()) {
            resources.pop().close();
        }
    }

    @Test
    void closeFlushesWhatIsQueuedForASubscriberThenClosesIt() throws Exception {
        Set<Thread> before = ioThreads();
        NatseeServer server = track(NatseeServer.start(TestServer.Options.defaults()));
        Broker broker = server.broker();

        ProtocolClient subscriber = track(ProtocolClient.openRaw(server.host(), server.port(), 4096));
        subscriber.readInfo();
        subscriber.send("CONNECT {\"verbose\":false}\r\nSUB burst 1\r\nPING\r\n").expect("PONG\r\n");
        ProtocolClient publisher = track(ProtocolClient.quiet(server));

        // 4 MB the subscriber does not read: most of it waits in the broker, not in socket buffers.
        int count = 1000;
        String padding = "q".repeat(4096 - 8);
        StringBuilder burst = new StringBuilder(count * 4200);
        for (int i = 0; i < count; i++) {
            burst.append(pub("burst", null, String.format("%08d", i) + padding));
        }
        publisher.send(burst.toString()).ping();
        assertEquals(count, broker.statistics().outMsgs(), "the broker has taken every message");

        // Netty starts a loop's thread when it gets its first channel: collect them only now.
        Set<Thread> ours = ioThreads();
        ours.removeAll(before);
        AtomicReference<Throwable> closeFailure = new AtomicReference<>();
        Thread closer = new Thread(() -> {
            try {
                broker.close();
            } catch (Throwable e) {
                closeFailure.set(e);
            }
        }, "broker-closer");
        closer.start();

        subscriber.timeout(Duration.ofSeconds(10));
        for (int i = 0; i < count; i++) {
            ProtocolClient.Msg message = subscriber.readMsg();
            assertEquals(String.format("%08d", i),
                    new String(message.payload(), 0, 8, StandardCharsets.ISO_8859_1), "message " + i);
        }
        subscriber.expectClosed();
        publisher.timeout(Duration.ofSeconds(10)).expectClosed();

        closer.join(Duration.ofSeconds(15).toMillis());
        assertFalse(closer.isAlive(), "close() did not return");
        if (closeFailure.get() != null) {
            throw new AssertionError("close() failed", closeFailure.get());
        }
        assertFalse(broker.isRunning());
        assertRefused(server.host(), server.port());
        assertFalse(ours.isEmpty(), "the broker's natsee-io threads were not found");
        Await.until(Duration.ofSeconds(5), "the broker's natsee-io threads to end",
                () -> ours.stream().noneMatch(Thread::isAlive));
        broker.close();
    }

    @Test
    void closeOfAnIdleBrokerClosesItsClientsAndThePort() {
        NatseeServer server = track(NatseeServer.start(TestServer.Options.defaults()));
        ProtocolClient client = track(ProtocolClient.quiet(server));
        client.send("SUB idle 1\r\nPING\r\n").expect("PONG\r\n");
        server.broker().close();
        client.expectClosed();
        assertRefused(server.host(), server.port());
        assertEquals(0, server.broker().statistics().connections());
    }

    @Test
    void twoBrokersInOneJvmAreIndependent() {
        NatseeServer first = track(NatseeServer.start(TestServer.Options.defaults()));
        NatseeServer second = track(NatseeServer.start(TestServer.Options.defaults()));
        assertNotEquals(first.port(), second.port());
        assertNotEquals(first.broker().serverId(), second.broker().serverId());

        ProtocolClient onFirst = track(ProtocolClient.quiet(first));
        ProtocolClient onSecond = track(ProtocolClient.quiet(second));
        onFirst.send("SUB shared 1\r\nPING\r\n").expect("PONG\r\n");
        onSecond.send("SUB shared 1\r\nPING\r\n").expect("PONG\r\n");
        onFirst.send(pub("shared", null, "one") + "PING\r\n").expect(msg("shared", "1", null, "one") + "PONG\r\n");
        onSecond.send(pub("shared", null, "two") + "PING\r\n").expect(msg("shared", "1", null, "two") + "PONG\r\n");
        assertEquals(1, first.broker().statistics().inMsgs());
        assertEquals(1, second.broker().statistics().inMsgs());
        assertEquals(1, first.broker().statistics().subscriptions());

        first.close();
        onFirst.expectClosed();
        assertRefused(first.host(), first.port());
        onSecond.send(pub("shared", null, "still") + "PING\r\n").expect(msg("shared", "1", null, "still") + "PONG\r\n");
        assertTrue(second.broker().isRunning());
        assertEquals(1, second.broker().statistics().connections());
    }

    private static void assertRefused(String host, int port) {
        assertThrows(IOException.class, () -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(host, port), 1000);
            }
        }, "port " + port + " still accepts after close()");
    }

    /** The live IO threads of every broker in this JVM that uses the default thread factory. */
    private static Set<Thread> ioThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("natsee-io"))
                .collect(Collectors.toSet());
    }

    private <T extends AutoCloseable> T track(T resource) {
        resources.push(resource);
        return resource;
    }
}
