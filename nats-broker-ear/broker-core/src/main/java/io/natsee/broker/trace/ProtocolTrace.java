package io.natsee.broker.trace;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * One connection's protocol trace ({@code -V}, {@code trace: true}), in nats-server 2.9's words:
 * {@code <<- [SUB foo 1]} for what the peer sent, {@code ->> [MSG foo 1 11]} for what the server
 * sent, {@code <<- MSG_PAYLOAD: ["hello..."]} for a payload (Go-quoted, cut to
 * {@code max_traced_msg_len}), {@code <-> [DELSUB 1]} for a subscription removed. Each line starts
 * with the connection's log prefix ({@code 127.0.0.1:47338 - cid:4 - "v1:java:app"}) and is logged
 * at {@code TRACE}, which the standalone server prints as {@code [TRC]}.
 * <p>
 * A connection holds one only while tracing is on (the field is null otherwise), so the message
 * path pays one null check per line when tracing is off. Called on the connection's event loop,
 * or under its lock for deliveries from another loop.
 */
public final class ProtocolTrace {

    private static final System.Logger LOG = System.getLogger(ProtocolTrace.class.getName());

    private final Supplier<String> prefix;
    private final int maxTracedMsgLen;

    /**
     * @param prefix          the connection's log prefix, asked for each line (it changes when
     *                        CONNECT names the client)
     * @param maxTracedMsgLen the longest payload shown, in bytes; 0: all of it
     */
    public ProtocolTrace(Supplier<String> prefix, int maxTracedMsgLen) {
        this.prefix = prefix;
        this.maxTracedMsgLen = Math.max(0, maxTracedMsgLen);
    }

    /** {@code <<- [line]}: an operation received. */
    public void received(String line) {
        log("<<- [" + line + "]");
    }

    /** {@code ->> [line]}: an operation sent. */
    public void sent(String line) {
        log("->> [" + line + "]");
    }

    /** {@code <-> [DELSUB sid]}: a subscription removed (UNSUB, or the connection closed). */
    public void removed(String sid) {
        log("<-> [DELSUB " + sid + "]");
    }

    /** {@code <<- MSG_PAYLOAD: ["..."]}: a PUB's or HPUB's payload (headers included). */
    public void receivedPayload(ByteBuffer buffer, int offset, int length) {
        log("<<- MSG_PAYLOAD: " + payloadText(buffer, offset, length, maxTracedMsgLen));
    }

    /**
     * Traces one of the server's fixed protocol lines as nats-server names them: {@code OK},
     * {@code PING}, {@code PONG}, {@code -ERR <text>} (without the quotes). INFO is not traced
     * (nats-server does not trace it either).
     */
    public void sentLine(byte[] line) {
        if (line.length < 2) {
            return;
        }
        switch (line[0]) {
            case '+' -> sent("OK");
            case 'P' -> sent(new String(line, 0, Math.min(4, line.length), StandardCharsets.US_ASCII));
            case '-' -> sent(errorText(line));
            case 'R' -> sent(new String(line, 0, lineLength(line), StandardCharsets.UTF_8)); // RS+, RS- on routes
            default -> {
                // INFO and anything else: not traced.
            }
        }
    }

    /**
     * {@code ->> [MSG <subject> <sid> [reply] <size>]}, or {@code HMSG ... <#hdr> <#total>}, for
     * a message delivered to this connection.
     */
    public void sentMessage(boolean asHeaders, ByteBuffer args, int subjectOffset, int subjectLength, String sid,
                            int replyOffset, int replyLength, int headerLength, int size) {
        StringBuilder line = new StringBuilder(64).append(asHeaders ? "HMSG " : "MSG ");
        appendText(line, args, subjectOffset, subjectLength).append(' ').append(sid).append(' ');
        if (replyLength > 0) {
            appendText(line, args, replyOffset, replyLength).append(' ');
        }
        if (asHeaders) {
            line.append(headerLength).append(' ');
        }
        sent(line.append(size).toString());
    }

    /** Go's {@code %q} of a text, as nats-server quotes a client's name in its log prefix. */
    public static String quote(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return new String(GoQuote.quote(ByteBuffer.wrap(bytes), 0, bytes.length), StandardCharsets.UTF_8);
    }

    /** The text of {@code length} bytes at {@code offset} (absolute), as UTF-8. */
    public static String text(ByteBuffer buffer, int offset, int length) {
        byte[] bytes = new byte[length];
        buffer.get(offset, bytes, 0, length);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static StringBuilder appendText(StringBuilder line, ByteBuffer buffer, int offset, int length) {
        return line.append(text(buffer, offset, length));
    }

    /**
     * nats-server's payload trace: {@code ["<Go-quoted payload>"]}; beyond {@code max} bytes (0:
     * no limit) the first {@code max} bytes of the quoted text (as nats-server cuts it) and
     * {@code ...}.
     */
    static String payloadText(ByteBuffer buffer, int offset, int length, int max) {
        if (max > 0 && length > max) {
            byte[] quoted = GoQuote.quote(buffer, offset, max);
            // The quoted text without its opening quote, cut to max bytes.
            String cut = new String(quoted, 1, Math.min(max, quoted.length - 1), StandardCharsets.UTF_8);
            return "[\"" + cut + "...\"]";
        }
        return "[" + new String(GoQuote.quote(buffer, offset, length), StandardCharsets.UTF_8) + "]";
    }

    /** {@code -ERR 'text'\r\n} as nats-server traces it: {@code -ERR text}. */
    private static int lineLength(byte[] line) {
        int length = line.length;
        while (length > 0 && (line[length - 1] == '\n' || line[length - 1] == '\r')) {
            length--;
        }
        return length;
    }

    /** {@code ->> [line]} for the control line at {@code offset} of {@code bytes}, up to its CR. */
    public void sentControlLine(byte[] bytes, int offset, int end) {
        int stop = offset;
        while (stop < end && bytes[stop] != '\r') {
            stop++;
        }
        sent(new String(bytes, offset, stop - offset, StandardCharsets.UTF_8));
    }

    private static String errorText(byte[] line) {
        String text = new String(line, StandardCharsets.ISO_8859_1).strip();
        if (text.startsWith("-ERR '") && text.endsWith("'")) {
            return "-ERR " + text.substring(6, text.length() - 1);
        }
        return text;
    }

    private void log(String line) {
        LOG.log(System.Logger.Level.TRACE, prefix.get() + " - " + line);
    }
}
