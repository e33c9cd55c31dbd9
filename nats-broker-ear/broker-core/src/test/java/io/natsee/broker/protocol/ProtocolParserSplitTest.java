package io.natsee.broker.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.natsee.broker.protocol.ProtocolException.Kind;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Feeds a corpus of samples whole, cut in two at every byte offset, cut three ways, and byte by
 * byte, through heap and direct buffers with and without an offset: the recorded callbacks must
 * be the same every time. After each read the test overwrites the read buffer, as a transport
 * reusing it would, so a parser that kept a reference into an old read is caught.
 */
class ProtocolParserSplitTest {

    private static final int MAX_CONTROL_LINE = 4096;
    private static final int MAX_PAYLOAD = 1024 * 1024;
    /** Bytes around the data in offset buffers: protocol-looking junk the parser must never read. */
    private static final byte[] JUNK = "PING\r\nXYZ\r\n\n".getBytes(StandardCharsets.US_ASCII);

    /** How a read reaches the parser. */
    enum Buffers {
        HEAP, DIRECT,
        /** A heap buffer whose position and limit frame the data inside a larger chunk. */
        HEAP_FRAMED,
        /** A direct buffer whose position and limit frame the data inside a larger chunk. */
        DIRECT_FRAMED,
        /** A slice (position 0, non-zero array offset) of a larger heap chunk. */
        HEAP_SLICE;

        ByteBuffer wrap(byte[] data, int from, int to) {
            int length = to - from;
            switch (this) {
                case HEAP:
                    return ByteBuffer.wrap(Arrays.copyOfRange(data, from, to));
                case DIRECT: {
                    ByteBuffer direct = ByteBuffer.allocateDirect(length);
                    direct.put(data, from, length).flip();
                    return direct;
                }
                default: {
                    int total = JUNK.length + length + JUNK.length;
                    ByteBuffer chunk = this == DIRECT_FRAMED ? ByteBuffer.allocateDirect(total) : ByteBuffer.allocate(total);
                    chunk.put(JUNK).put(data, from, length).put(JUNK);
                    chunk.position(JUNK.length).limit(JUNK.length + length);
                    return this == HEAP_SLICE ? chunk.slice() : chunk;
                }
            }
        }
    }

    /** A run of operations on the wire and the callbacks they must produce. */
    static final class Sample {
        final String name;
        private final StringBuilder wire = new StringBuilder();
        final List<String> expected = new ArrayList<>();

        Sample(String name) {
            this.name = name;
        }

        Sample raw(String bytes, String... events) {
            wire.append(bytes);
            expected.addAll(List.of(events));
            return this;
        }

        Sample pub(String subject, String reply, String payload) {
            wire.append("PUB ").append(subject).append(reply == null ? "" : " " + reply).append(' ')
                    .append(payload.length()).append("\r\n").append(payload).append("\r\n");
            expected.add("PUB " + subject + " " + (reply == null ? "-" : reply) + " " + payload.length()
                    + " [" + payload + "]");
            return this;
        }

        Sample hpub(String subject, String reply, String headers, String payload) {
            int total = headers.length() + payload.length();
            wire.append("HPUB ").append(subject).append(reply == null ? "" : " " + reply).append(' ')
                    .append(headers.length()).append(' ').append(total).append("\r\n")
                    .append(headers).append(payload).append("\r\n");
            expected.add("HPUB " + subject + " " + (reply == null ? "-" : reply) + " " + headers.length() + " "
                    + total + " [" + headers + "][" + payload + "]");
            return this;
        }

        Sample sub(String subject, String queue, String sid) {
            wire.append("SUB ").append(subject).append(queue == null ? "" : " " + queue).append(' ').append(sid)
                    .append("\r\n");
            expected.add("SUB " + subject + " " + (queue == null ? "-" : queue) + " " + sid);
            return this;
        }

