package io.natsee.admin.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.natsee.broker.Broker;
import io.natsee.broker.BrokerOptions;
import io.natsee.broker.ConnectionControl;
import io.natsee.broker.monitor.MonitorHttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The HTTP client against this project's real broker and its monitoring port, and a stub for what it lacks. */
class HttpMonitorClientTest {

    private Broker broker;
    private MonitorHttpServer monitor;
    private HttpServer stub;
    private ServerEndpoint server;
    private HttpMonitorClient client;

    @BeforeEach
    void start() throws IOException {
        broker = new Broker(BrokerOptions.builder().host("127.0.0.1").port(-1).serverName("unit").build());
        broker.start();
        monitor = new MonitorHttpServer(broker.monitor(), "127.0.0.1", -1, Executors.defaultThreadFactory(), "test");
        monitor.allowClosingConnections(new ConnectionControl(broker)::close, "tok");
        monitor.start();
        server = new ServerEndpoint("unit", URI.create("http://127.0.0.1:" + monitor.address().getPort()), "tok");
        stub = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        stub.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            String body = switch (path) {
                case "/streaming/serverz" -> "{\"cluster_id\":\"test-cluster\",\"server_id\":\"S1\",\"version\":\"0.23.2\","
                        + "\"state\":\"FT_ACTIVE\",\"start_time\":\"x\",\"uptime\":\"1s\",\"clients\":1,\"subscriptions\":1,"
                        + "\"channels\":1,\"total_msgs\":3,\"total_bytes\":30,\"in_msgs\":3,\"out_msgs\":3,\"open_fds\":0}";
                case "/streaming/channelsz" -> "{\"count\":1,\"total\":1,\"channels\":[{\"name\":\"orders\",\"msgs\":3,\"bytes\":30,"
                        + "\"first_seq\":1,\"last_seq\":3,\"subs_count\":1,\"subscriptions\":[{\"client_id\":\"c1\",\"inbox\":\"_INBOX.x\","
                        + "\"is_durable\":false,\"is_offline\":false,\"max_inflight\":1,\"ack_wait\":30,\"last_sent\":3,"
                        + "\"pending_count\":1,\"is_stalled\":true}]}]}";
                case "/streaming/clientsz" -> "{\"count\":1,\"total\":1,\"clients\":[{\"id\":\"c1\",\"hb_inbox\":\"_INBOX.hb\","
                        + "\"subscriptions\":{\"orders\":[{\"client_id\":\"c1\",\"is_stalled\":true,\"pending_count\":1}]}}]}";
                case "/routez" -> "{\"server_id\":\"NA\",\"num_routes\":1,\"routes\":[{\"rid\":1,\"remote_id\":\"NB\","
                        + "\"did_solicit\":true,\"ip\":\"127.0.0.1\",\"port\":6222,\"in_msgs\":5,\"out_msgs\":6}]}";
                case "/varz" -> "not json";
                default -> null;
            };
            byte[] bytes = (body == null ? "404 page not found\n" : body).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(body == null ? 404 : 200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        stub.start();
        client = new HttpMonitorClient(List.of(server), server.url(), Duration.ofSeconds(3));
    }

    @AfterEach
    void stop() {
        stub.stop(0);
        monitor.close();
        broker.close();
    }

    private URI stubUrl() {
        return URI.create("http://127.0.0.1:" + stub.getAddress().getPort());
    }

    @Test
    void readsTheBrokersVarzConnzAndSubszWithTheirFieldNames() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", broker.port())) {
            socket.getOutputStream().write(("CONNECT {\"name\":\"reader\",\"lang\":\"java\",\"verbose\":false}\r\n"
                    + "SUB orders.* 1\r\nSUB billing.> q 2\r\nPING\r\n").getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (client.varz(server).subscriptions() < 2 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            ServerVarz varz = client.varz(server);
            assertEquals("unit", varz.serverName());
            assertEquals(broker.serverId(), varz.serverId());
            assertEquals(broker.port(), varz.port());
            assertEquals(1, varz.connections());
            assertEquals(2, varz.subscriptions());
            assertFalse(varz.uptime().isEmpty());

            ConnectionPage page = client.connections(server, ConnectionQuery.firstPage(10));
            assertEquals(1, page.total());
            ConnectionInfo connection = page.connections().get(0);
            assertEquals("reader", connection.name());
            assertEquals("java", connection.lang());
            assertEquals(2, connection.subscriptions());
            ConnectionInfo detail = client.connections(server, ConnectionQuery.single(connection.cid(), false)).connections().get(0);
            assertEquals(2, detail.subscriptionsDetail().size());

            SubscriptionPage all = client.subscriptions(server, "", 0, 100);
            assertEquals(2, all.numSubscriptions());
            assertEquals(2, all.subscriptions().size());
            SubscriptionPage reached = client.subscriptions(server, "billing.eu.paid", 0, 100);
            assertEquals(1, reached.subscriptions().size());
            assertEquals("q", reached.subscriptions().get(0).queue());
            MonitorException invalid = assertThrows(MonitorException.class, () -> client.subscriptions(server, "orders.*", 0, 100));
            assertEquals(400, invalid.status());

            Map<String, Object> document = client.varzDocument(server);
            assertEquals("unit", document.get("server_name"));

            RoutePage noRoutes = client.routes(server).orElseThrow();
            assertEquals(broker.serverId(), noRoutes.serverId());
            assertEquals(0, noRoutes.numRoutes());
            assertTrue(noRoutes.routes().isEmpty(), "a broker without a cluster block has no routes");
            assertTrue(client.streamingServer().isEmpty());

            assertTrue(client.closeConnection(server, connection.cid()));
            assertFalse(client.closeConnection(server, 424242));
        }
    }

    @Test
    void aWrongTokenOrNoActionIsAnErrorNotASuccess() {
        ServerEndpoint wrong = new ServerEndpoint("unit", server.url(), "nope");
        assertEquals(401, assertThrows(MonitorException.class, () -> client.closeConnection(wrong, 1)).status());
        ServerEndpoint none = new ServerEndpoint("unit", server.url(), null);
        assertEquals(401, assertThrows(MonitorException.class, () -> client.closeConnection(none, 1)).status());
        ServerEndpoint stubbed = new ServerEndpoint("stub", stubUrl(), "tok");
        MonitorException unsupported = assertThrows(MonitorException.class, () -> client.closeConnection(stubbed, 1));
        assertEquals(404, unsupported.status());
    }

    @Test
    void readsRoutezAndTheStreamingEndpoints() throws Exception {
        ServerEndpoint stubbed = new ServerEndpoint("stub", stubUrl(), null);
        HttpMonitorClient streaming = new HttpMonitorClient(List.of(stubbed), stubUrl(), Duration.ofSeconds(3));
        RoutePage routes = streaming.routes(stubbed).orElseThrow();
        assertEquals("NB", routes.routes().get(0).remoteId());
        assertEquals(6, routes.routes().get(0).outMsgs());
        assertEquals("FT_ACTIVE", streaming.streamingServer().orElseThrow().state());
        ChannelInfo channel = streaming.channels().get(0);
        assertEquals("orders", channel.name());
        assertEquals(3, channel.lastSeq());
        assertEquals(1, channel.stalledCount());
        assertEquals(1, streaming.streamingClients().get(0).subscriptionCount());
        MonitorException notJson = assertThrows(MonitorException.class, () -> streaming.varz(stubbed));
        assertTrue(notJson.getMessage().contains("not monitoring JSON"));
    }

    @Test
    void anUnreachableServerIsAnErrorWithStatusZero() {
        ServerEndpoint gone = new ServerEndpoint("gone", URI.create("http://127.0.0.1:1"), null);
        MonitorException e = assertThrows(MonitorException.class, () -> client.varz(gone));
        assertEquals(0, e.status());
        assertTrue(e.getMessage().contains("unreachable"));
    }
}
