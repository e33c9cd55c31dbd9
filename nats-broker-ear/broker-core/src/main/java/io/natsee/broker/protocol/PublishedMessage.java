package io.natsee.broker.protocol;

import java.nio.ByteBuffer;

/**
 * One published message as the message path carries it from the parser to the router and to
 * every delivery: where its subject, reply, size fields and payload are. Offsets are absolute
 * into buffers that are valid only while the message is being handled (the connection's read
 * buffer, or the parser's copy of a line a read cut in two). Each parser fills its own instance
 * for every PUB and HPUB and hands the same one on, so the path allocates nothing and passes one
 * reference instead of a dozen numbers; messages the server makes itself use one of their own.
 * Not thread safe: it lives on one event loop while it is handled.
 */
public final class PublishedMessage {

    ByteBuffer arguments;
    int subjectOffset;
    int subjectLength;
    int replyOffset;
    int replyLength;
    ByteBuffer payload;
    int payloadOffset;
    int headerLength;
    int totalLength;
    boolean headers;
    int sizeFieldOffset;
    int sizeFieldLength;
    int headerSizeFieldOffset;
    int headerSizeFieldLength;

    /**
     * Sets every part of a message the server passes on itself; its sizes are formatted when it
     * is written ({@link #sizeFieldLength()} 0), as for every message that did not come from a client's line.
     *
     * @param headerLength the header block's length at the start of the payload; 0: a message without headers
     */
    public PublishedMessage set(ByteBuffer arguments, int subjectOffset, int subjectLength, int replyOffset,
                                int replyLength, ByteBuffer payload, int payloadOffset, int headerLength, int totalLength) {
        this.arguments = arguments;
        this.subjectOffset = subjectOffset;
        this.subjectLength = subjectLength;
        this.replyOffset = replyOffset;
        this.replyLength = replyLength;
        this.payload = payload;
        this.payloadOffset = payloadOffset;
        this.headerLength = headerLength;
        this.totalLength = totalLength;
        this.headers = headerLength > 0;
        this.sizeFieldOffset = 0;
        this.sizeFieldLength = 0;
        this.headerSizeFieldOffset = 0;
        this.headerSizeFieldLength = 0;
        return this;
    }

    /** The buffer that holds the subject, the reply and the size fields. */
    public ByteBuffer arguments() {
        return arguments;
    }

    public int subjectOffset() {
        return subjectOffset;
    }

    public int subjectLength() {
        return subjectLength;
    }

    /** The reply subject's offset in {@link #arguments()}; meaningless when {@link #replyLength()} is 0. */
    public int replyOffset() {
        return replyOffset;
    }

    /** The reply subject's length; 0 when there is none. */
    public int replyLength() {
        return replyLength;
    }

    /** The buffer that holds the payload (often the same as {@link #arguments()}). */
    public ByteBuffer payload() {
        return payload;
    }

    public int payloadOffset() {
        return payloadOffset;
    }

    /** The header block's length at the start of the payload; 0 without headers. */
    public int headerLength() {
        return headerLength;
    }

    /** The payload's length, the header block included. */
    public int totalLength() {
        return totalLength;
    }

    /** Whether it came as HPUB (or carries a header block). */
    public boolean headers() {
        return headers;
    }

    /** Where the total size field is in {@link #arguments()}, as the publisher wrote it. */
    public int sizeFieldOffset() {
        return sizeFieldOffset;
    }

    /** The total size field's length; 0: the size is formatted instead of copied. */
    public int sizeFieldLength() {
        return sizeFieldLength;
    }

    /** Where HPUB's header size field is in {@link #arguments()}. */
    public int headerSizeFieldOffset() {
        return headerSizeFieldOffset;
    }

    /** HPUB's header size field's length; 0: formatted instead of copied. */
    public int headerSizeFieldLength() {
        return headerSizeFieldLength;
    }
}
