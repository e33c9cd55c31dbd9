package io.natsee.broker.protocol;

import java.nio.ByteBuffer;

/**
 * What the {@link ProtocolParser} found: one call per complete operation. Arguments are given as
 * absolute offsets into a buffer that is valid only during the call (it is the connection's read
 * buffer, or the parser's copy when a read cut the operation in two). A length of 0 for an optional
 * argument (reply subject, queue group) means it is absent.
 */
public interface ProtocolHandler {

    /**
     * Called with the first byte of every operation, before anything else of it is read. Returning
     * false stops parsing at that byte: nats-server refuses every operation but CONNECT from a
     * client that must still authenticate, without reading (or buffering) the rest.
     */
    default boolean beginOperation(byte firstByte) {
        return true;
    }

    /** {@code CONNECT <json>}: the JSON object's bytes. */
    void onConnect(ByteBuffer buffer, int offset, int length);

    /**
     * {@code PUB <subject> [reply] <#bytes>} and its payload. The message (the parser's own, refilled
     * for the next one) and its buffers are valid only during the call.
     */
    void onPub(PublishedMessage message);

    /**
     * {@code HPUB <subject> [reply] <#header bytes> <#total bytes>}: the message's payload is
     * {@code totalLength} bytes, of which the first {@code headerLength} are the header block.
     */
    void onHpub(PublishedMessage message);

    /** {@code SUB <subject> [queue] <sid>}. */
    void onSub(ByteBuffer args, int subjectOffset, int subjectLength, int queueOffset, int queueLength,
               int sidOffset, int sidLength);

    /** {@code UNSUB <sid> [max]}; {@code max} is -1 when absent or not a number. */
    void onUnsub(ByteBuffer args, int sidOffset, int sidLength, long max);

    /** {@code PING}. */
    void onPing();

    /** {@code PONG}. */
    void onPong();

    /** {@code +OK}. */
    void onOk();

    /** {@code -ERR <text>}. */
    void onErr(ByteBuffer buffer, int offset, int length);

    /** {@code INFO <json>}. */
    void onInfo(ByteBuffer buffer, int offset, int length);
}
