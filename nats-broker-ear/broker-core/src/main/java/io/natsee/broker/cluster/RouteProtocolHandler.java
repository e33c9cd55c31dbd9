package io.natsee.broker.cluster;

import java.nio.ByteBuffer;

/**
 * What the {@link RouteProtocolParser} found on a route: one call per complete operation.
 * Buffers and offsets are valid only during the call (they are the read buffer, or the parser's
 * copy when a read cut the operation in two).
 */
public interface RouteProtocolHandler {

    /** {@code INFO <json>}: the JSON's bytes (a trailing space, as nats-server sends, included). */
    void onInfo(ByteBuffer buffer, int offset, int length);

    /** {@code CONNECT <json>}. */
    void onConnect(ByteBuffer buffer, int offset, int length);

    /** {@code PING}. */
    void onPing();

    /** {@code PONG}. */
    void onPong();

    /** {@code -ERR <text>}: the text as sent, quotes included. */
    void onError(ByteBuffer buffer, int offset, int length);

    /**
     * {@code RS+ <account> <subject>} ({@code queueLength} 0, {@code weight} 0) or
     * {@code RS+ <account> <subject> <queue> <weight>}.
     */
    void onSubscribe(ByteBuffer args, int accountOffset, int accountLength, int subjectOffset, int subjectLength,
                     int queueOffset, int queueLength, int weight);

    /** {@code RS- <account> <subject> [queue]}; {@code queueLength} 0 when there is no queue. */
    void onUnsubscribe(ByteBuffer args, int accountOffset, int accountLength, int subjectOffset, int subjectLength,
                       int queueOffset, int queueLength);

    /** {@code RMSG} or {@code HMSG} with its payload; the view is reused for the next message. */
    void onMessage(RoutedMessage message);

    /**
     * An operation this server accepts and does not act on ({@code LS+}, {@code LS-},
     * {@code LMSG} with its payload skipped, {@code A+}, {@code A-}, {@code +OK}, and verbs it
     * does not know): the whole control line, for traces and counters.
     */
    default void onIgnored(ByteBuffer line, int offset, int length) {
    }

    /**
     * Every control line, before the call for its operation, when the parser traces: the verb,
     * and its arguments from {@code argsStart} to {@code stop}.
     */
    default void onLine(ByteBuffer line, int verbStart, int verbLength, int argsStart, int stop) {
    }
}
