package io.natsee.broker.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Byte-exactness against real exchanges between two nats-server 2.9.10 processes, recorded by a
 * TCP proxy (test resources): every operation each server sent is parsed, written again with
 * {@link RouteProtocolWriter}, {@link RouteInfo} and {@link RouteConnect}, and the result must
 * equal the captured bytes; the parse must not depend on where reads end.
 *
 * <p>The captures: {@code two-servers} (interest with queue weights, RMSG in every queue and
 * reply form, HMSG, withdrawals, $SYS traffic); {@code auth-gossip} (route user and password, a
 * third server gossiped with {@code ip}); {@code dynamic-name} (two generated cluster names and
 * nats-server's rejection).
 */
class RouteCaptureTest {

    static Stream<Arguments> streams() {
        return Stream.of("two-servers", "auth-gossip", "dynamic-name")
                .flatMap(name -> Stream.of(Arguments.of(name, "A>B"), Arguments.of(name, "B>A")));
    }

    private static Capture capture(String name) throws IOException {
        return Capture.load(name + ".capture");
    }

    private static Reencoder parseWhole(byte[] stream) throws RouteProtocolException {
        Reencoder handler = new Reencoder();
        new RouteProtocolParser(handler, 4096, Integer.MAX_VALUE).parse(ByteBuffer.wrap(stream));
        return handler;
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("streams")
    void writingWhatWasParsedGivesTheCapturedBytes(String name, String direction) throws Exception {
        byte[] stream = capture(name).stream(direction);
        Reencoder handler = parseWhole(stream);
        assertEquals(new String(stream, StandardCharsets.ISO_8859_1), handler.out.toString());
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("streams")
    void theReadsAsTheyArrivedParseAsTheWholeStream(String name, String direction) throws Exception {
        Capture capture = capture(name);
        List<String> whole = parseWhole(capture.stream(direction)).events;
        Reencoder handler = new Reencoder();
        RouteProtocolParser parser = new RouteProtocolParser(handler, 4096, Integer.MAX_VALUE);
        for (byte[] read : capture.reads(direction)) {
            parser.parse(ByteBuffer.wrap(read));
        }
        assertEquals(whole, handler.events);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("streams")
    void everyCutGivesTheSameOperations(String name, String direction) throws Exception {
        byte[] stream = capture(name).stream(direction);
        List<String> whole = parseWhole(stream).events;
        // Every offset of the first 1,500 bytes (the handshake), then every 11th.
        for (int cut = 1; cut < stream.length; cut += cut < 1500 ? 1 : 11) {
            Reencoder handler = new Reencoder(false);
            RouteProtocolParser parser = new RouteProtocolParser(handler, 4096, Integer.MAX_VALUE);
            // Buffers with the bytes at a non-zero position, as a reused read buffer has them.
            ByteBuffer first = ByteBuffer.allocate(cut + 3).position(3);
            first.put(stream, 0, cut).flip().position(3);
            parser.parse(first);
            parser.parse(ByteBuffer.wrap(stream, cut, stream.length - cut).slice());
            assertEquals(whole, handler.events, "cut at " + cut);
        }
    }

    @Test
    void interestAndMessagesOfTwoServers() throws Exception {
        Capture capture = capture("two-servers");
        List<String> fromAcceptor = parseWhole(capture.stream("A>B")).events;
        List<String> fromDialler = parseWhole(capture.stream("B>A")).events;
        assertTrue(fromAcceptor.containsAll(List.of("RS+ $G foo.*", "RS+ $G bar grp 1", "RS+ $G bar grp 2", "RS+ $G baz",
                "RMSG $G back [xyz]", "RMSG $G qb q=q1 [1]", "RS- $G bar grp", "RS- $G foo.*")), fromAcceptor.toString());
        assertTrue(fromDialler.containsAll(List.of("RMSG $G foo.x [hello]", "RMSG $G foo.y reply=reply.1 [abc]",
                "RMSG $G bar q=grp [qq]", "RMSG $G bar reply=_INBOX.r q=grp [rr]",
                "HMSG $G baz hdr=19 [NATS/1.0\r\nk: v1\r\n\r\nhello]", "HMSG $G baz reply=rep hdr=19 [NATS/1.0\r\nk: v1\r\n\r\n]",
                "RS+ $G qb q1 1", "RS- $G qb q1", "RS- $G back")), fromDialler.toString());
        // The $SYS account's interest and STATSZ messages parse like any other account's.
        assertTrue(fromDialler.stream().anyMatch(event -> event.startsWith("RMSG $SYS $SYS.SERVER.")), fromDialler.toString());
        assertFalse(fromDialler.stream().anyMatch(event -> event.startsWith("IGNORED")));
    }

    @Test
    void handshakeFieldsOfTwoServers() throws Exception {
        Capture capture = capture("two-servers");
        Reencoder acceptor = parseWhole(capture.stream("A>B"));
        Reencoder dialler = parseWhole(capture.stream("B>A"));
        RouteInfo info = acceptor.infos.get(0);
        assertEquals("A", info.serverName());
        assertEquals(2, info.proto());
        assertEquals("C1", info.cluster());
        assertEquals("2.9.10", info.version());
        assertTrue(info.headers());
        assertTrue(info.lnoc());
        assertEquals(1, info.connectUrls().size());
        assertEquals(1048576, info.maxPayload());
        RouteConnect connect = dialler.connects.get(0);
        assertTrue(connect.echo());
        assertFalse(connect.verbose());
        assertEquals("C1", connect.cluster());
        assertEquals(dialler.infos.get(0).serverId(), connect.name(), "CONNECT's name is the dialler's server id");
        assertTrue(connect.lnoc());
        assertFalse(connect.clusterDynamic());
    }

    @Test
    void credentialsAndGossip() throws Exception {
        Capture capture = capture("auth-gossip");
        Reencoder acceptor = parseWhole(capture.stream("A>B"));
        Reencoder dialler = parseWhole(capture.stream("B>A"));
        assertEquals("ruser", dialler.connects.get(0).user());
        assertEquals("rpass", dialler.connects.get(0).pass());
        assertTrue(acceptor.infos.get(0).authRequired());
        RouteInfo gossiped = acceptor.infos.get(1);
        assertEquals("C", gossiped.serverName());
        assertTrue(gossiped.ip().startsWith("nats-route://127.0.0.1:"), gossiped.ip());
        assertEquals(null, gossiped.nonce(), "a gossiped INFO has no nonce");
        assertEquals(gossiped.ip(), gossiped.routeUrl());
        // The writer's gossip form of the acceptor's own INFO equals what nats-server gossips about C.
        RouteInfo own = acceptor.infos.get(0);
        assertEquals(own.routeUrl().replace(Integer.toString(own.port()), "P"),
                "nats-route://127.0.0.1:P/");
    }

    @Test
    void dynamicNamesAndTheRejection() throws Exception {
        Capture capture = capture("dynamic-name");
        Reencoder acceptor = parseWhole(capture.stream("A>B"));
        Reencoder dialler = parseWhole(capture.stream("B>A"));
        assertTrue(dialler.connects.get(0).clusterDynamic());
        assertTrue(acceptor.infos.get(0).clusterDynamic());
        String error = acceptor.events.get(acceptor.events.size() - 1);
        assertTrue(error.matches("-ERR 'Rejecting connection, cluster name \"\\w+\" does not match \"\\w+\"'"), error);
    }
}
