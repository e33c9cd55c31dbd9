package io.natsee.broker.server;

import static io.natsee.broker.support.Frames.msg;
import static io.natsee.broker.support.Frames.pub;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.natsee.broker.Broker;
import io.natsee.broker.support.Await;
import io.natsee.broker.support.NatseeServer;
import io.natsee.broker.support.ProtocolClient;
import io.natsee.broker.support.TestServer;

/**
 * The two slow-consumer triggers seen from inside the broker: which close reason the connection
 * gets, that {@link io.natsee.broker.BrokerStatistics#slowConsumers()} and {@code /varz}
 * {@code slow_consumers} count it once, and that the connection leaves the registry. The
 * black-box half (no -ERR, others unaffected) is in {@code blackbox.PressureContract} and
 * {@code blackbox.ProtocolErrorsContract}.
 */
@Timeout(30)
class SlowConsumerTest {

    private final Deque<AutoCloseable> resources = new ArrayDeque<>();

    @AfterEach
    void closeResources() throws Exception {
        while (!resources.isEmpty()) {
            resources.pop().close();
        }
    }

    @Test
    void writeDeadlineClosesAConsumerThatStopsReadingAndCountsIt() {
        NatseeServer server = track(NatseeServer.start(TestServer.Options.defaults()
                .withMaxPending(64L * 1024 * 1024).withWriteDeadline(Duration.ofSeconds(1))));
        Broker broker = server.broker();
        ProtocolClient slow = slowSubscriber(server, "big", "1");
        ClientConnection slowConnection = connectionSubscribedTo(broker, "big");
        ProtocolClient publisher = track(ProtocolClient.quiet(server));

        // 20 MB: more than the socket buffers hold, less than half of max_pending.
        String batch = pub("big", null, "x".repeat(64 * 1024)).repeat(16);
        for (int i = 0; i < 20; i++) {
            publisher.send(batch).ping();
        }
        Await.until(Duration.ofSeconds(8), "the write deadline to close the consumer",
                () -> broker.statistics().slowConsumers() == 1);
        Await.until(Duration.ofSeconds(5), "the consumer to leave the registry",
                () -> broker.statistics().connections() == 1);
        assertEquals(CloseReason.SLOW_CONSUMER_WRITE_DEADLINE, slowConnection.closeReason());
        assertEquals(1, broker.monitor().varz().slowConsumers());
        assertEquals(0, broker.statistics().subscriptions(), "the consumer's subscription is gone");

        publisher.ping();
        assertEquals(1, broker.statistics().slowConsumers(), "counted once");
        slow.drainUntilClosed(Duration.ofSeconds(10), chunk -> { });
    }

    @Test
    void pendingBytesOverMaxPendingClosesTheConsumerAndCountsIt() {
        NatseeServer server = track(NatseeServer.start(TestServer.Options.defaults()
                .withMaxPending(64 * 1024).withMaxPayload(64 * 1024)));
        Broker broker = server.broker();
        ProtocolClient slow = slowSubscriber(server, "big", "1");
        ClientConnection slowConnection = connectionSubscribedTo(broker, "big");
        ProtocolClient publisher = track(ProtocolClient.quiet(server));
        assertEquals(2, broker.statistics().connections());
        assertEquals(0, broker.monitor().varz().slowConsumers());

        String batch = pub("big", null, "x".repeat(32 * 1024)).repeat(32);
        for (int i = 0; i < 8 && broker.statistics().slowConsumers() == 0; i++) {
            publisher.send(batch).ping();
        }
        Await.until(Duration.ofSeconds(5), "the consumer to be counted as slow",
                () -> broker.statistics().slowConsumers() == 1);
        Await.until(Duration.ofSeconds(5), "the connection count to go back down",
                () -> broker.statistics().connections() == 1);
        assertEquals(CloseReason.SLOW_CONSUMER_PENDING_BYTES, slowConnection.closeReason());
        assertEquals(1, broker.monitor().varz().slowConsumers());
        assertEquals(1, broker.monitor().varz().connections());

        // More traffic to the same subject does not count the closed consumer again.
        publisher.send(batch).ping();
        assertEquals(1, broker.statistics().slowConsumers());
        slow.drainUntilClosed(Duration.ofSeconds(10), chunk -> { });

        ProtocolClient other = track(ProtocolClient.quiet(server));
        other.send("SUB big 2\r\nPING\r\n").expect("PONG\r\n");
        publisher.send(pub("big", null, "after"));
        other.expect(msg("big", "2", null, "after"));
        assertTrue(broker.statistics().totalConnections() >= 3);
    }

    private ProtocolClient slowSubscriber(TestServer server, String subject, String sid) {
        ProtocolClient client = track(ProtocolClient.openRaw(server.host(), server.port(), 4096));
        client.readInfo();
        client.send("CONNECT {\"verbose\":false}\r\nSUB " + subject + " " + sid + "\r\nPING\r\n").expect("PONG\r\n");
        return client;
    }

    private static ClientConnection connectionSubscribedTo(Broker broker, String subject) {
        return broker.server().connections().stream()
                .filter(c -> c.subscriptionsSnapshot().stream().anyMatch(s -> s.subject().equals(subject)))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no connection subscribed to " + subject));
    }

    private <T extends AutoCloseable> T track(T resource) {
        resources.push(resource);
        return resource;
    }
}
