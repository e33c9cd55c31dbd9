package io.natsee.broker.server;

import io.natsee.broker.protocol.PublishedMessage;
import io.natsee.broker.subject.Subscriber;
import io.natsee.broker.subject.Subscription;
import io.natsee.broker.trace.ProtocolTrace;
import io.natsee.broker.transport.ChannelListener;
import io.natsee.broker.transport.TransportChannel;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * What every connection of the broker shares, clients and routes alike: the transport channel
 * and its event loop, the outbound buffer with its lock, flushing once per read, the write
 * deadline, back-pressure on producers, keep-alive, counters and closing.
 *
 * <p>Threads: everything runs on the connection's event loop except {@link #deliver}, which the
 * publishing connection's loop calls. With one event loop that is the same thread; with several,
 * deliveries and flushes synchronize on this connection (see docs/LOCKING.md).
 */
public abstract class Connection implements ChannelListener, Subscriber {

    protected final ServerContext server;
    protected final TransportChannel channel;
    final LoopContext loop;
    private final long id;
    /** Whether this is a route to another server of the cluster (and not a client). */
    final boolean route;
    /** Whether other event loops deliver here, so that the outbound buffer needs this object's lock. */
    final boolean locking;
    final OutboundBuffer out = new OutboundBuffer();
    final KeepAlive keepAlive;
    final ProducerStall stall = new ProducerStall(this);
    /**
     * This connection's protocol trace; null unless tracing ({@code -V}) is on. Replaced on the
     * connection's loop when a reload switches the trace; other loops that deliver to it may see
     * the old value for a moment (a line more or less), never a half-made one (its fields are final).
     */
    protected ProtocolTrace trace;
    private final Instant start;
    /** {@link System#nanoTime()} at {@link #start}, to turn activity times into instants. */
    private final long startNanos;
    private final long maxPending;
    long lastActivityNanos;

    volatile boolean closed;
    volatile CloseReason closeReason;
    private boolean touched;
    private volatile boolean flushScheduled;
    private long blockedSinceNanos;
    /** Bytes handed to the transport since the connection opened (on this connection's loop). */
    private long handedBytes;
    /** Bytes the peer had read when the current write deadline was armed. */
    private long drainedAtArm;
    private TransportChannel.Cancellable writeDeadlineTimer;

    long inMsgs;
    long inBytes;
    long outMsgs;
    long outBytes;

    protected Connection(ServerContext server, TransportChannel channel, long id, boolean route) {
        this.route = route;
        this.server = server;
        this.channel = channel;
        this.loop = server.loopFor(channel);
        this.id = id;
        this.locking = server.eventLoops() > 1;
        this.start = server.clock.instant();
        this.maxPending = server.options.maxPending();
        this.keepAlive = new KeepAlive(this, server.options.pingInterval().toNanos(), server.options.pingMax());
        this.lastActivityNanos = System.nanoTime();
        this.startNanos = lastActivityNanos;
        this.trace = server.trace ? new ProtocolTrace(this::logPrefix, server.maxTracedMsgLen) : null;
    }

    /**
     * Queues one message for this connection, in its protocol's form. Returns whether it was
     * queued. Called on the publisher's event loop; takes this connection's lock when needed.
     */
    protected abstract boolean deliver(Connection producer, Subscription subscription, PublishedMessage message);

    /**
     * Queues one message for the server at the other end of this route, naming the queue groups
     * it was picked for (none: plain interest only). Only routes override this; called on the
     * publisher's event loop.
     */
    protected boolean forward(Connection producer, PublishedMessage message, byte[][] queues, int queueCount) {
        return false;
    }

    /** Stops the parser: nothing more is read once the connection is closing. */
    protected abstract void stopParser();

    /** Whether this peer says echo:false (it must not get its own messages back). */
    protected boolean noEcho() {
        return false;
    }

    @Override
    public final long id() {
        return id;
    }

    @Override
    public final boolean isClosed() {
        return closed;
    }

    public final CloseReason closeReason() {
        return closeReason;
    }

    public final Instant startTime() {
        return start;
    }

    /** When the peer last sent something. */
    protected final Instant lastActivity() {
        return start.plusNanos(Math.max(0, lastActivityNanos - startNanos));
    }

