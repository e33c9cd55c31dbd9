package io.natsee.broker.transport;

import java.util.concurrent.TimeUnit;


/**
 * One accepted connection as the protocol code sees it: bytes out, timers and tasks on the
 * connection's own IO thread, and close. Implementations hide the IO library.
 */
public interface TransportChannel {

    /**
     * Copies {@code length} bytes and sends them, flushing to the socket as far as it accepts.
     * Must be called on this channel's IO thread.
     */
    void write(byte[] bytes, int offset, int length);

    /**
     * Bytes handed to {@link #write} that the socket has not taken yet, with the transport's
     * bookkeeping per queued write (fast; for limits). Any thread.
     */
    long pendingBytes();

    /**
     * Exactly the bytes queued that the socket has not taken, partly written buffers counted by
     * what is left of them (walks the queue: for rare checks, such as a write deadline). IO thread only.
     */
    long unwrittenBytes();

    /** Whether the socket currently accepts more without queueing much. Any thread. */
    boolean isWritable();

    /** Whether the calling thread is this channel's IO thread. */
    boolean inEventLoop();

    /** Runs a task on this channel's IO thread. */
    void execute(Runnable task);

    /** Runs a task on this channel's IO thread after a delay; the returned handle cancels it. */
    Cancellable schedule(Runnable task, long delay, TimeUnit unit);

    /** Stops or resumes reading from the socket (to stall a producer). IO thread only. */
    void setReading(boolean reading);

    /** Closes once everything written so far has been sent (or could not be). Any thread. */
    void closeAfterFlush();

    /** Closes now, dropping what is not sent yet. Any thread. */
    void closeNow();

    /** The peer's IP address as text. */
    String remoteHost();

    /** The peer's port. */
    int remotePort();

    /** The index of the IO thread serving this channel, from 0. */
    int loopIndex();

    /**
     * Upgrades the connection to TLS (the client side on a channel the transport dialled with TLS
     * settings, the server side otherwise), once what was written
     * so far (the INFO line) is sent; the transport must have been given TLS settings. The
     * listener hears {@link ChannelListener#onTlsHandshake} when the handshake ends. IO thread only.
     */
    void startTls();

    /** What the TLS handshake negotiated once it succeeded; {@code null} before and without TLS. Any thread. */
    default TlsSession tlsSession() {
        return null;
    }

    /** The client's certificate chain once a TLS handshake verified it; empty otherwise. */
    java.util.List<java.security.cert.X509Certificate> peerCertificates();

    /** A scheduled task that can be cancelled. */
    interface Cancellable {
        void cancel();
    }
}
