package io.natsee.broker.trace;

import io.natsee.broker.protocol.ProtocolHandler;
import io.natsee.broker.protocol.PublishedMessage;
import java.nio.ByteBuffer;

/**
 * A {@link ProtocolHandler} that traces each client operation ({@code <<- [PUB foo 11]}, the
 * payload, the redacted CONNECT) and then hands it to the connection. A connection's parser
 * calls it only while tracing is on; otherwise the parser calls the connection directly and
 * tracing costs nothing on the inbound path.
 * <p>
 * The argument text is rebuilt from the parsed fields with single spaces, where nats-server
 * echoes the line as received; the two differ only for a line with extra blanks between fields.
 */
public final class TracingProtocolHandler implements ProtocolHandler {

    private final ProtocolHandler target;
    private final ProtocolTrace trace;

    public TracingProtocolHandler(ProtocolHandler target, ProtocolTrace trace) {
        this.target = target;
        this.trace = trace;
    }

    @Override
    public boolean beginOperation(byte firstByte) {
        return target.beginOperation(firstByte);
    }

    @Override
    public void onConnect(ByteBuffer buffer, int offset, int length) {
        trace.received("CONNECT " + ConnectRedaction.redact(ProtocolTrace.text(buffer, offset, length)));
        target.onConnect(buffer, offset, length);
    }

    @Override
    public void onPub(PublishedMessage m) {
        trace.received(publishLine("PUB ", m.arguments(), m.subjectOffset(), m.subjectLength(), m.replyOffset(),
                m.replyLength()).append(m.totalLength()).toString());
        trace.receivedPayload(m.payload(), m.payloadOffset(), m.totalLength());
        target.onPub(m);
    }

    @Override
    public void onHpub(PublishedMessage m) {
        trace.received(publishLine("HPUB ", m.arguments(), m.subjectOffset(), m.subjectLength(), m.replyOffset(),
                m.replyLength()).append(m.headerLength()).append(' ').append(m.totalLength()).toString());
        trace.receivedPayload(m.payload(), m.payloadOffset(), m.totalLength());
        target.onHpub(m);
    }

    @Override
    public void onSub(ByteBuffer args, int subjectOffset, int subjectLength, int queueOffset, int queueLength,
                      int sidOffset, int sidLength) {
        StringBuilder line = new StringBuilder("SUB ").append(ProtocolTrace.text(args, subjectOffset, subjectLength));
        if (queueLength > 0) {
            line.append(' ').append(ProtocolTrace.text(args, queueOffset, queueLength));
        }
        trace.received(line.append(' ').append(ProtocolTrace.text(args, sidOffset, sidLength)).toString());
        target.onSub(args, subjectOffset, subjectLength, queueOffset, queueLength, sidOffset, sidLength);
    }

    @Override
    public void onUnsub(ByteBuffer args, int sidOffset, int sidLength, long max) {
        String sid = ProtocolTrace.text(args, sidOffset, sidLength);
        trace.received(max >= 0 ? "UNSUB " + sid + " " + max : "UNSUB " + sid);
        target.onUnsub(args, sidOffset, sidLength, max);
    }

    @Override
    public void onPing() {
        trace.received("PING");
        target.onPing();
    }

    @Override
    public void onPong() {
        trace.received("PONG");
        target.onPong();
    }

    @Override
    public void onOk() {
        trace.received("OK");
        target.onOk();
    }

    @Override
    public void onErr(ByteBuffer buffer, int offset, int length) {
        trace.received("-ERR " + ProtocolTrace.text(buffer, offset, length));
        target.onErr(buffer, offset, length);
    }

    @Override
    public void onInfo(ByteBuffer buffer, int offset, int length) {
        trace.received("INFO " + ProtocolTrace.text(buffer, offset, length));
        target.onInfo(buffer, offset, length);
    }

    private static StringBuilder publishLine(String verb, ByteBuffer args, int subjectOffset, int subjectLength,
                                             int replyOffset, int replyLength) {
        StringBuilder line = new StringBuilder(64).append(verb).append(ProtocolTrace.text(args, subjectOffset,
                subjectLength)).append(' ');
        if (replyLength > 0) {
            line.append(ProtocolTrace.text(args, replyOffset, replyLength)).append(' ');
        }
        return line;
    }
}
