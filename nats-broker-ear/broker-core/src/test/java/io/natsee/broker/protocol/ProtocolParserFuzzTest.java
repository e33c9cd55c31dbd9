package io.natsee.broker.protocol;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Coverage-guided fuzzing of {@link ProtocolParser} with Jazzer. The fuzzer picks the limits, the
 * bytes, where the reads are cut, whether each read is a heap or a direct buffer and where in a
 * larger buffer it sits. Findings are: any exception other than {@link ProtocolException}; a
 * handler call whose offsets leave the read (or the parser's own copy), a negative length, a
 * payload over max_payload, a field with a separator in it; a different outcome than the same
 * bytes parsed in one read (the parser promises that cuts do not matter); copy buffers that grow
 * past what the limits allow; a hang (the JUnit timeout becomes libFuzzer's -timeout).
 *
 * <p>Without {@code JAZZER_FUZZ} this runs the seeds in {@code ProtocolParserFuzzTestInputs} only
 * (regression mode, part of the default build). {@code mvn -Pfuzz} fuzzes (see the pom).
 */
class ProtocolParserFuzzTest {

    private static final int[] CONTROL_LINES = {4096, 1, 8, 32, 256};
    private static final int[] PAYLOADS = {1048576, 0, 1, 16, 1024};
    private static final byte FILL = (byte) 0xA5;

    @FuzzTest(maxDuration = "30s")
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void parseInPieces(FuzzedDataProvider data) {
        int maxControlLine = CONTROL_LINES[data.consumeInt(0, CONTROL_LINES.length - 1)];
        int maxPayload = PAYLOADS[data.consumeInt(0, PAYLOADS.length - 1)];
        int cuts = data.consumeInt(0, 8);
        int[] cutPoints = new int[cuts];
        for (int i = 0; i < cuts; i++) {
            cutPoints[i] = data.consumeInt(0, 4096);
        }
        boolean[] direct = new boolean[cuts + 1];
        int[] padding = new int[cuts + 1];
        for (int i = 0; i <= cuts; i++) {
            direct[i] = data.consumeBoolean();
            padding[i] = data.consumeInt(0, 7);
        }
        byte[] input = data.consumeRemainingAsBytes();

        // The same bytes in one read: the reference outcome.
        Checker whole = new Checker(maxPayload);
        ProtocolParser wholeParser = new ProtocolParser(whole, maxControlLine, maxPayload);
        whole.read = ByteBuffer.wrap(input);
        ProtocolException wholeError = parseCatching(wholeParser, whole.read);

        Checker pieces = new Checker(maxPayload);
        ProtocolParser parser = new ProtocolParser(pieces, maxControlLine, maxPayload);
        ProtocolException error = null;
        int from = 0;
        java.util.Arrays.sort(cutPoints);
        for (int i = 0; i <= cuts && error == null; i++) {
            int to = i < cuts ? Math.min(input.length, Math.max(from, cutPoints[i])) : input.length;
            ByteBuffer read = place(input, from, to - from, direct[i], padding[i]);
            pieces.read = read;
            error = parseCatching(parser, read);
            if (read.position() != padding[i] || read.limit() != padding[i] + (to - from)) {
                throw new AssertionError("parse moved the read's position or limit");
            }
            checkCopies(parser, maxControlLine, maxPayload, to - from);
            from = to;
        }

        if (!pieces.events.equals(whole.events) || kind(error) != kind(wholeError)
                || (error == null && parser.state() != wholeParser.state())) {
            throw new AssertionError("cut reads differ from one read:\n  pieces " + pieces.events + " " + kind(error)
                    + " " + parser.state() + "\n  whole  " + whole.events + " " + kind(wholeError) + " " + wholeParser.state());
        }
    }

    private static ProtocolException.Kind kind(ProtocolException e) {
        return e == null ? null : e.kind();
    }

    private static ProtocolException parseCatching(ProtocolParser parser, ByteBuffer read) {
        try {
            parser.parse(read);
            return null;
        } catch (ProtocolException e) {
            if (e.kind() == null || e.state() == null || e.getMessage() == null) {
                throw new AssertionError("incomplete ProtocolException", e);
            }
            return e;
        }
    }

    /** The bytes inside a larger buffer filled with a marker byte, position and limit around them. */
    private static ByteBuffer place(byte[] input, int from, int length, boolean direct, int padding) {
        int capacity = padding + length + 8;
        ByteBuffer buffer = direct ? ByteBuffer.allocateDirect(capacity) : ByteBuffer.allocate(capacity);
        for (int i = 0; i < capacity; i++) {
            buffer.put(i, FILL);
        }
        buffer.put(padding, input, from, length);
        buffer.position(padding).limit(padding + length);
        return buffer;
    }

    // ---------------------------------------------------------------- bounded copies

    private static final Field ARGUMENT_COPY = field("argumentCopy");
    private static final Field PAYLOAD_COPY = field("payloadCopy");

    private static Field field(String name) {
        try {
            Field field = ProtocolParser.class.getDeclaredField(name);
            field.setAccessible(true);
            return field;
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException("ProtocolParser has no field " + name + "; update the fuzz test", e);
        }
    }

    /**
     * The parser's copies stay within what its limits allow: an argument copy of at most twice
     * (max_control_line plus one read), a payload copy of at most max_payload plus CRLF.
     */
    private static void checkCopies(ProtocolParser parser, int maxControlLine, int maxPayload, int readLength) {
        try {
            int arguments = ((byte[]) ARGUMENT_COPY.get(parser)).length;
            int payload = ((byte[]) PAYLOAD_COPY.get(parser)).length;
            if (arguments > Math.max(256, 2 * (maxControlLine + 2 + readLength))) {
                throw new AssertionError("argument copy of " + arguments + " bytes, max_control_line " + maxControlLine);
            }
            if (payload > Math.max(256, maxPayload + 2)) {
                throw new AssertionError("payload copy of " + payload + " bytes, max_payload " + maxPayload);
            }
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---------------------------------------------------------------- the checking handler

    /**
     * Checks each call's arguments and records it as text, so that two runs can be compared.
     * A buffer that is the current read must be addressed inside its position and limit; any
     * other buffer is the parser's copy and must be addressed inside its capacity.
     */
    static final class Checker implements ProtocolHandler {

        final List<String> events = new ArrayList<>();
        final int maxPayload;
        ByteBuffer read;

        Checker(int maxPayload) {
            this.maxPayload = maxPayload;
        }

        private String slice(ByteBuffer buffer, int offset, int length, String what) {
            Objects.requireNonNull(buffer, what);
            if (length < 0) {
                throw new AssertionError(what + ": negative length " + length);
            }
            if (length == 0) {
                return ""; // an absent optional argument is (0, 0) by the handler's contract
            }
            int low = buffer == read ? read.position() : 0;
            int high = buffer == read ? read.limit() : buffer.capacity();
            if (offset < low || (long) offset + length > high) {
                throw new AssertionError(what + ": [" + offset + ", " + (offset + length) + ") outside ["
                        + low + ", " + high + ")" + (buffer == read ? " of the read" : " of a copy"));
            }
            byte[] bytes = new byte[length];
            buffer.get(offset, bytes, 0, length);
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }

        private String field(ByteBuffer buffer, int offset, int length, String what, boolean required) {
            String text = slice(buffer, offset, length, what);
            if (required && text.isEmpty()) {
                throw new AssertionError(what + " is empty");
            }
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c == ' ' || c == '\t' || c == '\n') {
                    throw new AssertionError(what + " contains a separator: '" + text + "'");
                }
            }
            return text;
        }

        @Override
        public void onConnect(ByteBuffer buffer, int offset, int length) {
            events.add("CONNECT[" + slice(buffer, offset, length, "connect") + "]");
        }

        @Override
        public void onPub(PublishedMessage m) {
            if (m.totalLength() > maxPayload) {
                throw new AssertionError("payload of " + m.totalLength() + " over max_payload " + maxPayload);
            }
            events.add("PUB[" + field(m.arguments(), m.subjectOffset(), m.subjectLength(), "subject", true) + "|"
                    + field(m.arguments(), m.replyOffset(), m.replyLength(), "reply", false) + "|"
                    + slice(m.payload(), m.payloadOffset(), m.totalLength(), "payload") + "]");
        }

        @Override
        public void onHpub(PublishedMessage m) {
            int headerLength = m.headerLength();
            int totalLength = m.totalLength();
            if (totalLength > maxPayload || headerLength < 0 || headerLength > totalLength) {
                throw new AssertionError("HPUB sizes " + headerLength + "/" + totalLength + ", max_payload " + maxPayload);
            }
            events.add("HPUB[" + field(m.arguments(), m.subjectOffset(), m.subjectLength(), "subject", true) + "|"
                    + field(m.arguments(), m.replyOffset(), m.replyLength(), "reply", false) + "|" + headerLength + "|"
                    + slice(m.payload(), m.payloadOffset(), totalLength, "message") + "]");
        }

        @Override
        public void onSub(ByteBuffer args, int subjectOffset, int subjectLength, int queueOffset, int queueLength,
                          int sidOffset, int sidLength) {
            events.add("SUB[" + field(args, subjectOffset, subjectLength, "subject", true) + "|"
                    + field(args, queueOffset, queueLength, "queue", false) + "|"
                    + field(args, sidOffset, sidLength, "sid", true) + "]");
        }

        @Override
        public void onUnsub(ByteBuffer args, int sidOffset, int sidLength, long max) {
            if (max < -1) {
                throw new AssertionError("UNSUB max " + max);
            }
            events.add("UNSUB[" + field(args, sidOffset, sidLength, "sid", true) + "|" + max + "]");
        }

        @Override
        public void onPing() {
            events.add("PING");
        }

        @Override
        public void onPong() {
            events.add("PONG");
        }

        @Override
        public void onOk() {
            events.add("+OK");
        }

        @Override
        public void onErr(ByteBuffer buffer, int offset, int length) {
            events.add("-ERR[" + slice(buffer, offset, length, "error") + "]");
        }

        @Override
        public void onInfo(ByteBuffer buffer, int offset, int length) {
            events.add("INFO[" + slice(buffer, offset, length, "info") + "]");
        }
    }
}
