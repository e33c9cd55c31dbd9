package io.natsee.broker.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The route parser's forms, tolerance and errors, beyond what the captures hold. */
class RouteProtocolParserTest {

    private static List<String> parse(String text) throws RouteProtocolException {
        Reencoder handler = new Reencoder(false);
        new RouteProtocolParser(handler, 256, 1024).parse(ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1)));
        return handler.events;
    }

    private static String error(String text) {
        return assertThrows(RouteProtocolException.class, () -> parse(text)).getMessage();
    }

    @Test
    void everyMessageForm() throws Exception {
        assertEquals(List.of(
                "RMSG $G a [x]",
                "RMSG $G a reply=r [x]",
                "RMSG $G a q=g1 q=g2 [x]",
                "RMSG $G a reply=r q=g1 [x]",
                "RMSG $G a reply=r [x]",
                "HMSG $G a hdr=2 [hhx]",
                "HMSG $G a reply=r hdr=2 [hhx]",
                "HMSG $G a q=g hdr=2 [hhx]",
                "HMSG $G a reply=r q=g q=h hdr=2 [hhx]"),
                parse("RMSG $G a 1\r\nx\r\nRMSG $G a r 1\r\nx\r\nRMSG $G a | g1 g2 1\r\nx\r\nRMSG $G a + r g1 1\r\nx\r\n"
                        + "RMSG $G a + r 1\r\nx\r\n"
                        + "HMSG $G a 2 3\r\nhhx\r\nHMSG $G a r 2 3\r\nhhx\r\nHMSG $G a | g 2 3\r\nhhx\r\n"
                        + "HMSG $G a + r g h 2 3\r\nhhx\r\n"));
    }

    @Test
    void verbsAreCaseInsensitiveAndFieldsMaySeparateByTabs() throws Exception {
        assertEquals(List.of("RS+ $G a g 3", "RS- $G a", "PING", "PONG", "RMSG $G a [x]"),
                parse("rs+\t$G  a\tg 3\r\nRs- $G a\r\nping\r\npong\nrmsg $G a 1\r\nx\r\n"));
    }

    @Test
    void acceptsAndIgnoresWhatItDoesNotImplement() throws Exception {
        assertEquals(List.of("IGNORED LS+ origin $G foo", "IGNORED LS- origin $G foo", "IGNORED A+ $G", "IGNORED A- $G",
                        "IGNORED +OK", "IGNORED XYZZY some future verb", "IGNORED LMSG origin $G foo 3", "PING"),
                parse("LS+ origin $G foo\r\nLS- origin $G foo\r\nA+ $G\r\nA- $G\r\n+OK\r\nXYZZY some future verb\r\n"
                        + "LMSG origin $G foo 3\r\nabc\r\nPING\r\n"));
    }

    @Test
    void infoConnectAndErrorHandTheRestOfTheLine() throws Exception {
        assertEquals(List.of("INFO {\"a\":1} ", "CONNECT {\"b\":2}", "-ERR 'Unknown Protocol Operation'"),
                parse("INFO {\"a\":1} \r\nCONNECT  {\"b\":2}\r\n-ERR 'Unknown Protocol Operation'\r\n"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"RMSG $G a\r\n", "RMSG $G a x\r\n", "RMSG $G a ++ r g 1\r\n", "RMSG $G a * r g 1\r\n",
        "RMSG $G a 1234567890\r\n"})
    void badMessageArgumentsAreNatsServerParseErrors(String line) {
        assertTrue(error(line).startsWith("processRoutedMsgArgs Parse Error: '"), error(line));
    }

    @Test
    void headerSizesMustBeExact() {
        assertTrue(error("HMSG $G a 4 3\r\nabc\r\n").startsWith("processRoutedHeaderMsgArgs Parse Error"));
        // A wrong total shows as a message not followed by CRLF, which closes the route in nats-server too.
        assertTrue(error("HMSG $G a 1 2\r\nabc\r\n").startsWith("message not followed by CRLF"));
    }

    @Test
    void badInterestLines() {
        assertTrue(error("RS+ $G\r\n").startsWith("processRemoteSub Parse Error"));
        assertTrue(error("RS+ $G a g\r\n").startsWith("processRemoteSub Parse Error"));
        assertTrue(error("RS+ $G a g x\r\n").startsWith("processRemoteSub Parse Error"));
        assertTrue(error("RS- $G a g h\r\n").startsWith("processRemoteUnsub Parse Error"));
    }

    @Test
    void limits() {
        assertTrue(error("RS+ $G " + "a".repeat(300) + "\r\n").startsWith("maximum control line exceeded"));
        assertTrue(error("RS+ $G " + "a".repeat(300)).startsWith("maximum control line exceeded"), "before the line ends");
        assertTrue(error("RMSG $G a 1025\r\n").startsWith("maximum payload exceeded"));
    }

    @Test
    void aMessageSplitAcrossReadsKeepsItsArguments() throws Exception {
        Reencoder handler = new Reencoder(false);
        RouteProtocolParser parser = new RouteProtocolParser(handler, 256, 1024);
        byte[] all = "RMSG $G subject + reply q1 q2 5\r\nhello\r\nPING\r\n".getBytes(StandardCharsets.US_ASCII);
        for (int cut = 1; cut < all.length; cut++) {
            handler.events.clear();
            ByteBuffer reused = ByteBuffer.allocate(all.length);
            reused.put(all, 0, cut).flip();
            parser.parse(reused);
            // The first read's buffer is overwritten before the second read, as a connection reuses it.
            reused.clear();
            reused.put(new byte[all.length]).clear();
            reused.put(all, cut, all.length - cut).flip();
            parser.parse(reused);
            assertEquals(List.of("RMSG $G subject reply=reply q=q1 q=q2 [hello]", "PING"), handler.events, "cut at " + cut);
        }
    }

    @Test
    void stopIgnoresTheRest() throws Exception {
        Reencoder handler = new Reencoder(false) {
            @Override
            public void onPing() {
                super.onPing();
                throw new IllegalStateException("unused");
            }
        };
        RouteProtocolParser parser = new RouteProtocolParser(handler, 256, 1024);
        parser.stop();
        parser.parse(ByteBuffer.wrap("PING\r\n".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(List.of(), handler.events);
    }
}
