package io.natsee.broker.cluster;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Writes the route protocol as nats-server 2.9.10 does, byte for byte: {@code INFO},
 * {@code CONNECT}, {@code PING}, {@code PONG}, {@code -ERR}, {@code RS+}, {@code RS-},
 * {@code RMSG} and {@code HMSG} (with the {@code +} and {@code |} queue forms). Stateless;
 * names (accounts, subjects, queues) are ASCII bytes as they arrive from clients.
 *
 * <p>Examples of what it writes (from a capture between two nats-servers):
 * <pre>
 * RS+ $G foo.*            RS+ $G bar grp 2          RS- $G bar grp
 * RMSG $G foo.x 5         RMSG $G foo.y reply.1 3   RMSG $G bar | grp 2
 * RMSG $G bar + _INBOX.r grp 2                      HMSG $G baz rep 19 19
 * </pre>
 */
public final class RouteProtocolWriter {

    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] PING = ascii("PING\r\n");
    private static final byte[] PONG = ascii("PONG\r\n");
    private static final byte[] INFO = ascii("INFO ");
    private static final byte[] CONNECT = ascii("CONNECT ");
    private static final byte[] SPACE_CRLF = ascii(" \r\n");
    private static final byte[] RS_PLUS = ascii("RS+ ");
    private static final byte[] RS_MINUS = ascii("RS- ");
    private static final byte[] RMSG = ascii("RMSG ");
    private static final byte[] HMSG = ascii("HMSG ");
    private static final byte[] ERR = ascii("-ERR '");
    private static final byte[] ERR_END = ascii("'\r\n");
    private static final byte[] PLUS = ascii(" + ");
    private static final byte[] PIPE = ascii(" |");

    /** The global account's name on the wire. */
    public static final byte[] GLOBAL_ACCOUNT = ascii("$G");

    private RouteProtocolWriter() {
    }

    /**
     * The INFO a server sends when a route connection is up: {@code INFO <json> \r\n} (with the
     * space before CRLF that nats-server writes there).
     */
    public static void info(ByteSink out, RouteInfo info) {
        out.put(INFO);
        out.put(info.toJson());
        out.put(SPACE_CRLF);
    }

    /** An INFO that gossips a peer or updates one: {@code INFO <json>\r\n}, no space before CRLF. */
    public static void gossip(ByteSink out, RouteInfo info) {
        out.put(INFO);
        out.put(info.toJson());
        out.put(CRLF);
    }

    /** {@code CONNECT <json>\r\n}. */
    public static void connect(ByteSink out, RouteConnect connect) {
        out.put(CONNECT);
        out.put(connect.toJson());
        out.put(CRLF);
    }

    public static void ping(ByteSink out) {
        out.put(PING);
    }

    public static void pong(ByteSink out) {
        out.put(PONG);
    }

    /** {@code -ERR '<text>'\r\n}. */
    public static void error(ByteSink out, String text) {
        out.put(ERR);
        out.put(text.getBytes(StandardCharsets.UTF_8));
        out.put(ERR_END);
    }

    /** {@code RS+ <account> <subject>\r\n}: plain interest. */
    public static void subscribe(ByteSink out, byte[] account, byte[] subject) {
        out.put(RS_PLUS);
        out.put(account);
        out.put((byte) ' ');
        out.put(subject);
        out.put(CRLF);
    }

    /** {@code RS+ <account> <subject> <queue> <weight>\r\n}: queue interest with its member count. */
    public static void subscribe(ByteSink out, byte[] account, byte[] subject, byte[] queue, int weight) {
        out.put(RS_PLUS);
        out.put(account);
        out.put((byte) ' ');
        out.put(subject);
        out.put((byte) ' ');
        out.put(queue);
        out.put((byte) ' ');
        out.putDecimal(weight);
        out.put(CRLF);
    }

    /** {@code RS- <account> <subject>\r\n}, or {@code RS- <account> <subject> <queue>\r\n} when a queue is given. */
    public static void unsubscribe(ByteSink out, byte[] account, byte[] subject, byte[] queue) {
        out.put(RS_MINUS);
        out.put(account);
        out.put((byte) ' ');
        out.put(subject);
        if (queue != null) {
            out.put((byte) ' ');
            out.put(queue);
        }
        out.put(CRLF);
    }

    /**
     * {@code RMSG} for a message a local client published, payload and CRLF included. With no
     * queues: {@code RMSG <account> <subject> [reply] <size>}; with queues:
     * {@code RMSG <account> <subject> + <reply> <queue>... <size>} or
     * {@code RMSG <account> <subject> | <queue>... <size>}.
     *
     * @param subject the subject's bytes in {@code args} ({@code subjectOffset}, {@code subjectLength})
     * @param replyLength 0 when there is no reply subject
     * @param queues the queue groups the peer should deliver to, of which the first
     *               {@code queueCount} are used; may be {@code null} when {@code queueCount} is 0
     */
    public static void message(ByteSink out, byte[] account, ByteBuffer args, int subjectOffset, int subjectLength,
                               int replyOffset, int replyLength, byte[][] queues, int queueCount,
                               ByteBuffer payload, int payloadOffset, int payloadLength) {
        out.put(RMSG);
        line(out, account, args, subjectOffset, subjectLength, replyOffset, replyLength, queues, queueCount);
        out.putDecimal(payloadLength);
        out.put(CRLF);
        out.put(payload, payloadOffset, payloadLength);
        out.put(CRLF);
    }

    /**
     * {@code HMSG} as {@link #message}, with {@code <header size> <total size>} at the end; the
     * message's {@code totalLength} bytes start with the {@code headerLength} header bytes.
     */
    public static void headerMessage(ByteSink out, byte[] account, ByteBuffer args, int subjectOffset, int subjectLength,
                                     int replyOffset, int replyLength, byte[][] queues, int queueCount,
                                     ByteBuffer message, int messageOffset, int headerLength, int totalLength) {
        out.put(HMSG);
        line(out, account, args, subjectOffset, subjectLength, replyOffset, replyLength, queues, queueCount);
        out.putDecimal(headerLength);
        out.put((byte) ' ');
        out.putDecimal(totalLength);
        out.put(CRLF);
        out.put(message, messageOffset, totalLength);
        out.put(CRLF);
    }

    /** Everything of the control line up to the size fields, ending with a space. */
    private static void line(ByteSink out, byte[] account, ByteBuffer args, int subjectOffset, int subjectLength,
                             int replyOffset, int replyLength, byte[][] queues, int queueCount) {
        out.put(account);
        out.put((byte) ' ');
        out.put(args, subjectOffset, subjectLength);
        if (queueCount > 0) {
            if (replyLength > 0) {
                out.put(PLUS);
                out.put(args, replyOffset, replyLength);
            } else {
                out.put(PIPE);
            }
            for (int i = 0; i < queueCount; i++) {
                out.put((byte) ' ');
                out.put(queues[i]);
            }
        } else if (replyLength > 0) {
            out.put((byte) ' ');
            out.put(args, replyOffset, replyLength);
        }
        out.put((byte) ' ');
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
