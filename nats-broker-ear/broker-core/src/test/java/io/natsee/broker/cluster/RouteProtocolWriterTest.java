package io.natsee.broker.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The writer's lines for what the captures do not hold, and the JSON of records this server builds. */
class RouteProtocolWriterTest {

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void interestLines() {
        ByteArraySink out = new ByteArraySink();
        RouteProtocolWriter.subscribe(out, RouteProtocolWriter.GLOBAL_ACCOUNT, ascii("foo.>"));
        RouteProtocolWriter.subscribe(out, RouteProtocolWriter.GLOBAL_ACCOUNT, ascii("bar"), ascii("grp"), 12);
        RouteProtocolWriter.unsubscribe(out, RouteProtocolWriter.GLOBAL_ACCOUNT, ascii("bar"), ascii("grp"));
        RouteProtocolWriter.unsubscribe(out, RouteProtocolWriter.GLOBAL_ACCOUNT, ascii("foo.>"), null);
        RouteProtocolWriter.ping(out);
        RouteProtocolWriter.pong(out);
        RouteProtocolWriter.error(out, "Duplicate Route");
        assertEquals("RS+ $G foo.>\r\nRS+ $G bar grp 12\r\nRS- $G bar grp\r\nRS- $G foo.>\r\nPING\r\nPONG\r\n"
                + "-ERR 'Duplicate Route'\r\n", out.toString());
    }

    @Test
    void messagesFromAClientsPublishBuffer() {
        // The subject and reply sit inside a PUB line as the client parser hands them over.
        ByteBuffer pub = ByteBuffer.wrap(ascii("PUB orders.new _INBOX.1 5\r\nhello\r\n"));
        ByteArraySink out = new ByteArraySink();
        RouteProtocolWriter.message(out, RouteProtocolWriter.GLOBAL_ACCOUNT, pub, 4, 10, 15, 8, null, 0, pub, 27, 5);
        RouteProtocolWriter.message(out, RouteProtocolWriter.GLOBAL_ACCOUNT, pub, 4, 10, 0, 0,
                new byte[][] {ascii("workers"), ascii("audit")}, 2, pub, 27, 5);
        RouteProtocolWriter.message(out, RouteProtocolWriter.GLOBAL_ACCOUNT, pub, 4, 10, 15, 8,
                new byte[][] {ascii("workers")}, 1, pub, 27, 5);
        RouteProtocolWriter.headerMessage(out, RouteProtocolWriter.GLOBAL_ACCOUNT, pub, 4, 10, 0, 0, null, 0, pub, 27, 2, 5);
        assertEquals("RMSG $G orders.new _INBOX.1 5\r\nhello\r\n"
                + "RMSG $G orders.new | workers audit 5\r\nhello\r\n"
                + "RMSG $G orders.new + _INBOX.1 workers 5\r\nhello\r\n"
                + "HMSG $G orders.new 2 5\r\nhello\r\n", out.toString());
    }

    @Test
    void infoOfThisServerHasNatsServersShape() {
        RouteInfo info = RouteInfo.of("NID", "n1", "2.9.10", "127.0.0.1", 6222, true, false, 1048576, "abc", "C1", false,
                List.of("127.0.0.1:4222"));
        ByteArraySink out = new ByteArraySink();
        RouteProtocolWriter.info(out, info);
        assertEquals("INFO {\"server_id\":\"NID\",\"server_name\":\"n1\",\"version\":\"2.9.10\",\"proto\":2,\"go\":\""
                + RouteJson.GO_VERSION + "\",\"host\":\"127.0.0.1\",\"port\":6222,\"headers\":true,\"auth_required\":true,"
                + "\"max_payload\":1048576,\"nonce\":\"abc\",\"cluster\":\"C1\",\"connect_urls\":[\"127.0.0.1:4222\"],"
                + "\"lnoc\":true} \r\n", out.toString());
        out.clear();
        RouteProtocolWriter.gossip(out, info.forGossip(info.routeUrl()));
        assertTrue(out.toString().contains(",\"max_payload\":1048576,\"ip\":\"nats-route://127.0.0.1:6222/\",\"cluster\":\"C1\","),
                out.toString());
        assertTrue(out.toString().endsWith("}\r\n"));
    }

    @Test
    void connectOfThisServerHasNatsServersShape() {
        ByteArraySink out = new ByteArraySink();
        RouteProtocolWriter.connect(out, RouteConnect.of("u", "p", false, "NID", "C1", true));
        assertEquals("CONNECT {\"echo\":true,\"verbose\":false,\"pedantic\":false,\"user\":\"u\",\"pass\":\"p\","
                + "\"tls_required\":false,\"headers\":true,\"name\":\"NID\",\"cluster\":\"C1\",\"cluster_dynamic\":true,"
                + "\"lnoc\":true}\r\n", out.toString());
        assertTrue(!RouteConnect.of("u", "secret", false, "N", "C", false).toString().contains("secret"));
    }

    @Test
    void jsonIsEscapedAsGoEscapesIt() {
        RouteInfo info = RouteInfo.of("N", "a<b>&c", "2.9.10", "h", 1, false, false, 1, null, "C", false, List.of());
        String json = new String(info.toJson(), StandardCharsets.UTF_8);
        assertTrue(json.contains("\"server_name\":\"a\\u003cb\\u003e\\u0026c\""), json);
        assertEquals("a<b>&c", RouteInfo.parse(info.toJson()).serverName());
    }
}
