package io.natsee.broker.monitor;

import java.util.ArrayList;
import java.util.List;

/**
 * The bounded history of closed connections that {@code /connz?state=closed} shows: the newest
 * {@code capacity} snapshots, oldest dropped first, as nats-server keeps its last 10,000 closed
 * clients. Thread-safe; adding is a constant-time array store under this object's monitor.
 */
public final class ClosedConnections {

    /** How many closed connections nats-server 2.9.10 remembers ({@code MaxClosedClients}). */
    public static final int DEFAULT_CAPACITY = 10_000;

    private final ConnectionSnapshot[] ring;
    private int next;
    private int size;

    /** A history of at most {@code capacity} connections (at least 1). */
    public ClosedConnections(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
        }
        this.ring = new ConnectionSnapshot[capacity];
    }

    /** Records a closed connection, dropping the oldest when full. */
    public synchronized void add(ConnectionSnapshot closed) {
        if (!closed.closed()) {
            throw new IllegalArgumentException("not a closed connection: cid " + closed.cid());
        }
        ring[next] = closed;
        next = (next + 1) % ring.length;
        if (size < ring.length) {
            size++;
        }
    }

    /** The connections remembered, oldest first. */
    public synchronized List<ConnectionSnapshot> list() {
        List<ConnectionSnapshot> list = new ArrayList<>(size);
        int first = (next - size + ring.length) % ring.length;
        for (int i = 0; i < size; i++) {
            list.add(ring[(first + i) % ring.length]);
        }
        return list;
    }

    /** How many are remembered. */
    public synchronized int size() {
        return size;
    }
}
