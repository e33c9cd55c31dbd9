package io.natsee.broker.monitor;

import io.natsee.broker.Broker;
import io.natsee.broker.BrokerOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class MonitorServiceTest {

    private Broker broker;
    private MonitorService monitor;

    @BeforeEach
    void start() throws IOException {
        BrokerOptions options = BrokerOptions.builder()
                .host("127.0.0.1").port(-1).serverName("monitor-test").maxSubscriptions(7).build();
        broker = new Broker(options);
        broker.start();
        monitor = broker.monitor();
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    @Test
    void varzDescribesTheRunningBroker() {
        Varz varz = monitor.varz();
        assertEquals(broker.serverId(), varz.serverId());
        assertEquals("monitor-test", varz.serverName());
        assertEquals("2.9.10", varz.version());
        assertEquals(1, varz.proto());
        assertTrue(varz.go().startsWith("java"), varz.go());
        assertEquals("127.0.0.1", varz.host());
        assertEquals(broker.port(), varz.port());
        assertTrue(varz.port() > 0);
        assertEquals(7, varz.maxSubscriptions());
        assertEquals(Duration.ofMinutes(2), varz.pingInterval());
        assertEquals(Duration.ofSeconds(10), varz.writeDeadline());
        assertEquals(2.0, varz.authTimeout());
        assertEquals(0, varz.httpPort());
        assertEquals(broker.startTime(), varz.start());
        assertEquals(broker.startTime(), varz.configLoadTime());
        assertFalse(varz.now().isBefore(varz.start()));
        assertTrue(varz.mem() > 0);
        assertEquals(Runtime.getRuntime().availableProcessors(), varz.cores());
        assertEquals(varz.cores(), varz.gomaxprocs());
        assertTrue(varz.cpu() >= 0);
        assertEquals("$SYS", varz.systemAccount());
        assertEquals(Map.of(), varz.httpRequestStats());
    }

    @Test
    void varzCountsTrafficAndConnections() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", broker.port())) {
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            assertTrue(in.readLine().startsWith("INFO "));
            OutputStream out = socket.getOutputStream();
            out.write("CONNECT {\"verbose\":false}\r\nSUB foo 1\r\nPUB foo 5\r\nhello\r\nPING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertEquals("MSG foo 1 5", in.readLine());
            assertEquals("hello", in.readLine());
            assertEquals("PONG", in.readLine());

            awaitUntil(() -> {
                Varz varz = monitor.varz();
                return varz.connections() == 1 && varz.inMsgs() == 1 && varz.outMsgs() == 1;
            });
            Varz varz = monitor.varz();
            assertEquals(1, varz.totalConnections());
            assertEquals(1, varz.subscriptions());
            assertEquals(5, varz.inBytes());
            assertEquals(5, varz.outBytes());
            assertEquals(0, varz.slowConsumers());
        }
        awaitUntil(() -> monitor.varz().connections() == 0);
        assertEquals(1, monitor.varz().totalConnections());
    }

    @Test
    void varzShowsAuthorizationAndItsTimeout() throws IOException {
        BrokerOptions options = BrokerOptions.builder().host("127.0.0.1").port(-1)
                .authorization(new io.natsee.broker.auth.AuthOptions("user", "secret", null, java.util.List.of(), null,
                        Duration.ofMillis(1500)))
                .build();
        try (Broker secured = new Broker(options)) {
            secured.start();
            Varz varz = secured.monitor().varz();
            assertTrue(varz.authRequired());
            assertEquals(1.5, varz.authTimeout());
            assertFalse(varz.tlsRequired());
            assertEquals(2.0, varz.tlsTimeout());
        }
    }

    @Test
    void uptimeFollowsTheClock() {
        Instant start = broker.startTime();
        MonitorService later = new MonitorService(broker.monitorSource(),
                java.time.Clock.fixed(start.plusSeconds(3723), java.time.ZoneOffset.UTC));
        assertEquals("1h2m3s", later.varz().uptime());
    }

    @Test
    void httpRequestsAreCountedPerPath() {
        monitor.countHttpRequest("/varz");
        monitor.countHttpRequest("/healthz");
        monitor.countHttpRequest("/varz");
        assertEquals(Map.of("/varz", 2L, "/healthz", 1L), monitor.varz().httpRequestStats());
    }

    @Test
    void healthzIsOkWhileServing() {
        assertEquals(Healthz.ok(), monitor.healthz());
        assertTrue(monitor.healthz().healthy());
    }

    private static void awaitUntil(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("condition not met within 5 s");
            }
            Thread.sleep(10);
        }
    }
}
