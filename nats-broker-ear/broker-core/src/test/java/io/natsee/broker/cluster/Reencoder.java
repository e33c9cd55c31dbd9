package io.natsee.broker.cluster;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A handler that records every operation as text and writes it again with
 * {@link RouteProtocolWriter} (INFO and CONNECT through their records), so a test can compare
 * the rewritten stream with the captured one byte for byte.
 */
class Reencoder implements RouteProtocolHandler {

    final List<String> events = new ArrayList<>();
    final ByteArraySink out = new ByteArraySink();
    final List<RouteInfo> infos = new ArrayList<>();
    final List<RouteConnect> connects = new ArrayList<>();
    /** Whether operations are written again; off when a test only compares the events. */
    private final boolean rewrite;

    Reencoder() {
        this(true);
    }

    Reencoder(boolean rewrite) {
        this.rewrite = rewrite;
    }

    private static String text(ByteBuffer buffer, int offset, int length) {
        byte[] bytes = new byte[length];
        buffer.get(offset, bytes, 0, length);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static byte[] bytes(ByteBuffer buffer, int offset, int length) {
        byte[] bytes = new byte[length];
        buffer.get(offset, bytes, 0, length);
        return bytes;
    }

    @Override
    public void onInfo(ByteBuffer buffer, int offset, int length) {
        String json = text(buffer, offset, length);
        events.add("INFO " + json);
        if (!rewrite) {
            return;
        }
        RouteInfo info = RouteInfo.parse(buffer, offset, length);
        infos.add(info);
        if (json.endsWith(" ")) {
            RouteProtocolWriter.info(out, info);
        } else {
            RouteProtocolWriter.gossip(out, info);
        }
    }

    @Override
    public void onConnect(ByteBuffer buffer, int offset, int length) {
        events.add("CONNECT " + text(buffer, offset, length));
        if (!rewrite) {
            return;
        }
        RouteConnect connect = RouteConnect.parse(buffer, offset, length);
        connects.add(connect);
        RouteProtocolWriter.connect(out, connect);
    }

    @Override
    public void onPing() {
        events.add("PING");
        RouteProtocolWriter.ping(out);
    }

    @Override
    public void onPong() {
        events.add("PONG");
        RouteProtocolWriter.pong(out);
    }

    @Override
    public void onError(ByteBuffer buffer, int offset, int length) {
        String quoted = text(buffer, offset, length);
        events.add("-ERR " + quoted);
        RouteProtocolWriter.error(out, quoted.substring(1, quoted.length() - 1));
    }

    @Override
    public void onSubscribe(ByteBuffer args, int accountOffset, int accountLength, int subjectOffset, int subjectLength,
                            int queueOffset, int queueLength, int weight) {
        String account = text(args, accountOffset, accountLength);
        String subject = text(args, subjectOffset, subjectLength);
        if (queueLength == 0) {
            events.add("RS+ " + account + " " + subject);
            RouteProtocolWriter.subscribe(out, bytes(args, accountOffset, accountLength), bytes(args, subjectOffset, subjectLength));
        } else {
            events.add("RS+ " + account + " " + subject + " " + text(args, queueOffset, queueLength) + " " + weight);
            RouteProtocolWriter.subscribe(out, bytes(args, accountOffset, accountLength), bytes(args, subjectOffset, subjectLength),
                    bytes(args, queueOffset, queueLength), weight);
        }
    }

    @Override
    public void onUnsubscribe(ByteBuffer args, int accountOffset, int accountLength, int subjectOffset, int subjectLength,
                              int queueOffset, int queueLength) {
        String queue = queueLength == 0 ? "" : " " + text(args, queueOffset, queueLength);
        events.add("RS- " + text(args, accountOffset, accountLength) + " " + text(args, subjectOffset, subjectLength) + queue);
        RouteProtocolWriter.unsubscribe(out, bytes(args, accountOffset, accountLength), bytes(args, subjectOffset, subjectLength),
                queueLength == 0 ? null : bytes(args, queueOffset, queueLength));
    }

    @Override
    public void onMessage(RoutedMessage message) {
        StringBuilder event = new StringBuilder(message.hasHeaders() ? "HMSG " : "RMSG ")
                .append(message.account()).append(' ').append(message.subject());
        if (message.reply() != null) {
            event.append(" reply=").append(message.reply());
        }
        byte[][] queues = new byte[message.queueCount()][];
        for (int i = 0; i < message.queueCount(); i++) {
            event.append(" q=").append(message.queue(i));
            queues[i] = message.queue(i).getBytes(StandardCharsets.UTF_8);
        }
        if (message.hasHeaders()) {
            event.append(" hdr=").append(message.headerLength());
        }
        event.append(" [").append(new String(message.bytes(), StandardCharsets.UTF_8)).append(']');
        events.add(event.toString());
        byte[] account = message.account().getBytes(StandardCharsets.UTF_8);
        if (message.hasHeaders()) {
            RouteProtocolWriter.headerMessage(out, account, message.arguments(), message.subjectOffset(), message.subjectLength(),
                    message.replyOffset(), message.replyLength(), queues, queues.length,
                    message.payload(), message.payloadOffset(), message.headerLength(), message.totalLength());
        } else {
            RouteProtocolWriter.message(out, account, message.arguments(), message.subjectOffset(), message.subjectLength(),
                    message.replyOffset(), message.replyLength(), queues, queues.length,
                    message.payload(), message.payloadOffset(), message.totalLength());
        }
    }

    @Override
    public void onIgnored(ByteBuffer line, int offset, int length) {
        events.add("IGNORED " + text(line, offset, length));
    }
}
