package io.natsee.ra.streaming;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.natsee.ra.streaming.SubscriptionOptions.StartPosition;
import io.natsee.ra.support.Await;
import io.natsee.ra.support.TestBroker;
import io.natsee.ra.support.TestStreamingServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Timer;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The adapter's streaming client and the Java streaming client 2.2.3 on one streaming server:
 * each receives what the other published, and a durable made by one is resumed by the other.
 */
class JavaStreamingClientJudgeTest {

    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final String CLUSTER = "judge-cluster";
    private static ClassLoader javaClient;

    private TestBroker broker;
    private TestStreamingServer server;
    private Connection nats;
    private Timer timer;
    private ExecutorService executor;

    @BeforeAll
    static void loadTheJavaClient() throws Exception {
        javaClient = JavaStreamingClient.loader();
    }

    @BeforeEach
    void setUp() throws Exception {
        broker = TestBroker.start();
        server = TestStreamingServer.start(broker, CLUSTER);
        nats = Nats.connect(broker.url());
        timer = new Timer(true);
        executor = Executors.newCachedThreadPool();
    }

    @AfterEach
    void tearDown() throws Exception {
        nats.close();
        timer.cancel();
        executor.shutdownNow();
        server.close();
        broker.close();
    }

    private StreamingClient ours(String clientId) {
        return StreamingClient.connect(nats, StreamingClientOptions.of(CLUSTER, clientId), timer, executor);
    }

    @Test
    void theAdapterReceivesWhatTheJavaClientPublished() throws Exception {
        try (JavaStreamingClient java = JavaStreamingClient.connect(javaClient, broker.url(), CLUSTER, "java-publisher")) {
            for (int i = 1; i <= 20; i++) {
                java.publish("judge.in", ("j" + i).getBytes(UTF_8));
            }
        }
        StreamingClient client = ours("adapter-reader");
        List<String> received = Collections.synchronizedList(new ArrayList<>());
        client.subscribe(SubscriptionOptions.newOnly("judge.in").startingAt(StartPosition.ALL, 0, null, null), message -> {
            received.add(new String(message.data(), UTF_8) + ":" + message.sequence());
            message.ack();
        });
        Await.until(WAIT, "20 messages", () -> received.size() == 20);
        List<String> expected = new ArrayList<>();
        for (int i = 1; i <= 20; i++) {
            expected.add("j" + i + ":" + i);
        }
        assertEquals(expected, received);
        client.close();
    }

    @Test
    void theJavaClientReceivesWhatTheAdapterPublished() throws Exception {
        StreamingClient client = ours("adapter-publisher");
        List<java.util.concurrent.CompletableFuture<String>> acks = new ArrayList<>();
        for (int i = 1; i <= 20; i++) {
            acks.add(client.publishAsync("judge.out", ("a" + i).getBytes(UTF_8)));
        }
        acks.forEach(java.util.concurrent.CompletableFuture::join);
        List<String> received = Collections.synchronizedList(new ArrayList<>());
        try (JavaStreamingClient java = JavaStreamingClient.connect(javaClient, broker.url(), CLUSTER, "java-reader")) {
            java.subscribeAll("judge.out", null, received::add);
            Await.until(WAIT, "20 messages", () -> received.size() == 20);
        }
        List<String> expected = new ArrayList<>();
        for (int i = 1; i <= 20; i++) {
            expected.add("a" + i + ":" + i + ":false");
        }
        assertEquals(expected, received);
        client.close();
    }

    @Test
    void theJavaClientResumesADurableTheAdapterLeftWithAnUnacknowledgedMessage() throws Exception {
        StreamingClient publisher = ours("durable-publisher");
        for (int i = 1; i <= 5; i++) {
            publisher.publish("judge.durable", ("d" + i).getBytes(UTF_8));
        }
        StreamingClient first = ours("durable-owner");
        List<Long> seen = Collections.synchronizedList(new ArrayList<>());
        StreamingSubscription subscription = first.subscribe(SubscriptionOptions.newOnly("judge.durable").durable("D")
                .startingAt(StartPosition.ALL, 0, null, null).limits(1, Duration.ofSeconds(30)), message -> {
                    seen.add(message.sequence());
                    if (message.sequence() < 3) {
                        message.ack(); // 3 stays unacknowledged
                    }
                });
        Await.until(WAIT, "three deliveries", () -> seen.size() == 3);
        subscription.close();
        first.close();

        List<String> resumed = Collections.synchronizedList(new ArrayList<>());
        try (JavaStreamingClient java = JavaStreamingClient.connect(javaClient, broker.url(), CLUSTER, "durable-owner")) {
            java.subscribeAll("judge.durable", "D", resumed::add);
            Await.until(WAIT, "3, 4 and 5", () -> resumed.size() >= 3);
        }
        assertEquals(List.of("d3:3:true", "d4:4:false", "d5:5:false"), resumed);
        publisher.close();
    }
}
