package io.natsee.broker.ee;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.natsee.broker.Broker;
import io.natsee.broker.BrokerOptions;
import io.natsee.broker.monitor.MonitorHttpServer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ThreadFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The monitoring port the broker serves inside an application server (its default, its switch, its endpoints). */
class MonitorPortTest {

    private static final ThreadFactory THREADS = task -> {
        Thread thread = new Thread(task, "monitor-port-test");
        thread.setDaemon(true);
        return thread;
    };

    @Test
    void itDefaultsTo8222AndAKeyOrTheFileChangesOrSwitchesItOff(@TempDir Path dir) throws Exception {
        assertEquals(8222, BrokerConfiguration.options(Map.of()).httpPort());
        assertEquals(9333, BrokerConfiguration.options(Map.of("http_port", "9333")).httpPort());
        assertEquals(0, BrokerConfiguration.options(Map.of("http_port", "0")).httpPort());
        assertEquals(0, BrokerConfiguration.options(Map.of("monitor_port", "0")).httpPort());
        Path file = dir.resolve("nats.conf");
        Files.writeString(file, "http_port: 9444\n");
        assertEquals(9444, BrokerConfiguration.options(Map.of("config_file", file.toString())).httpPort());
        assertEquals(9555, BrokerConfiguration.options(Map.of("config_file", file.toString(), "http_port", "9555")).httpPort());
    }

    @Test
    void switchedOffItBindsNothing() {
        Broker broker = new Broker(BrokerOptions.builder().host("127.0.0.1").port(-1).httpPort(0).build(), THREADS);
        assertNull(BrokerLifecycle.startMonitorPort(broker, THREADS));
    }

    @Test
    void itServesNatsServersPathsAtItsRootAndCountsWhatClientsDid() throws Exception {
        Broker broker = new Broker(BrokerOptions.builder().host("127.0.0.1").port(-1).httpPort(-1).build(), THREADS);
        MonitorHttpServer http = BrokerLifecycle.startMonitorPort(broker, THREADS);
        try {
            broker.start();
            assertTrue(broker.awaitReady(Duration.ofSeconds(5)));
            String base = "http://127.0.0.1:" + http.address().getPort();
            try (Connection nc = Nats.connect("nats://127.0.0.1:" + broker.port())) {
                nc.subscribe("monitor.port");
                nc.publish("monitor.port", new byte[3]);
                nc.flush(Duration.ofSeconds(2));
                HttpClient client = HttpClient.newHttpClient();
                HttpResponse<String> varz = get(client, base + "/varz");
                assertEquals(200, varz.statusCode());
                assertTrue(varz.body().contains("\"port\": " + broker.port()), varz.body());
                assertTrue(varz.body().contains("\"in_msgs\": 1,"), varz.body());
                assertTrue(varz.body().contains("\"http_port\": "), varz.body());
                HttpResponse<String> connz = get(client, base + "/connz?subs=1");
                assertEquals(200, connz.statusCode());
                assertTrue(connz.body().contains("\"num_connections\": 1,"), connz.body());
                assertTrue(connz.body().contains("\"monitor.port\""), connz.body());
                assertEquals("{\"status\":\"ok\"}", get(client, base + "/healthz").body());
                assertTrue(get(client, base + "/metrics").body().contains("gnatsd_varz_in_msgs"));
                assertEquals(404, get(client, base + "/broker/varz").statusCode());
            }
        } finally {
            http.close();
            broker.close();
        }
    }

    @Test
    void aPortInUseFailsWithNatsServersWordsAndTheKeyToChange() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Broker broker = new Broker(BrokerOptions.builder().host("127.0.0.1").port(-1)
                    .httpPort(taken.getLocalPort()).build(), THREADS);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> BrokerLifecycle.startMonitorPort(broker, THREADS));
            assertTrue(e.getMessage().contains("can't listen to the monitor port: 127.0.0.1:" + taken.getLocalPort()), e.getMessage());
            assertTrue(e.getMessage().contains("nats.http_port"), e.getMessage());
            assertFalse(broker.isRunning());
        }
    }

    private static HttpResponse<String> get(HttpClient client, String url) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