    public final long roundTripNanos() {
        return keepAlive.roundTripNanos();
    }

    public final long inMsgs() {
        return inMsgs;
    }

    public final long inBytes() {
        return inBytes;
    }

    public final long outMsgs() {
        return outMsgs;
    }

    public final long outBytes() {
        return outBytes;
    }

    /** Bytes queued here and not handed to the transport yet. */
    protected final int pendingBytes() {
        return out.length();
    }

    /** The bytes queued for the peer; the caller holds this connection's lock (see {@link #withLock}). */
    protected final OutboundBuffer outbound() {
        return out;
    }

    /** Whether other event loops deliver here, so that {@link #outbound()} needs this object's monitor. */
    protected final boolean locking() {
        return locking;
    }

    /** Counts a message queued for the peer; the caller holds this connection's lock. */
    protected final void countOut(long bytes) {
        outMsgs++;
        outBytes += bytes;
    }

    protected final void countIn(long bytes) {
        inMsgs++;
        inBytes += bytes;
        loop.inMsgs++;
        loop.inBytes += bytes;
    }

    /** Notes that the peer sent something (keep-alive counts it as activity). */
    protected final void active() {
        lastActivityNanos = System.nanoTime();
    }

    protected final void startKeepAlive() {
        keepAlive.start();
    }

    protected final void peerPinged() {
        keepAlive.peerPinged();
        queue(ProtocolWriter.PONG);
    }

    protected final void ponged() {
        keepAlive.ponged();
    }

    // ---------------------------------------------------------------- transport events

    @Override
    public void onReadComplete() {
        loop.flushTouched();
        stall.afterRead();
    }

    @Override
    public void onWritabilityChanged(boolean writable) {
        if (writable) {
            blockedSinceNanos = 0;
            stall.resumeProducers();
        }
    }

    @Override
    public void onTlsHandshake(Throwable failure) {
        if (failure != null) {
            close(CloseReason.TLS_HANDSHAKE_ERROR, null);
        }
    }

    /** Marks the connection closed (if it was not) and stops its timers; subclasses then clean up. */
    protected final void closedByTransport(CloseReason ifNotClosing) {
        if (!closed) {
            closed = true;
            closeReason = ifNotClosing;
        }
        stopParser();
        cancelTimers();
        stall.closed();
    }

    // ---------------------------------------------------------------- outbound

    /**
     * After a message was queued (caller holds the lock): enforces max_pending, arranges the
     * flush, and asks the producer to pause when this connection's queue is half full.
     */
    protected final void queued(Connection producer) {
        long pending = out.length() + channel.pendingBytes();
        if (pending > maxPending && !pendingLimitExceeded()) {
            return;
        }
        scheduleFlush();
        if (pending > maxPending / 2) {
            stall.request(producer);
        }
        if (out.full() && channel.inEventLoop()) {
            flushLocked();
        }
    }

    /** Queues protocol bytes for this connection from its own loop. */
    protected final void queue(byte[] bytes) {
        if (trace != null) {
            trace.sentLine(bytes);
        }
        if (locking) {
            synchronized (this) {
                out.append(bytes);
            }
        } else {
            out.append(bytes);
        }
        scheduleFlush();
    }

    /** Runs {@code action} holding this connection's outbound lock when other loops can deliver here. */
    protected final void withLock(Runnable action) {
        if (locking) {
            synchronized (this) {
                action.run();
            }
        } else {
            action.run();
        }
    }

    final void shrinkIdleBuffer() {
        withLock(out::shrinkIfIdle);
    }

    /** Arranges a flush: at the end of the current read on this loop, or as a task on this connection's loop. */
    final void scheduleFlush() {
        if (channel.inEventLoop()) {
            if (!touched) {
                touched = true;
                loop.touch(this);
            }
        } else if (!flushScheduled) {
            flushScheduled = true;
            channel.execute(this::flushFromTask);
        }
    }

    final void flushFromLoop() {
        touched = false;
        flush();
    }

    private void flushFromTask() {
        flushScheduled = false;
        flush();
    }

    /** Hands the queued bytes to the transport. On this connection's loop. */
    protected final void flush() {
        if (locking) {
            synchronized (this) {
                flushLocked();
            }
        } else {
            flushLocked();
        }
    }

