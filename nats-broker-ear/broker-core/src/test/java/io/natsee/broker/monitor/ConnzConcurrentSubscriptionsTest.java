package io.natsee.broker.monitor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.natsee.broker.Broker;
import io.natsee.broker.BrokerOptions;
import io.natsee.broker.support.ProtocolClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code /connz?subs=1} read over HTTP while the client's event loop adds and removes
 * subscriptions as fast as it can: every answer lists the subscriptions that never change, and
 * the count beside the list always equals the list's length (never an empty or torn list).
 */
class ConnzConcurrentSubscriptionsTest {

    private static final int STABLE = 5;
    /** Reads at least this many answers, for at least {@link #RUN}, and gives up after {@link #LIMIT}. */
    private static final int READS = 40;
    private static final Duration RUN = Duration.ofSeconds(1);
    private static final Duration LIMIT = Duration.ofSeconds(20);

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();
    private Broker broker;
    private MonitorHttpServer http;

    @BeforeEach
    void start() throws Exception {
        broker = new Broker(BrokerOptions.builder().host("127.0.0.1").port(-1).build());
        broker.start();
        http = new MonitorHttpServer(broker.monitor(), "127.0.0.1", -1, Executors.defaultThreadFactory(), "connz test");
        http.start();
    }

    @AfterEach
    void stop() {
        http.close();
        broker.close();
    }

    @Test
    void subscriptionsListIsWholeWhileTheyChange() throws Exception {
        try (ProtocolClient subscriber = ProtocolClient.openRaw("127.0.0.1", broker.port())) {
            subscriber.readInfo();
            StringBuilder stable = new StringBuilder("CONNECT {\"verbose\":false}\r\n");
            for (int i = 0; i < STABLE; i++) {
                stable.append("SUB stable.").append(i).append(" s").append(i).append("\r\n");
            }
            subscriber.send(stable.toString()).ping();

            AtomicBoolean running = new AtomicBoolean(true);
            AtomicLong churned = new AtomicLong();
            Thread churn = new Thread(() -> {
                StringBuilder batch = new StringBuilder();
                int n = 0;
                while (running.get()) {
                    batch.setLength(0);
                    for (int k = 0; k < 50; k++, n++) {
                        batch.append("SUB churn.").append(n).append(" c").append(n).append("\r\n")
                                .append("UNSUB c").append(n - 3 < 0 ? n : n - 3).append("\r\n");
                    }
                    if (!subscriber.trySend(batch.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII))) {
                        return;
                    }
                    churned.addAndGet(50);
                    // Leave the second core to the monitoring reads now and then (2-core machines).
                    java.util.concurrent.locks.LockSupport.parkNanos(200_000);
                }
            }, "connz-test-churn");
            churn.setDaemon(true);
            churn.start();

            String base = "http://127.0.0.1:" + http.address().getPort();
            long begin = System.nanoTime();
            int reads = 0;
            try {
                while ((reads < READS || System.nanoTime() - begin < RUN.toNanos())
                        && System.nanoTime() - begin < LIMIT.toNanos()) {
                    for (String query : new String[] {"/connz?subs=1", "/connz?subs=detail"}) {
                        HttpResponse<String> answer = client.send(HttpRequest.newBuilder(URI.create(base + query))
                                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                        assertEquals(200, answer.statusCode(), answer.body());
                        JsonNode connections = json.readTree(answer.body()).path("connections");
                        assertEquals(1, connections.size(), answer.body());
                        JsonNode connection = connections.get(0);
                        boolean detail = query.endsWith("detail");
                        JsonNode list = connection.path(detail ? "subscriptions_list_detail" : "subscriptions_list");
                        Set<String> subjects = new HashSet<>();
                        list.forEach(entry -> subjects.add(detail ? entry.path("subject").asText() : entry.asText()));
                        for (int i = 0; i < STABLE; i++) {
                            assertTrue(subjects.contains("stable." + i), query + " lost stable." + i + ": " + list);
                        }
                        assertEquals(connection.path("subscriptions").asInt(), list.size(),
                                query + ": count and list disagree: " + connection);
                        reads++;
                    }
                }
            } finally {
                running.set(false);
                churn.join(5000);
            }
            System.out.printf("connz under churn: %d reads, %d subscribe/unsubscribe pairs%n", reads, churned.get());
            assertTrue(churned.get() > 1000, "the churn thread hardly ran: " + churned.get());
            assertTrue(reads >= READS, "too few monitoring reads: " + reads);
        }
    }
}
