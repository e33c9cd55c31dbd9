package io.natsee.broker.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.natsee.broker.protocol.ProtocolException.Kind;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The parser's operations, arguments and errors, one read at a time (splits are in ProtocolParserSplitTest). */
class ProtocolParserTest {

    private static final int MAX_CONTROL_LINE = 4096;
    private static final int MAX_PAYLOAD = 1024 * 1024;

    private final RecordingHandler handler = new RecordingHandler();
    private ProtocolParser parser = new ProtocolParser(handler, MAX_CONTROL_LINE, MAX_PAYLOAD);

    /** Parses each string as one read and returns the recorded callbacks. */
    private List<String> parse(String... reads) throws ProtocolException {
        for (String read : reads) {
            parser.parse(ByteBuffer.wrap(read.getBytes(StandardCharsets.ISO_8859_1)));
        }
        return handler.events();
    }

    private ProtocolException failure(String... reads) {
        return assertThrows(ProtocolException.class, () -> parse(reads));
    }

    // ---- verbs ----------------------------------------------------------------------------

    @Test
    void connect() throws ProtocolException {
        assertEquals(List.of("CONNECT {\"verbose\":false, \"name\":\"a b\"}"),
                parse("CONNECT {\"verbose\":false, \"name\":\"a b\"}\r\n"));
    }

    @Test
    void pubWithoutReply() throws ProtocolException {
        assertEquals(List.of("PUB foo - 5 [hello]"), parse("PUB foo 5\r\nhello\r\n"));
    }

    @Test
    void pubWithReply() throws ProtocolException {
        assertEquals(List.of("PUB foo reply 5 [hello]"), parse("PUB foo reply 5\r\nhello\r\n"));
    }

    @Test
    void pubPayloadMayHoldCrLfAndSpaces() throws ProtocolException {
        assertEquals(List.of("PUB foo - 9 [a\r\nb c\r\n ]"), parse("PUB foo 9\r\na\r\nb c\r\n \r\n"));
    }

    @Test
    void hpubWithoutReply() throws ProtocolException {
        String headers = "NATS/1.0\r\nA: b\r\n\r\n";
        assertEquals(List.of("HPUB foo - 18 23 [" + headers + "][hello]"),
                parse("HPUB foo 18 23\r\n" + headers + "hello\r\n"));
    }

    @Test
    void hpubWithReply() throws ProtocolException {
        String headers = "NATS/1.0\r\nA: b\r\n\r\n";
        assertEquals(List.of("HPUB foo reply 18 23 [" + headers + "][hello]"),
                parse("HPUB foo reply 18 23\r\n" + headers + "hello\r\n"));
    }

    @Test
    void hpubWithHeadersOnly() throws ProtocolException {
        String headers = "NATS/1.0\r\n\r\n";
        assertEquals(List.of("HPUB foo - 12 12 [" + headers + "][]"), parse("HPUB foo 12 12\r\n" + headers + "\r\n"));
    }

    @Test
    void subWithoutQueue() throws ProtocolException {
        assertEquals(List.of("SUB foo.* - 1"), parse("SUB foo.* 1\r\n"));
    }

    @Test
    void subWithQueue() throws ProtocolException {
        assertEquals(List.of("SUB foo.> workers 22"), parse("SUB foo.> workers 22\r\n"));
    }

    @Test
    void unsubWithoutMax() throws ProtocolException {
        assertEquals(List.of("UNSUB 7 -1"), parse("UNSUB 7\r\n"));
    }

    @Test
    void unsubWithMax() throws ProtocolException {
        assertEquals(List.of("UNSUB 7 10"), parse("UNSUB 7 10\r\n"));
    }

    @Test
    void unsubWithMaxThatIsNotANumberMeansNoMax() throws ProtocolException {
        assertEquals(List.of("UNSUB 7 -1"), parse("UNSUB 7 ten\r\n"));
    }

