package io.natsee.broker.ee;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.natsee.broker.Broker;
import io.natsee.broker.BrokerOptions;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BrokerConfigurationTest {

    @Test
    void environmentVariablesMapToKeysAndSystemPropertiesOverrideThem() {
        Properties system = new Properties();
        system.setProperty("nats.port", "5222");
        system.setProperty("nats.max-payload", "2MB");
        system.setProperty("other.port", "1");
        Map<String, String> settings = BrokerConfiguration.read(
                Map.of("NATS_PORT", "4333", "NATS_HOST", "127.0.0.1", "PATH", "/bin"), system, null);
        assertEquals(Map.of("port", "5222", "host", "127.0.0.1", "max_payload", "2MB"), settings);
    }

    @Test
    void aLookupDecidesTheValues() {
        Properties system = new Properties();
        system.setProperty("nats.port", "5222");
        Map<String, String> settings = BrokerConfiguration.read(Map.of("NATS_SERVER_NAME", "x"), system, name -> "v-" + name);
        assertEquals(Map.of("port", "v-nats.port", "server_name", "v-nats.SERVER_NAME"), settings);
    }

    @Test
    void keysOverrideTheConfigurationFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("nats.conf");
        Files.writeString(file, "port: 4999\nserver_name: from-file\nmax_payload: 64KB\n");
        BrokerOptions options = BrokerConfiguration.options(Map.of("config_file", file.toString(), "port", "5001"));
        assertEquals(5001, options.port());
        assertEquals("from-file", options.serverName());
        assertEquals(65536, options.maxPayload());
        assertEquals(file, options.configFile());
    }

    @Test
    void aBadValueNamesItsKey() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BrokerConfiguration.options(Map.of("port", "many")));
        assertTrue(e.getMessage().contains("nats.port"), e.getMessage());
    }

    @Test
    void startedAndStoppedTwiceOnTheGivenThreadsWithNothingLeft() throws Exception {
        AtomicInteger created = new AtomicInteger();
        for (int round = 0; round < 2; round++) {
            System.setProperty("nats.host", "127.0.0.1");
            System.setProperty("nats.port", "-1");
            Broker broker;
            try {
                broker = BrokerLifecycle.startBroker(task -> {
                    created.incrementAndGet();
                    Thread thread = new Thread(task, "managed-test-thread");
                    thread.setDaemon(true);
                    return thread;
                });
            } finally {
                System.clearProperty("nats.host");
                System.clearProperty("nats.port");
            }
            assertTrue(broker.awaitReady(Duration.ofSeconds(5)));
            int port = broker.port();
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            }
            broker.close();
            assertFalse(accepts(port), "port " + port + " still open");
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (threads() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(0, threads(), "IO threads left");
        }
        assertTrue(created.get() > 0, "the factory made the IO threads");
    }

    private static long threads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("managed-test-thread") && t.isAlive()).count();
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (Exception e) {
            return false;
        }
    }
}
