package io.natsee.broker.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A {@link ProtocolHandler} that records every callback as one readable line, such as
 * {@code PUB foo reply 5 [hello]}, copying the bytes out of the buffers while the callback runs
 * (they are valid only then). Absent optional arguments are recorded as {@code -}.
 */
final class RecordingHandler implements ProtocolHandler {

    private final List<String> events = new ArrayList<>();
    /** The largest capacity of any buffer handed to a callback, to observe the parser's copies. */
    private int largestBufferCapacity;
    private int lastBufferCapacity;
    private Consumer<String> onEvent = event -> { };

    /** The recorded callbacks, in order. */
    List<String> events() {
        return events;
    }

    /** Runs {@code action} after each recorded callback (for example to stop the parser). */
    RecordingHandler afterEach(Consumer<String> action) {
        this.onEvent = action;
        return this;
    }

    /** The capacity of the argument buffer of the last PUB, HPUB or SUB. */
    int lastBufferCapacity() {
        return lastBufferCapacity;
    }

    int largestBufferCapacity() {
        return largestBufferCapacity;
    }

    @Override
    public void onConnect(ByteBuffer buffer, int offset, int length) {
        record("CONNECT " + text(buffer, offset, length));
    }

    @Override
    public void onPub(PublishedMessage m) {
        ByteBuffer args = m.arguments();
        observe(args);
        observe(m.payload());
        record("PUB " + text(args, m.subjectOffset(), m.subjectLength()) + " " + optional(args, m.replyOffset(), m.replyLength())
                + " " + m.totalLength() + " [" + text(m.payload(), m.payloadOffset(), m.totalLength()) + "]");
    }

    @Override
    public void onHpub(PublishedMessage m) {
        ByteBuffer args = m.arguments();
        ByteBuffer message = m.payload();
        int headerLength = m.headerLength();
        observe(args);
        observe(message);
        record("HPUB " + text(args, m.subjectOffset(), m.subjectLength()) + " " + optional(args, m.replyOffset(), m.replyLength())
                + " " + headerLength + " " + m.totalLength()
                + " [" + text(message, m.payloadOffset(), headerLength) + "]"
                + "[" + text(message, m.payloadOffset() + headerLength, m.totalLength() - headerLength) + "]");
    }

    @Override
    public void onSub(ByteBuffer args, int subjectOffset, int subjectLength, int queueOffset, int queueLength,
                      int sidOffset, int sidLength) {
        observe(args);
        record("SUB " + text(args, subjectOffset, subjectLength) + " " + optional(args, queueOffset, queueLength)
                + " " + text(args, sidOffset, sidLength));
    }

    @Override
    public void onUnsub(ByteBuffer args, int sidOffset, int sidLength, long max) {
        record("UNSUB " + text(args, sidOffset, sidLength) + " " + max);
    }

    @Override
    public void onPing() {
        record("PING");
    }

    @Override
    public void onPong() {
        record("PONG");
    }

    @Override
    public void onOk() {
        record("+OK");
    }

    @Override
    public void onErr(ByteBuffer buffer, int offset, int length) {
        record("-ERR " + text(buffer, offset, length));
    }

    @Override
    public void onInfo(ByteBuffer buffer, int offset, int length) {
        record("INFO " + text(buffer, offset, length));
    }

    private void record(String event) {
        events.add(event);
        onEvent.accept(event);
    }

    private void observe(ByteBuffer buffer) {
        lastBufferCapacity = buffer.capacity();
        largestBufferCapacity = Math.max(largestBufferCapacity, buffer.capacity());
    }

    private static String optional(ByteBuffer buffer, int offset, int length) {
        return length == 0 ? "-" : text(buffer, offset, length);
    }

    /** The bytes at absolute {@code offset}, read without moving the buffer's position. */
    private static String text(ByteBuffer buffer, int offset, int length) {
        byte[] bytes = new byte[length];
        buffer.get(offset, bytes, 0, length);
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }
}