    @Test
    void pingPongOkErrInfo() throws ProtocolException {
        assertEquals(List.of("PING", "PONG", "+OK", "-ERR 'Unknown Protocol Operation'", "INFO {\"server_id\":\"x\"}"),
                parse("PING\r\nPONG\r\n+OK\r\n-ERR 'Unknown Protocol Operation'\r\nINFO {\"server_id\":\"x\"}\r\n"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"lower", "upper", "mixed"})
    void verbsAreCaseInsensitive(String variant) throws ProtocolException {
        String input = "connect {}\r\npub a 1\r\nx\r\nhpub a 12 12\r\nNATS/1.0\r\n\r\n\r\nsub a 1\r\nunsub 1\r\n"
                + "ping\r\npong\r\n+ok\r\n-err 'e'\r\ninfo {}\r\n";
        String verbs = switch (variant) {
            case "lower" -> input;
            case "upper" -> input.replace("connect", "CONNECT").replace("hpub", "HPUB").replace("pub", "PUB")
                    .replace("unsub", "UNSUB").replace("sub", "SUB").replace("ping", "PING").replace("pong", "PONG")
                    .replace("+ok", "+OK").replace("-err", "-ERR").replace("info", "INFO");
            default -> mixedVerbs(input);
        };
        assertEquals(List.of("CONNECT {}", "PUB a - 1 [x]", "HPUB a - 12 12 [NATS/1.0\r\n\r\n][]", "SUB a - 1",
                "UNSUB 1 -1", "PING", "PONG", "+OK", "-ERR 'e'", "INFO {}"), parse(verbs));
    }

    private static String mixedVerbs(String input) {
        return input.replace("connect", "CoNnEcT").replace("hpub", "hPuB").replace("pub", "pUb")
                .replace("unsub", "UnSuB").replace("sub", "SuB").replace("ping", "PiNg").replace("pong", "pOnG")
                .replace("+ok", "+Ok").replace("-err", "-eRr").replace("info", "InFo");
    }

    // ---- separators, optional arguments, line ends ----------------------------------------

    @Test
    void argumentsAreSeparatedBySpacesAndTabs() throws ProtocolException {
        assertEquals(List.of("SUB x - 1", "PUB foo bar 5 [hello]", "SUB a q 2", "UNSUB 2 3"),
                parse("SUB\tx\t 1\r\n", "PUB \t foo \t\tbar\t 5\r\nhello\r\n", "SUB  a  q  2 \r\n",
                        "UNSUB\t2\t3\t\r\n"));
    }

    @Test
    void lineFeedAloneEndsAControlLine() throws ProtocolException {
        assertEquals(List.of("SUB foo - 1", "PUB foo - 2 [hi]", "PING"), parse("SUB foo 1\nPUB foo 2\nhi\r\nPING\n"));
    }

    @Test
    void zeroLengthPayloads() throws ProtocolException {
        assertEquals(List.of("PUB foo - 0 []", "PUB foo reply 0 []", "PING"),
                parse("PUB foo 0\r\n\r\nPUB foo reply 0\r\n\r\nPING\r\n"));
    }

    @Test
    void pingAndPongIgnoreTrailingBytesBeforeTheLineFeed() throws ProtocolException {
        // nats-server's OP_PING and OP_PONG states skip every byte up to the line feed.
        assertEquals(List.of("PING", "PING", "PONG", "PING"), parse("PING junk\r\nPINGX\r\nPONG 1 2\r\nping\t\r\n"));
    }

    @Test
    void severalOperationsInOneRead() throws ProtocolException {
        assertEquals(List.of("CONNECT {}", "SUB a - 1", "PUB a - 1 [x]", "PING", "UNSUB 1 -1"),
                parse("CONNECT {}\r\nSUB a 1\r\nPUB a 1\r\nx\r\nPING\r\nUNSUB 1\r\n"));
    }

    @Test
    void payloadAtExactlyMaxPayloadIsAccepted() throws ProtocolException {
        parser = new ProtocolParser(handler, MAX_CONTROL_LINE, 4);
        assertEquals(List.of("PUB a - 4 [abcd]"), parse("PUB a 4\r\nabcd\r\n"));
    }

    @Test
    void controlLineAtExactlyTheLimitIsAccepted() throws ProtocolException {
        parser = new ProtocolParser(handler, 16, MAX_PAYLOAD);
        String arguments = "a".repeat(14) + " 1"; // 16 bytes of arguments
        assertEquals(List.of("SUB " + "a".repeat(14) + " - 1"), parse("SUB " + arguments + "\r\n"));
    }

    @Test
    void readsStartAtTheBufferPosition() throws ProtocolException {
        byte[] bytes = "XXXPING\r\nYYY".getBytes(StandardCharsets.US_ASCII);
        ByteBuffer buffer = ByteBuffer.wrap(bytes, 3, 6);
        parser.parse(buffer);
        assertEquals(List.of("PING"), handler.events());
        assertEquals(3, buffer.position(), "the parser reads with absolute indexes");
    }

    @Test
    void stateReportsAnIncompleteOperation() throws ProtocolException {
        parse("PU");
        assertEquals(ParserState.OP_PU, parser.state());
        parse("B foo 3\r\nab");
        assertEquals(ParserState.PAYLOAD, parser.state());
        parse("c\r\n");
        assertEquals(ParserState.OP_START, parser.state());
        assertEquals(List.of("PUB foo - 3 [abc]"), handler.events());
    }

    // ---- stop -------------------------------------------------------------------------------

    @Test
    void stopIgnoresTheRestOfTheReadAndLaterReads() throws ProtocolException {
        handler.afterEach(event -> {
            if (event.equals("PING")) {
                parser.stop();
            }
        });
        parse("SUB a 1\r\nPING\r\nPONG\r\n", "PONG\r\nXYZ\r\n");
        assertEquals(List.of("SUB a - 1", "PING"), handler.events());
    }

    // ---- errors: unknown operation ----------------------------------------------------------

    @Test
    void unknownVerb() {
        ProtocolException e = failure("XYZ\r\n");
        assertEquals(Kind.UNKNOWN_OPERATION, e.kind());
        assertEquals(ParserState.OP_START, e.state());
        assertTrue(e.getMessage().contains("XYZ\\r\\n"), e.getMessage());
        assertTrue(e.getMessage().contains("OP_START"), e.getMessage());
    }

    @Test
    void truncatedVerb() {
        ProtocolException e = failure("PIN\r\n");
        assertEquals(Kind.UNKNOWN_OPERATION, e.kind());
        assertEquals(ParserState.OP_PIN, e.state());
        assertTrue(e.getMessage().contains("'\\r\\n'"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"PUBX foo 1\r\n", "SUBfoo 1\r\n", "PUB\r\n", "CONNECTX\r\n", "HPUBB\r\n", "UNSUBX 1\r\n",
        "POX\r\n", "MSG foo 1 1\r\n", "\r\n", " PING\r\n", "+OX\r\n", "-ER\r\n"})
    void malformedVerbs(String input) {
        assertEquals(Kind.UNKNOWN_OPERATION, failure(input).kind());
    }

    @Test
    void snippetEscapesControlAndNonAsciiBytes() {
        ProtocolException e = failure("\u0001\u00ffabc");
        assertTrue(e.getMessage().contains("\\x01\\xffabc"), e.getMessage());
    }

    @Test
    void snippetIsShortForALongRead() {
        ProtocolException e = failure("Z" + "y".repeat(1000));
        assertTrue(e.getMessage().contains("Z" + "y".repeat(31) + "..."), e.getMessage());
        assertTrue(e.getMessage().length() < 200, e.getMessage());
    }

    @Test
    void payloadNotFollowedByCrLf() {
        ProtocolException e = failure("PUB foo 2\r\nhello\r\n");
        assertEquals(Kind.UNKNOWN_OPERATION, e.kind());
        assertEquals(ParserState.PAYLOAD, e.state());
        assertTrue(e.getMessage().contains("ll"), e.getMessage());
        assertTrue(handler.events().isEmpty());
    }

    @Test
    void payloadFollowedByLineFeedOnly() {
        assertEquals(Kind.UNKNOWN_OPERATION, failure("PUB foo 2\r\nhi\nPING\r\n").kind());
    }

    @Test
    void payloadNotFollowedByCrLfAcrossReads() {
        ProtocolException e = failure("PUB foo 2\r\nh", "iXY");
        assertEquals(Kind.UNKNOWN_OPERATION, e.kind());
        assertEquals(ParserState.PAYLOAD, e.state());
    }

    // ---- errors: bad arguments --------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {
        "PUB x abc\r\n", "PUB foo\r\n", "PUB foo bar baz 5\r\n", "PUB foo -1\r\n", "PUB foo 1x\r\n", "PUB \r\n",
        "SUB a q1 q2 5\r\n", "SUB foo\r\n", "SUB \r\n",
        "UNSUB \r\n", "UNSUB 1 2 3\r\n",
        "HPUB foo 10 5\r\n", "HPUB foo 5\r\n", "HPUB foo r x 5\r\n", "HPUB foo r 1 x\r\n", "HPUB a b c 1 2\r\n"})
    void badArguments(String input) {
        ProtocolException e = failure(input);
        assertEquals(Kind.BAD_ARGUMENTS, e.kind(), e.getMessage());
        String arguments = input.substring(input.indexOf(' ') + 1, input.length() - 2).trim();
        assertTrue(e.getMessage().contains(arguments), e.getMessage());
        assertTrue(handler.events().isEmpty());
    }