        byte[] bytes() {
            return wire.toString().getBytes(StandardCharsets.ISO_8859_1);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static List<Sample> corpus() {
        String headers = "NATS/1.0\r\nTrace-Id: a b c\r\nMulti: 1\r\nMulti: 2\r\n\r\n";
        return List.of(
                new Sample("handshake")
                        .raw("CONNECT {\"verbose\":false,\"pedantic\":false,\"name\":\"my app\",\"opts\":{\"a\":[1, 2]}}\r\n",
                                "CONNECT {\"verbose\":false,\"pedantic\":false,\"name\":\"my app\",\"opts\":{\"a\":[1, 2]}}")
                        .raw("PING\r\n", "PING")
                        .sub("foo", null, "1")
                        .sub("foo.*", "workers", "2")
                        .pub("foo", null, "")
                        .pub("foo", null, "hello world")
                        .raw("UNSUB 1\r\n", "UNSUB 1 -1")
                        .raw("UNSUB 2 5\r\n", "UNSUB 2 5")
                        .raw("PONG\r\n", "PONG"),
                new Sample("payloads that look like protocol")
                        .pub("a", null, "\r\n")
                        .pub("b", null, "PUB x 1\r\ny\r\n")
                        .pub("c", null, " \t \r")
                        .pub("d", null, "\n\n\r\r")
                        .pub("e", null, "x".repeat(300))
                        .pub("f", null, "SUB a 1\r\nPING\r\n"),
                new Sample("replies")
                        .pub("g", "_INBOX.abcdef.1", "request 1")
                        .pub("h.i.j", "r", "")
                        .pub("k", "_INBOX.abcdef.2", "request two with more words"),
                new Sample("headers")
                        .hpub("svc.x", null, headers, "body with\r\nCRLF")
                        .hpub("svc.y", "_INBOX.r.1", headers, "")
                        .hpub("svc.z", null, "NATS/1.0\r\n\r\n", "")
                        .hpub("svc.w", "_INBOX.r.2", "NATS/1.0 503\r\n\r\n", "x"),
                new Sample("case, tabs and loose endings")
                        .raw("sub\tfoo.bar\t 9\r\n", "SUB foo.bar - 9")
                        .raw("pub\t  foo.bar\t\trep \t3\r\nabc\r\n", "PUB foo.bar rep 3 [abc]")
                        .raw("PING junk before lf\r\n", "PING")
                        .raw("SUB x q 10\n", "SUB x q 10")
                        .raw("Pong\n", "PONG")
                        .raw("hPuB\ta\t12\t14\r\nNATS/1.0\r\n\r\nhi\r\n", "HPUB a - 12 14 [NATS/1.0\r\n\r\n][hi]")
                        .raw("UnSuB 10 \t 2 \r\n", "UNSUB 10 2"),
                new Sample("server verbs")
                        .raw("INFO {\"server_id\":\"NABC\",\"max_payload\":1048576} \r\n",
                                "INFO {\"server_id\":\"NABC\",\"max_payload\":1048576} ")
                        .raw("+OK\r\n", "+OK")
                        .raw("-ERR 'Unknown Protocol Operation'\r\n", "-ERR 'Unknown Protocol Operation'"),
                new Sample("long control line")
                        .sub("a." + "long.".repeat(200) + "end", "q" + "u".repeat(100), "12345")
                        .pub("a." + "long.".repeat(200) + "end", "r" + "e".repeat(300), "x"),
                new Sample("odd spacing")
                        .raw("SUB  foo  \t 1 \t \r\n", "SUB foo - 1")
                        .raw("PUB foo\t\t2 \r\nab\r\n", "PUB foo - 2 [ab]")
                        .raw("PUB\t foo  r\t2\t\r\nab\r\n", "PUB foo r 2 [ab]")
                        .raw("UNSUB 1\t\r\n", "UNSUB 1 -1")
                        .raw("UNSUB  1  2\n", "UNSUB 1 2")
                        .raw("HPUB h  r  12   12  \r\nNATS/1.0\r\n\r\n\r\n", "HPUB h r 12 12 [NATS/1.0\r\n\r\n][]")
                        .raw("SUB 1 2 3\r\n", "SUB 1 2 3"),
                new Sample("many small pubs")
                        .pub("a", null, "1").pub("a", null, "22").pub("ab", null, "333").pub("abc", null, "4444")
                        .pub("a", null, "").pub("b", null, "").raw("PING\r\nPING\r\n", "PING", "PING"));
    }

    /** Samples that once hit a parser bug when cut: a PUB without reply reused the reply position of the PUB before. */
    static List<Sample> staleReplyCorpus() {
        return List.of(
                new Sample("pub without reply after pub with reply")
                        .pub("a.long.subject.name", "reply", "hello")
                        .pub("x", null, "hello")
                        .pub("y", null, ""));
    }

    static Stream<Arguments> samplesAndBuffers() {
        return corpus().stream().flatMap(sample -> Stream.of(Buffers.values()).map(b -> Arguments.of(sample, b)));
    }

    // ---- the corpus ---------------------------------------------------------------------------

    @ParameterizedTest(name = "{0} / {1}")
    @MethodSource("samplesAndBuffers")
    void wholeRead(Sample sample, Buffers buffers) throws ProtocolException {
        assertEquals(sample.expected, feed(sample.bytes(), buffers, new int[0]));
    }

    @ParameterizedTest(name = "{0} / {1}")
    @MethodSource("samplesAndBuffers")
    void cutInTwoAtEveryOffset(Sample sample, Buffers buffers) {
        checkEveryTwoWayCut(sample, buffers);
    }

    @ParameterizedTest(name = "{0} / {1}")
    @MethodSource("samplesAndBuffers")
    void byteByByte(Sample sample, Buffers buffers) throws ProtocolException {
        byte[] bytes = sample.bytes();
        int[] cuts = new int[bytes.length - 1];
        for (int i = 0; i < cuts.length; i++) {
            cuts[i] = i + 1;
        }
        assertEquals(sample.expected, feed(bytes, buffers, cuts));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void cutInThreeAtEveryPairOfOffsets(Sample sample) {
        byte[] bytes = sample.bytes();
        if (bytes.length > 400) {
            return; // quadratic; the short samples cover the same states
        }
        for (int first = 1; first < bytes.length; first++) {
            for (int second = first + 1; second < bytes.length; second++) {
                Buffers buffers = Buffers.values()[(first + second) % Buffers.values().length];
                List<String> events = feedOrFail(bytes, buffers, new int[] {first, second});
                if (!sample.expected.equals(events)) {
                    fail("cuts at " + first + " and " + second + " (" + buffers + "): expected " + sample.expected
                            + " but got " + events);
                }
            }
        }
    }

    @Test
    void wholeCorpusConcatenatedCutAtEveryOffset() {
        Sample all = new Sample("all");
        for (Sample sample : corpus()) {
            all.wire.append(sample.wire);
            all.expected.addAll(sample.expected);
        }
        checkEveryTwoWayCut(all, Buffers.HEAP_FRAMED);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("staleReplyCorpus")
    void pubWithoutReplyAfterPubWithReplyCutAtEveryOffset(Sample sample) {
        for (Buffers buffers : Buffers.values()) {
            checkEveryTwoWayCut(sample, buffers);
        }
    }

    private static void checkEveryTwoWayCut(Sample sample, Buffers buffers) {
        byte[] bytes = sample.bytes();
        for (int cut = 0; cut <= bytes.length; cut++) {
            List<String> events = feedOrFail(bytes, buffers, new int[] {cut});
            if (!sample.expected.equals(events)) {
                fail("cut at " + cut + " of " + bytes.length + ": expected " + sample.expected + " but got " + events);
            }
        }
    }

    // ---- errors and limits must not depend on where reads end ----------------------------------

    @ParameterizedTest
    @EnumSource(Buffers.class)
    void errorsAreTheSameWhereverTheReadIsCut(Buffers buffers) {
        record Case(String wire, int maxControlLine, int maxPayload, Kind kind, List<String> before) { }
        List<Case> cases = List.of(
                new Case("PING\r\nXYZ\r\n", 64, 64, Kind.UNKNOWN_OPERATION, List.of("PING")),
                new Case("PUB a 1\r\nx\r\nPIN\r\n", 64, 64, Kind.UNKNOWN_OPERATION, List.of("PUB a - 1 [x]")),
                new Case("PUB a 2\r\nhello\r\n", 64, 64, Kind.UNKNOWN_OPERATION, List.of()),
                new Case("SUB a 1\r\nPUB x abc\r\n", 64, 64, Kind.BAD_ARGUMENTS, List.of("SUB a - 1")),
                new Case("SUB a q1 q2 5\r\n", 64, 64, Kind.BAD_ARGUMENTS, List.of()),
                new Case("PUB a b c d e f\r\n", 64, 64, Kind.BAD_ARGUMENTS, List.of()),
                new Case("PUB a 1234567890\r\n", 64, 64, Kind.BAD_ARGUMENTS, List.of()),
                new Case("SUB a \r\n", 64, 64, Kind.BAD_ARGUMENTS, List.of()),
                new Case("HPUB a 5 4\r\n", 64, 64, Kind.BAD_ARGUMENTS, List.of()),
                new Case("PING\r\nSUB " + "s".repeat(70) + " 1\r\n", 64, 64, Kind.MAX_CONTROL_LINE, List.of("PING")),
                new Case("PUB a 65\r\n" + "p".repeat(65) + "\r\n", 64, 64, Kind.MAX_PAYLOAD, List.of()));
        for (Case c : cases) {
            byte[] bytes = c.wire().getBytes(StandardCharsets.ISO_8859_1);
            for (int cut = 0; cut <= bytes.length; cut++) {
                RecordingHandler handler = new RecordingHandler();
                ProtocolParser parser = new ProtocolParser(handler, c.maxControlLine(), c.maxPayload());
                try {
                    feed(parser, bytes, buffers, new int[] {cut});
                    fail(c.wire() + " cut at " + cut + ": no exception, events " + handler.events());
                } catch (ProtocolException e) {
                    assertEquals(c.kind(), e.kind(), c.wire() + " cut at " + cut + ": " + e.getMessage());
                    assertEquals(c.before(), handler.events(), c.wire() + " cut at " + cut);
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Buffers.class)
    void controlLineAtTheLimitIsAcceptedWhereverTheReadIsCut(Buffers buffers) {
        Sample sample = new Sample("at the limit").sub("s".repeat(13), null, "123"); // 17 bytes of arguments
        byte[] bytes = sample.bytes();
        for (int cut = 0; cut <= bytes.length; cut++) {
            RecordingHandler handler = new RecordingHandler();
            ProtocolParser parser = new ProtocolParser(handler, 17, MAX_PAYLOAD);
            try {
                feed(parser, bytes, buffers, new int[] {cut});
            } catch (ProtocolException e) {
                fail("cut at " + cut + ": " + e.getMessage());
            }
            assertEquals(sample.expected, handler.events(), "cut at " + cut);
        }
    }

    // ---- the copies made for split reads -----------------------------------------------------

    @Test
    void largeSplitPayloadDoesNotLeaveALargeCopyBehind() throws ProtocolException {
        RecordingHandler handler = new RecordingHandler();
        ProtocolParser parser = new ProtocolParser(handler, MAX_CONTROL_LINE, 2 * MAX_PAYLOAD);
        String big = "b".repeat(MAX_PAYLOAD);
        byte[] first = new Sample("big").pub("big", null, big).pub("small", null, "abc").bytes();
        int half = first.length / 2;
        feed(parser, first, Buffers.HEAP, new int[] {half, first.length - 4});
        assertEquals(2, handler.events().size());
        assertTrue(handler.largestBufferCapacity() >= MAX_PAYLOAD, "the big payload was copied");
        // The small PUB was cut too, so its payload came from the parser's copy buffer.
        assertTrue(handler.lastBufferCapacity() <= 64 * 1024,
                "copy buffer still holds " + handler.lastBufferCapacity() + " bytes");
    }

    @Test
    void unsplitOperationsAreHandedOverWithoutCopying() throws ProtocolException {
        RecordingHandler handler = new RecordingHandler();
        ProtocolParser parser = new ProtocolParser(handler, MAX_CONTROL_LINE, MAX_PAYLOAD);
        ByteBuffer read = ByteBuffer.allocate(100_000);
        read.put(new Sample("one").pub("foo", "bar", "hello").bytes()).flip();
        parser.parse(read);
        assertEquals(100_000, handler.lastBufferCapacity(), "the handler sees the read buffer itself");
    }

    // ---- feeding -------------------------------------------------------------------------------

    private static List<String> feed(byte[] bytes, Buffers buffers, int[] cuts) throws ProtocolException {
        RecordingHandler handler = new RecordingHandler();
        feed(new ProtocolParser(handler, MAX_CONTROL_LINE, MAX_PAYLOAD), bytes, buffers, cuts);
        return handler.events();
    }

    private static List<String> feedOrFail(byte[] bytes, Buffers buffers, int[] cuts) {
        try {
            return feed(bytes, buffers, cuts);
        } catch (ProtocolException | RuntimeException e) {
            throw new AssertionError("cuts " + Arrays.toString(cuts) + " (" + buffers + "): " + e, e);
        }
    }

    /** Parses {@code bytes} in reads ending at each cut, overwriting every read once parsed. */
    private static void feed(ProtocolParser parser, byte[] bytes, Buffers buffers, int[] cuts)
            throws ProtocolException {
        int from = 0;
        for (int i = 0; i <= cuts.length; i++) {
            int to = i < cuts.length ? cuts[i] : bytes.length;
            ByteBuffer read = buffers.wrap(bytes, from, to);
            parser.parse(read);
            scribble(read);
            from = to;
        }
    }

    private static void scribble(ByteBuffer read) {
        for (int i = read.position(); i < read.limit(); i++) {
            read.put(i, (byte) '#');
        }
    }
}