    final void flushLocked() {
        OutboundBuffer out = this.out;
        if (out.isEmpty()) {
            return;
        }
        try {
            channel.write(out.array(), 0, out.length());
            handedBytes += out.length();
        } catch (OutOfMemoryError exhausted) {
            // The transport's direct memory is used up by what peers have not read: this one
            // cannot be given more, which is what a slow consumer is. The others keep going.
            out.clear();
            closeSlowConsumer(CloseReason.SLOW_CONSUMER_PENDING_BYTES);
            return;
        }
        out.clear();
        if (!channel.isWritable() && blockedSinceNanos == 0 && !closed) {
            blockedSinceNanos = System.nanoTime();
            armWriteDeadline();
        }
    }

    private void armWriteDeadline() {
        if (writeDeadlineTimer != null) {
            writeDeadlineTimer.cancel();
        }
        drainedAtArm = drainedBytes();
        long deadline = server.options.writeDeadline().toNanos();
        writeDeadlineTimer = channel.schedule(this::onWriteDeadline, deadline, TimeUnit.NANOSECONDS);
    }

    private void onWriteDeadline() {
        writeDeadlineTimer = null;
        long since = blockedSinceNanos;
        if (closed || since == 0) {
            return;
        }
        long waited = System.nanoTime() - since;
        long deadline = server.options.writeDeadline().toNanos();
        if (waited >= deadline) {
            long drained = drainedBytes() - drainedAtArm;
            long pending = channel.unwrittenBytes();
            if (writeDeadlineExceeded(drained, pending) && !closed) {
                // Kept open (a route that read part of it): a new deadline for what is left.
                blockedSinceNanos = System.nanoTime();
                armWriteDeadline();
            }
        } else {
            writeDeadlineTimer = channel.schedule(this::onWriteDeadline, deadline - waited, TimeUnit.NANOSECONDS);
        }
    }

    /** What the socket has taken of the bytes handed to the transport. */
    private long drainedBytes() {
        return handedBytes - channel.unwrittenBytes();
    }

    /**
     * The transport could not take more for a whole write deadline; the peer read {@code drained}
     * bytes in that time and {@code pending} are still waiting. Clients are closed as slow
     * consumers. Returns whether the connection goes on (then a new deadline is armed).
     */
    protected boolean writeDeadlineExceeded(long drained, long pending) {
        closeSlowConsumer(CloseReason.SLOW_CONSUMER_WRITE_DEADLINE);
        return false;
    }

    /**
     * More than max_pending is queued for the peer. Clients are closed as slow consumers;
     * returns whether the connection goes on (and the queued bytes are flushed).
     */
    protected boolean pendingLimitExceeded() {
        closeSlowConsumer(CloseReason.SLOW_CONSUMER_PENDING_BYTES);
        return false;
    }

    /** Slow consumers are closed without -ERR, as nats-server 2.9 does, and counted. */
    protected final void closeSlowConsumer(CloseReason reason) {
        if (closed) {
            return;
        }
        closed = true;
        closeReason = reason;
        server.countSlowConsumer(this, reason);
        channel.closeNow();
    }

    // ---------------------------------------------------------------- closing

    /**
     * Closes after sending an optional -ERR and everything queued before it. On this
     * connection's loop.
     */
    protected final void close(CloseReason reason, String error) {
        if (closed) {
            return;
        }
        if (error != null) {
            queue(ProtocolWriter.errorLine(error));
        }
        closed = true;
        closeReason = reason;
        stopParser();
        flush();
        channel.closeAfterFlush();
    }

    /** Closes after flushing what is queued; any thread. */
    public final void closeGracefully(CloseReason reason) {
        channel.execute(() -> close(reason, null));
    }

    protected void cancelTimers() {
        keepAlive.cancel();
        if (writeDeadlineTimer != null) {
            writeDeadlineTimer.cancel();
            writeDeadlineTimer = null;
        }
        stall.cancel();
    }

    protected String describe() {
        return channel.remoteHost() + ":" + channel.remotePort() + " - cid:" + id;
    }

    /** What starts this connection's log and trace lines; a client adds its name once it sent CONNECT. */
    protected String logPrefix() {
        return describe();
    }
}
