package io.natsee.broker.protocol;

import java.nio.ByteBuffer;

/**
 * A client broke the protocol. Carries what went wrong (which decides the {@code -ERR} text and
 * whether one is sent), the parser state, and a short escaped snippet of the bytes at fault.
 */
public final class ProtocolException extends Exception {

    /** What went wrong; each kind maps to nats-server's reaction. */
    public enum Kind {
        /** An unknown verb or a byte where none may be: {@code -ERR 'Unknown Protocol Operation'}. */
        UNKNOWN_OPERATION,
        /** Arguments that do not parse: closed without {@code -ERR}, as nats-server does. */
        BAD_ARGUMENTS,
        /** A control line over max_control_line: {@code -ERR 'maximum control line exceeded'}. */
        MAX_CONTROL_LINE,
        /** A payload over max_payload: {@code -ERR 'Maximum Payload Violation'}. */
        MAX_PAYLOAD
    }

    private static final int SNIPPET = 32;

    private final Kind kind;
    private final ParserState state;

    public ProtocolException(Kind kind, ParserState state, String message) {
        super(message + " (state " + state + ")", null, false, false);
        this.kind = kind;
        this.state = state;
    }

    public Kind kind() {
        return kind;
    }

    public ParserState state() {
        return state;
    }

    /** Up to 32 bytes from {@code offset}, with control and non-ASCII bytes escaped. */
    static String snippet(ByteBuffer buffer, int offset, int end) {
        StringBuilder out = new StringBuilder();
        int stop = Math.min(end, offset + SNIPPET);
        for (int i = offset; i < stop; i++) {
            int b = buffer.get(i) & 0xff;
            if (b == '\r') {
                out.append("\\r");
            } else if (b == '\n') {
                out.append("\\n");
            } else if (b < 0x20 || b >= 0x7f) {
                out.append(String.format("\\x%02x", b));
            } else {
                out.append((char) b);
            }
        }
        if (end > stop) {
            out.append("...");
        }
        return out.toString();
    }
}
