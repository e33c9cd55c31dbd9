package io.natsee.broker.cluster;

import java.nio.ByteBuffer;

/**
 * A peer broke the route protocol (a bad size, a message without its CRLF, a control line that
 * is too long); nats-server closes such a route. Carries what the parser was reading and a short
 * escaped snippet of the bytes at fault.
 */
public final class RouteProtocolException extends Exception {

    private static final long serialVersionUID = 1L;
    private static final int SNIPPET = 32;

    private final String state;

    RouteProtocolException(String state, String message) {
        super(message + " (state " + state + ")", null, false, false);
        this.state = state;
    }

    /** What the parser was reading: {@code CONTROL_LINE} or {@code PAYLOAD}. */
    public String state() {
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
