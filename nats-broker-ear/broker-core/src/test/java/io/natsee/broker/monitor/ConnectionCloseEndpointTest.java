package io.natsee.broker.monitor;

import io.natsee.broker.Broker;
import io.natsee.broker.BrokerOptions;
import io.natsee.broker.ConnectionControl;
import io.natsee.broker.support.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code POST /connz/close}: the operator's close-connection action and who may use it. */
class ConnectionCloseEndpointTest {

    private static final String TOKEN = "s3cret-token";

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Broker broker;
    private MonitorHttpServer http;
    private String base;

    @BeforeEach
    void start() throws IOException {
        broker = new Broker(BrokerOptions.builder().host("127.0.0.1").port(-1).build());
        broker.start();
        http = new MonitorHttpServer(broker.monitor(), "127.0.0.1", -1, Executors.defaultThreadFactory(), "test");
        http.allowClosingConnections(new ConnectionControl(broker)::close, TOKEN);
        http.start();
        base = "http://127.0.0.1:" + http.address().getPort();
    }

    @AfterEach
    void stop() {
        http.close();
        broker.close();
    }

    private HttpResponse<String> send(String method, String path, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(5))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private Socket connectClient() throws IOException {
        Socket socket = new Socket("127.0.0.1", broker.port());
        socket.setSoTimeout(5000);
        OutputStream out = socket.getOutputStream();
        out.write("CONNECT {\"verbose\":false}\r\nPING\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return socket;
    }

    private long onlyCid() throws Exception {
        Await.until(Duration.ofSeconds(5), () -> broker.monitor().connz(ConnzQuery.defaults()).connections().size() == 1);
        return broker.monitor().connz(ConnzQuery.defaults()).connections().get(0).cid();
    }

    @Test
    void anOperatorWithTheTokenClosesTheConnectionAndItIsRememberedAsKicked() throws Exception {
        try (Socket socket = connectClient()) {
            long cid = onlyCid();
            HttpResponse<String> answer = send("POST", "/connz/close?cid=" + cid, "Bearer " + TOKEN);
            assertEquals(200, answer.statusCode(), answer.body());
            assertEquals("{\"closed\":" + cid + "}", answer.body());
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[4096];
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            int read = 0;
            while (read >= 0 && System.nanoTime() < deadline) {
                try {
                    read = in.read(buffer);
                } catch (java.net.SocketException reset) {
                    read = -1; // closed with our unread bytes still on the wire: a reset is a close too
                }
            }
            assertEquals(-1, read, "the client sees its connection closed");
            Await.until(Duration.ofSeconds(5), () -> broker.monitor().connz(ConnzQuery.defaults()).connections().isEmpty());
            ConnzQuery closed = new ConnzQuery(ConnzQuery.Sort.CID, false, false, false, 0, 10, cid, ConnzQuery.State.CLOSED, "", "");
            assertEquals("Kicked", broker.monitor().connz(closed).connections().get(0).reason());
        }
    }

    @Test
    void withoutTheRightTokenNothingIsClosed() throws Exception {
        try (Socket socket = connectClient()) {
            long cid = onlyCid();
            assertEquals(401, send("POST", "/connz/close?cid=" + cid, null).statusCode());
            assertEquals(401, send("POST", "/connz/close?cid=" + cid, "Bearer wrong").statusCode());
            assertEquals(401, send("POST", "/connz/close?cid=" + cid, TOKEN).statusCode());
            assertEquals(405, send("GET", "/connz/close?cid=" + cid, "Bearer " + TOKEN).statusCode());
            assertEquals(1, broker.monitor().connz(ConnzQuery.defaults()).connections().size());
            assertFalse(socket.isClosed());
        }
    }

    @Test
    void anUnknownOrMissingCidIsRefusedAndTheServerKeepsServing() throws Exception {
        HttpResponse<String> unknown = send("POST", "/connz/close?cid=987654", "Bearer " + TOKEN);
        assertEquals(404, unknown.statusCode());
        assertTrue(unknown.body().contains("987654"));
        assertEquals(400, send("POST", "/connz/close", "Bearer " + TOKEN).statusCode());
        assertEquals(400, send("POST", "/connz/close?cid=abc", "Bearer " + TOKEN).statusCode());
        assertEquals(200, send("GET", "/varz", null).statusCode());
    }

    @Test
    void theActionIsUnknownUnlessAllowedAndNeedsAToken() throws Exception {
        try (MonitorHttpServer plain = new MonitorHttpServer(broker.monitor(), "127.0.0.1", -1,
                Executors.defaultThreadFactory(), "test")) {
            plain.start();
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + plain.address().getPort() + "/connz/close?cid=1"))
                    .POST(HttpRequest.BodyPublishers.noBody()).header("Authorization", "Bearer " + TOKEN).build();
            assertEquals(404, client.send(request, HttpResponse.BodyHandlers.ofString()).statusCode());
            assertThrows(IllegalStateException.class, () -> plain.allowClosingConnections(cid -> true, TOKEN));
        }
        assertThrows(IllegalArgumentException.class, () -> new MonitorHttpServer(broker.monitor(), "127.0.0.1", -1,
                Executors.defaultThreadFactory(), "test").allowClosingConnections(cid -> true, " "));
    }
}
