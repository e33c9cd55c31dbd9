package io.natsee.streaming.ee;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.natsee.broker.Broker;
import io.natsee.broker.BrokerOptions;
import io.natsee.streaming.server.StreamingServer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

/** {@code /streaming/isFTActive} answers as the reference's monitoring port: 200 on the active member of an FT group only. */
class StreamingMonitorResourceTest {

    private final ThreadFactory threads = task -> {
        Thread thread = new Thread(task, "monitor-resource-test");
        thread.setDaemon(true);
        return thread;
    };

    @Test
    void isFTActiveAnswers200OnlyOnTheActiveMemberOfAnFtGroup() throws Exception {
        int port = freePort();
        Broker broker = new Broker(BrokerOptions.builder().host("127.0.0.1").port(port).httpPort(0).build(), threads);
        broker.start();
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:monitor-ft-" + port + ";DB_CLOSE_DELAY=-1");
        StreamingConfiguration.Settings settings = StreamingConfiguration.settings(Map.of("nats.port", Integer.toString(port),
                "store", "SQL", "sql_datasource", "jdbc/streaming", "ft_group", "monitor-ft", "broker_wait", "10s"), name -> h2);
        StreamingServer active = StreamingLifecycle.startServer(settings, threads);
        StreamingServer standby = null;
        try {
            awaitState(active, "FT_ACTIVE");
            standby = StreamingLifecycle.startServer(settings, threads);
            assertEquals("FT_STANDBY", standby.stateName());
            assertEquals(200, StreamingMonitorResource.ftActiveStatus(active));
            assertEquals(204, StreamingMonitorResource.ftActiveStatus(standby));
            assertEquals(204, StreamingMonitorResource.ftActiveStatus(null), "no server running");
        } finally {
            if (standby != null) {
                standby.close();
            }
            active.close();
            broker.close();
        }
    }

    @Test
    void isFTActiveAnswers204OutsideAnFtGroup() throws Exception {
        int port = freePort();
        Broker broker = new Broker(BrokerOptions.builder().host("127.0.0.1").port(port).httpPort(0).build(), threads);
        broker.start();
        StreamingServer server = StreamingLifecycle.startServer(StreamingConfiguration.settings(
                Map.of("nats.port", Integer.toString(port), "store", "MEMORY", "broker_wait", "10s")), threads);
        try {
            assertEquals("STANDALONE", server.stateName());
            assertEquals(204, StreamingMonitorResource.ftActiveStatus(server));
        } finally {
            server.close();
            broker.close();
        }
    }

    private static void awaitState(StreamingServer server, String state) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!state.equals(server.stateName()) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(state, server.stateName());
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
