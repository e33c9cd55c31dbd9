package io.natsee.broker.server;

import io.natsee.broker.monitor.ClosedConnections;
import io.natsee.broker.monitor.ConnectionSnapshot;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The client connections of one broker: ids, the open ones, the total ever accepted, and a
 * bounded ring of closed ones (as {@code /connz?state=closed} shows them). A connection enters
 * through {@link #nextId} and {@link #register}, and leaves through {@link #closed}, which its
 * transport's close event calls exactly once; that is the one place the closed history is
 * filled. Thread-safe: the event loops change it, monitoring reads it from any thread.
 */
public final class ConnectionRegistry {

    /** Told when a client has authenticated and when it has closed; called on the connection's event loop. */
    public interface Listener {

        /** A client finished CONNECT and authenticated. */
        void connected(ConnectionSnapshot connection);

        /** A client closed; {@code last} holds its final counters and reason. */
        void disconnected(ConnectionSnapshot last);
    }

    private static final Listener NONE = new Listener() {
        @Override
        public void connected(ConnectionSnapshot connection) {
        }

        @Override
        public void disconnected(ConnectionSnapshot last) {
        }
    };

    private final ConcurrentHashMap<Long, ClientConnection> open = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final AtomicLong total = new AtomicLong();
    private final ClosedConnections closedHistory;
    private volatile Listener listener = NONE;

    /** A registry that remembers at most {@code closedCapacity} closed connections. */
    public ConnectionRegistry(int closedCapacity) {
        this.closedHistory = new ClosedConnections(closedCapacity);
    }

    /** A registry remembering as many closed connections as nats-server 2.9.10 does. */
    public ConnectionRegistry() {
        this(ClosedConnections.DEFAULT_CAPACITY);
    }

    /** Who is told of connects and disconnects (the system advisories); one listener at a time. */
    public void listener(Listener listener) {
        this.listener = listener == null ? NONE : listener;
    }

    /** A new connection id, unique among this broker's clients and routes. */
    long nextId() {
        return ids.incrementAndGet();
    }

    /** Counts an accepted client connection in the total, whether it is then admitted or refused. */
    void accepted() {
        total.incrementAndGet();
    }

    /** Admits an accepted connection. */
    void register(ClientConnection connection) {
        open.put(connection.id(), Objects.requireNonNull(connection));
    }

    /** A client authenticated: tells the listener. On the connection's loop. */
    void authenticated(ClientConnection connection) {
        Listener current = listener;
        if (current != NONE) {
            current.connected(connection.snapshot(false));
        }
    }

    /**
     * A connection closed (admitted or refused): it leaves the open set and its last snapshot
     * joins the closed history. Called once per connection, from its transport close event.
     */
    void closed(ClientConnection connection, ConnectionSnapshot last) {
        boolean wasOpen = open.remove(connection.id(), connection);
        closedHistory.add(last);
        if (wasOpen && connection.authenticatedOnce()) {
            listener.disconnected(last);
        }
    }

    /** The open connections now, in no particular order. */
    public List<ClientConnection> open() {
        return new ArrayList<>(open.values());
    }

    /** The open connection with this id, or {@code null}. */
    public ClientConnection find(long cid) {
        return open.get(cid);
    }

    /** How many connections are open. */
    public int openCount() {
        return open.size();
    }

    /** How many connections were ever accepted, refused ones included. */
    public long totalCount() {
        return total.get();
    }

    /** The remembered closed connections, oldest first. */
    public List<ConnectionSnapshot> closedConnections() {
        return closedHistory.list();
    }
}
