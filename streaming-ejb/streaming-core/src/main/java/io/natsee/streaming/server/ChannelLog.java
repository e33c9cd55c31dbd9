package io.natsee.streaming.server;

import io.natsee.streaming.store.StoredMessage;

/**
 * The server's view of one channel's message log, whatever the store behind it.
 */
interface ChannelLog {

    /** Appends a message and returns its sequence; not yet durable until the store is flushed. */
    long append(String subject, String reply, byte[] data, long timestampNanos);

    /** The message at a sequence, or null when it is gone (limits) or never was. */
    StoredMessage lookup(long sequence);

    /** The oldest sequence kept, or last + 1 when empty (1 for a new channel). */
    long firstSequence();

    /** The newest sequence, 0 for a new channel. */
    long lastSequence();

    /** The first sequence whose timestamp is at or after the given time (unix ns); last + 1 if none. */
    long sequenceAtOrAfter(long timestampNanos);

    long messageCount();

    long byteCount();
}
