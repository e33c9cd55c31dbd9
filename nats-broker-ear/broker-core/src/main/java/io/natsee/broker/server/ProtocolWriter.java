package io.natsee.broker.server;

import io.natsee.broker.protocol.PublishedMessage;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Encodes the server's protocol lines into an {@link OutboundBuffer}: MSG and HMSG for clients,
 * RMSG for routes, and the fixed lines +OK, -ERR, PING and PONG. Stateless; the caller holds the
 * target connection's lock when there is more than one event loop.
 */
public final class ProtocolWriter {

    public static final byte[] PING = ascii("PING\r\n");
    public static final byte[] PONG = ascii("PONG\r\n");
    public static final byte[] OK = ascii("+OK\r\n");
    public static final byte[] CRLF = ascii("\r\n");
    private static final byte[] MSG = ascii("MSG ");
    private static final byte[] HMSG = ascii("HMSG ");
    private static final byte[] RMSG = ascii("RMSG ");

    private ProtocolWriter() {
    }

    /** {@code -ERR '<text>'} with its line end. */
    public static byte[] errorLine(String text) {
        return ("-ERR '" + text + "'\r\n").getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * Writes {@code MSG <subject> <sid> [reply] <size>} or, with {@code asHeaders},
     * {@code HMSG <subject> <sid> [reply] <#hdr> <#total>}, then the payload; {@code skip} bytes
     * of header are left out (for a client that did not declare headers), {@code size} bytes are
     * written. The sizes are copied as the publisher wrote them when the message knows where they
     * are, as nats-server does.
     */
    static void message(OutboundBuffer out, boolean asHeaders, PublishedMessage m, byte[] sidField, int skip, int size) {
        ByteBuffer args = m.arguments();
        int subjectLength = m.subjectLength();
        int replyLength = m.replyLength();
        out.reserve(5 + subjectLength + sidField.length + replyLength + 1 + 24 + size + 2);
        out.put(asHeaders ? HMSG : MSG);
        out.put(args, m.subjectOffset(), subjectLength);
        out.put(sidField);
        if (replyLength > 0) {
            out.put(args, m.replyOffset(), replyLength);
            out.put((byte) ' ');
        }
        if (asHeaders) {
            if (m.headerSizeFieldLength() > 0) {
                out.put(args, m.headerSizeFieldOffset(), m.headerSizeFieldLength());
            } else {
                out.putDecimal(m.headerLength());
            }
            out.put((byte) ' ');
        }
        if (skip == 0 && m.sizeFieldLength() > 0) {
            out.put(args, m.sizeFieldOffset(), m.sizeFieldLength());
        } else {
            out.putDecimal(size);
        }
        out.put(CRLF);
        out.put(m.payload(), m.payloadOffset() + skip, size);
        out.put(CRLF);
    }

    /**
     * Writes a routed message as route protocol 2 has it: {@code RMSG <account> <subject> [reply]
     * <size>}, or with queue groups {@code RMSG <account> <subject> + <reply> <queue...> <size>} /
     * {@code RMSG <account> <subject> | <queue...> <size>}; with headers the verb is HMSG and the
     * header size comes before the total.
     */
    public static void routedMessage(OutboundBuffer out, byte[] account, PublishedMessage m, byte[][] queues,
                                     int queueCount) {
        ByteBuffer args = m.arguments();
        int subjectOffset = m.subjectOffset();
        int subjectLength = m.subjectLength();
        int replyOffset = m.replyOffset();
        int replyLength = m.replyLength();
        int headerLength = m.headerLength();
        int totalLength = m.totalLength();
        int queueBytes = 0;
        for (int i = 0; i < queueCount; i++) {
            queueBytes += queues[i].length + 1;
        }
        out.reserve(8 + account.length + subjectLength + replyLength + queueBytes + 24 + totalLength + 2);
        out.put(headerLength > 0 ? HMSG : RMSG);
        out.put(account);
        out.put((byte) ' ');
        out.put(args, subjectOffset, subjectLength);
        out.put((byte) ' ');
        if (queueCount > 0) {
            if (replyLength > 0) {
                out.put((byte) '+');
                out.put((byte) ' ');
                out.put(args, replyOffset, replyLength);
                out.put((byte) ' ');
            } else {
                out.put((byte) '|');
                out.put((byte) ' ');
            }
            for (int i = 0; i < queueCount; i++) {
                out.put(queues[i]);
                out.put((byte) ' ');
            }
        } else if (replyLength > 0) {
            out.put(args, replyOffset, replyLength);
            out.put((byte) ' ');
        }
        if (headerLength > 0) {
            out.putDecimal(headerLength);
            out.put((byte) ' ');
        }
        out.putDecimal(totalLength);
        out.put(CRLF);
        out.put(m.payload(), m.payloadOffset(), totalLength);
        out.put(CRLF);
    }

    static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
