package io.natsee.broker.server;

import io.natsee.broker.transport.TransportChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Back-pressure between connections: a consumer whose queue passes half its limit asks the
 * producer delivering to it to stop reading, and lets it read again when its socket drains (or
 * after a second at most). One instance per connection holds both roles: the producers this
 * connection stalled, and whether this connection is itself stalled.
 */
final class ProducerStall {

    /** A stalled producer reads again after this long even if its consumer did not drain. */
    private static final long STALL_MAX_MILLIS = 1000;

    private final Connection connection;
    /** Set by a consumer on this connection's loop during a read; acted on at the end of the read. */
    private boolean requested;
    private final List<Connection> stalledProducers = new ArrayList<>(0);
    private boolean stalled;
    private TransportChannel.Cancellable timer;

    ProducerStall(Connection connection) {
        this.connection = connection;
    }

    /** This consumer asks {@code producer} (on whose loop this runs) to stop reading until it drains. */
    void request(Connection producer) {
        if (producer != connection) {
            producer.stall.requested = true;
            synchronized (stalledProducers) {
                if (!stalledProducers.contains(producer)) {
                    stalledProducers.add(producer);
                }
            }
        }
    }

    /** At the end of a read of this (producing) connection: stalls it when a consumer asked to. */
    void afterRead() {
        if (requested) {
            requested = false;
            stall();
        }
    }

    private void stall() {
        if (stalled || connection.closed) {
            return;
        }
        stalled = true;
        connection.channel.setReading(false);
        timer = connection.channel.schedule(this::resume, STALL_MAX_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void resume() {
        if (!stalled) {
            return;
        }
        stalled = false;
        cancel();
        if (!connection.closed) {
            connection.channel.setReading(true);
        }
    }

    /** This consumer drained (or closed): the producers it stalled read again. */
    void resumeProducers() {
        List<Connection> producers;
        synchronized (stalledProducers) {
            if (stalledProducers.isEmpty()) {
                return;
            }
            producers = new ArrayList<>(stalledProducers);
            stalledProducers.clear();
        }
        for (Connection producer : producers) {
            producer.channel.execute(producer.stall::resume);
        }
    }

    void closed() {
        resumeProducers();
        stalled = false;
        cancel();
    }

    void cancel() {
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
    }
}
