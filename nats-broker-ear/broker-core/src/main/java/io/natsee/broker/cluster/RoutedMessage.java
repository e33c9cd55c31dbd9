package io.natsee.broker.cluster;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * An {@code RMSG} or {@code HMSG} as the {@link RouteProtocolParser} hands it over: a view onto
 * the parser's buffers, valid only during {@link RouteProtocolHandler#onMessage} and reused for
 * the next message (no allocation per message). Offsets are absolute indexes into
 * {@link #arguments()} and {@link #payload()}.
 */
public final class RoutedMessage {

    ByteBuffer arguments;
    /** Absolute start and end of each field of the control line, the verb excluded. */
    int[] fields;
    int accountField;
    int subjectField;
    /** The reply's field, or -1. */
    int replyField;
    int firstQueueField;
    int queueCount;
    ByteBuffer payload;
    int payloadOffset;
    /** -1 for RMSG. */
    int headerLength;
    int totalLength;

    RoutedMessage() {
    }

    /** The buffer the account, subject, reply and queue offsets refer to. */
    public ByteBuffer arguments() {
        return arguments;
    }

    public int accountOffset() {
        return fields[2 * accountField];
    }

    public int accountLength() {
        return fields[2 * accountField + 1] - fields[2 * accountField];
    }

    public int subjectOffset() {
        return fields[2 * subjectField];
    }

    public int subjectLength() {
        return fields[2 * subjectField + 1] - fields[2 * subjectField];
    }

    /** 0 when there is no reply subject. */
    public int replyOffset() {
        return replyField < 0 ? 0 : fields[2 * replyField];
    }

    /** 0 when there is no reply subject. */
    public int replyLength() {
        return replyField < 0 ? 0 : fields[2 * replyField + 1] - fields[2 * replyField];
    }

    /** The queue groups the sender chose this server for (the {@code +} and {@code |} forms); 0 for plain interest. */
    public int queueCount() {
        return queueCount;
    }

    public int queueOffset(int index) {
        return fields[2 * (firstQueueField + checkQueue(index))];
    }

    public int queueLength(int index) {
        int field = firstQueueField + checkQueue(index);
        return fields[2 * field + 1] - fields[2 * field];
    }

    /** Whether this is an {@code HMSG}. */
    public boolean hasHeaders() {
        return headerLength >= 0;
    }

    /** The buffer holding the message bytes (headers, then payload). */
    public ByteBuffer payload() {
        return payload;
    }

    public int payloadOffset() {
        return payloadOffset;
    }

    /** The header block's size for {@code HMSG}; -1 for {@code RMSG}. */
    public int headerLength() {
        return headerLength;
    }

    /** All message bytes: headers plus payload. */
    public int totalLength() {
        return totalLength;
    }

    /** The account name, allocated (for tests and slow paths). */
    public String account() {
        return text(arguments, accountOffset(), accountLength());
    }

    /** The subject, allocated (for tests and slow paths). */
    public String subject() {
        return text(arguments, subjectOffset(), subjectLength());
    }

    /** The reply subject or {@code null}, allocated. */
    public String reply() {
        return replyField < 0 ? null : text(arguments, replyOffset(), replyLength());
    }

    /** A queue group's name, allocated. */
    public String queue(int index) {
        return text(arguments, queueOffset(index), queueLength(index));
    }

    /** The message bytes (headers then payload), copied. */
    public byte[] bytes() {
        byte[] copy = new byte[totalLength];
        payload.get(payloadOffset, copy, 0, totalLength);
        return copy;
    }

    private int checkQueue(int index) {
        if (index < 0 || index >= queueCount) {
            throw new IndexOutOfBoundsException(index);
        }
        return index;
    }

    private static String text(ByteBuffer buffer, int offset, int length) {
        byte[] bytes = new byte[length];
        buffer.get(offset, bytes, 0, length);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
