package io.natsee.broker.server;

import io.natsee.broker.transport.TransportChannel;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Keep-alive as nats-server 2.9 does it for clients and routes alike: the first tick always
 * pings (it measures the round trip); later ticks ping only a peer that was idle for a whole
 * interval, sending nothing and receiving nothing, and close it as stale when too many pings are
 * unanswered. Everything runs on the connection's event loop.
 */
final class KeepAlive {

    /** The first ping measures the round trip: it comes at most this soon after connecting. */
    private static final long FIRST_PING_NANOS = TimeUnit.SECONDS.toNanos(2);

    private final Connection connection;
    private final long intervalNanos;
    private final int pingMax;
    private int pingsOutstanding;
    private boolean firstPingSent;
    private long outMsgsAtLastTick;
    private long lastPeerPingNanos;
    private long pingSentNanos;
    private volatile long rttNanos;
    private TransportChannel.Cancellable timer;

    KeepAlive(Connection connection, long intervalNanos, int pingMax) {
        this.connection = connection;
        this.intervalNanos = intervalNanos;
        this.pingMax = pingMax;
    }

    /** Schedules the first tick, a little randomized so that many connections do not ping at once. */
    void start() {
        long first = Math.min(intervalNanos, FIRST_PING_NANOS);
        first += ThreadLocalRandom.current().nextLong(Math.max(1, first / 5));
        timer = connection.channel.schedule(this::onTimer, first, TimeUnit.NANOSECONDS);
    }

    /** The peer pinged us: it is alive, and pinging it back would be redundant. */
    void peerPinged() {
        lastPeerPingNanos = System.nanoTime();
    }

    /** The peer answered: nothing is outstanding, and the round trip is measured. */
    void ponged() {
        pingsOutstanding = 0;
        if (pingSentNanos != 0) {
            rttNanos = System.nanoTime() - pingSentNanos;
            pingSentNanos = 0;
        }
    }

    long roundTripNanos() {
        return rttNanos;
    }

    void cancel() {
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
    }

    private void onTimer() {
        timer = null;
        Connection connection = this.connection;
        if (connection.closed) {
            return;
        }
        connection.shrinkIdleBuffer();
        long now = System.nanoTime();
        long delivered = connection.outMsgs;
        boolean received = delivered != outMsgsAtLastTick;
        outMsgsAtLastTick = delivered;
        boolean idle = now - connection.lastActivityNanos >= intervalNanos
                && now - lastPeerPingNanos >= intervalNanos && !received;
        if (!firstPingSent || idle) {
            firstPingSent = true;
            if (pingsOutstanding + 1 > pingMax) {
                connection.close(CloseReason.STALE_CONNECTION, "Stale Connection");
                return;
            }
            pingsOutstanding++;
            if (pingSentNanos == 0) {
                pingSentNanos = now;
            }
            connection.queue(ProtocolWriter.PING);
            connection.flush();
        }
        timer = connection.channel.schedule(this::onTimer, intervalNanos, TimeUnit.NANOSECONDS);
    }
}
