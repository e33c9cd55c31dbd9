package io.natsee.broker.transport;

import java.nio.ByteBuffer;

/** What a connection hears from its transport; every call comes on the connection's IO thread. */
public interface ChannelListener {

    /**
     * Bytes arrived, between the buffer's position and limit. The buffer is valid only during the
     * call; the listener must copy what it keeps.
     */
    void onRead(ByteBuffer bytes);

    /** The transport finished a batch of reads; a good moment to flush. */
    void onReadComplete();

    /** The socket's writability changed (a queue of unsent bytes grew past or fell below a mark). */
    void onWritabilityChanged(boolean writable);

    /**
     * The TLS handshake started by {@link TransportChannel#startTls()} ended; {@code failure} is
     * {@code null} on success. On failure the transport closes the connection.
     */
    void onTlsHandshake(Throwable failure);

    /** The connection is closed, whoever closed it. Called once. */
    void onClosed();
}