    @Test
    void badArgumentsAreReportedWithHpubHeaderLargerThanTotal() {
        ProtocolException e = failure("HPUB foo reply 23 18\r\n");
        assertEquals(Kind.BAD_ARGUMENTS, e.kind());
        assertTrue(e.getMessage().contains("foo reply 23 18"), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({"PUB x abc, PUB_ARGS", "SUB a q1 q2 5, SUB_ARGS", "HPUB foo 10 5, HPUB_ARGS", "'UNSUB ', UNSUB_ARGS",
        "PUB foo 2000000, PUB_ARGS", "HPUB foo 1 2000000, HPUB_ARGS", "SUB x y z w v u t, SUB_ARGS"})
    void argumentErrorsReportTheArgumentsState(String line, ParserState state) {
        ProtocolException e = failure(line + "\r\n");
        assertEquals(state, e.state(), e.getMessage());
        assertTrue(e.getMessage().contains(state.name()), e.getMessage());
    }

    @Test
    void sizeOfMoreThanNineDigitsIsBadArgumentsAsInNatsServer() throws ProtocolException {
        // nats-server's parseSize reads at most 9 digits; a longer size is a parse error, not a payload violation.
        parser = new ProtocolParser(handler, MAX_CONTROL_LINE, Integer.MAX_VALUE);
        assertEquals(Kind.BAD_ARGUMENTS, failure("PUB foo 1234567890\r\n").kind());
        parser = new ProtocolParser(handler, MAX_CONTROL_LINE, Integer.MAX_VALUE);
        assertEquals(List.of("PUB foo - 0 []"), parse("PUB foo 000000000\r\n\r\n"));
    }

    // ---- errors: limits ---------------------------------------------------------------------

    @Test
    void controlLineOverTheLimitInOneRead() {
        parser = new ProtocolParser(handler, 16, MAX_PAYLOAD);
        ProtocolException e = failure("SUB " + "a".repeat(15) + " 1\r\n");
        assertEquals(Kind.MAX_CONTROL_LINE, e.kind());
        assertEquals(ParserState.SUB_ARGS, e.state());
        assertTrue(e.getMessage().contains("SUB_ARGS"), e.getMessage());
        assertTrue(handler.events().isEmpty());
    }

    @Test
    void controlLineOverTheLimitSplitOverReadsWithEachPartUnderIt() {
        parser = new ProtocolParser(handler, 16, MAX_PAYLOAD);
        ProtocolException e = failure("PUB aaaaaaaaa", "aaaaaaaaa 1\r\n");
        assertEquals(Kind.MAX_CONTROL_LINE, e.kind());
        assertEquals(ParserState.PUB_ARGS, e.state());
    }

    @Test
    void controlLineOverTheLimitIsRefusedBeforeItsLineFeedArrives() {
        parser = new ProtocolParser(handler, 16, MAX_PAYLOAD);
        ProtocolException e = failure("CONNECT {\"name\":\"" + "n".repeat(100));
        assertEquals(Kind.MAX_CONTROL_LINE, e.kind());
        assertEquals(ParserState.CONNECT_ARGS, e.state());
    }

    @Test
    void limitErrorsCarryASnippet() {
        parser = new ProtocolParser(handler, 16, MAX_PAYLOAD);
        ProtocolException e = failure("SUB " + "a".repeat(15) + " 1\r\n");
        assertTrue(e.getMessage().contains("aaaaaaaaaaaaaaa 1"), e.getMessage());
        parser = new ProtocolParser(handler, 16, MAX_PAYLOAD);
        e = failure("SUB " + "b".repeat(40));
        assertTrue(e.getMessage().contains("bbbbbbbb"), e.getMessage());
        parser = new ProtocolParser(handler, MAX_CONTROL_LINE, 10);
        e = failure("PUB big.subject 11\r\n");
        assertTrue(e.getMessage().contains("big.subject 11"), e.getMessage());
    }

    @Test
    void payloadOverTheLimitIsRefusedOnTheControlLine() {
        parser = new ProtocolParser(handler, MAX_CONTROL_LINE, 1024);
        ProtocolException e = failure("PUB foo 1025\r\n");
        assertEquals(Kind.MAX_PAYLOAD, e.kind());
        assertTrue(e.getMessage().contains("1025") && e.getMessage().contains("1024"), e.getMessage());
    }

    @Test
    void hpubTotalOverTheLimitIsRefused() {
        parser = new ProtocolParser(handler, MAX_CONTROL_LINE, 1024);
        assertEquals(Kind.MAX_PAYLOAD, failure("HPUB foo reply 12 1025\r\n").kind());
    }

    // ---- a split that reuses stale argument positions ---------------------------------------

    @Test
    void pubWithoutReplyAfterPubWithReplySplitInItsPayload() throws ProtocolException {
        assertEquals(List.of("PUB a.long.subject.name reply 5 [hello]", "PUB x - 5 [hello]"),
                parse("PUB a.long.subject.name reply 5\r\nhello\r\n", "PUB x 5\r\nhe", "llo\r\n"));
    }
}
