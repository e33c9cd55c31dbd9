package io.natsee.ra.outbound;

import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.Nats;
import io.natsee.ra.ClientSettings;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.EISSystemException;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The physical connections of {@code connectionMode=shared}: one jnats connection per distinct
 * effective configuration (servers, credentials, TLS, reconnect settings...), reference-counted
 * by the managed connections that use it and closed when the last of them is destroyed.
 *
 * <p>Each configuration has its own {@link Slot} and its own lock, so a slow or unreachable
 * server delays only the managed connections that want it. Slots are keyed by an immutable
 * {@link Key} taken from a private copy of the settings. When jnats gives a shared connection up,
 * every managed connection on it is told (each then reports CONNECTION_ERROR_OCCURRED to its
 * pool) and the slot forgets it at once, so the next managed connection opens a fresh one.
 */
public final class SharedConnections {

    private static final System.Logger LOGGER = System.getLogger(SharedConnections.class.getName());

    private final Map<Key, Slot> slots = new ConcurrentHashMap<>();

    /** The immutable identity of one configuration. */
    record Key(List<Object> identity) {
        static Key of(ClientSettings settings) {
            return new Key(settings.identity());
        }
    }

    /** One configuration's lock and its current physical connection, if any. */
    private static final class Slot {
        private final ClientSettings settings;
        /** Guarded by this slot's monitor. */
        private Shared current;

        private Slot(ClientSettings settings) {
            this.settings = settings;
        }
    }

    /** One physical connection and the managed connections that use it. */
    static final class Shared {
        private final SharedConnections owner;
        private final Slot slot;
        private final Set<NatsManagedConnection> users = ConcurrentHashMap.newKeySet();
        private volatile Connection connection;
        private volatile boolean released;
        private volatile boolean lost;

        private Shared(SharedConnections owner, Slot slot) {
            this.owner = owner;
            this.slot = slot;
        }

        Connection connection() {
            return connection;
        }

        private boolean usable() {
            Connection physical = connection;
            return !lost && !released && physical != null && physical.getStatus() != Connection.Status.CLOSED;
        }

        private void onEvent(ConnectionListener.Events event) {
            if (event == ConnectionListener.Events.CLOSED) {
                if (released) {
                    return;
                }
                lost = true;
                owner.forget(this);
            }
            for (NatsManagedConnection user : new ArrayList<>(users)) {
                user.onConnectionEvent(event);
            }
        }
    }

    /**
     * Returns the shared connection for these settings, opening it if there is none (or the one
     * there was is lost), and counts {@code user} as one more reference. Only callers for the
     * same configuration wait for each other.
     */
    Shared acquire(ClientSettings settings, NatsManagedConnection user) throws ResourceException {
        Slot slot = slots.computeIfAbsent(Key.of(settings), key -> new Slot(settings.copy()));
        synchronized (slot) {
            Shared shared = slot.current;
            if (shared == null || !shared.usable()) {
                shared = connect(slot);
                slot.current = shared;
            }
            shared.users.add(user);
            return shared;
        }
    }

    /** Caller holds the slot's lock. */
    private Shared connect(Slot slot) throws ResourceException {
        Shared shared = new Shared(this, slot);
        ConnectionListener listener = (jnatsConnection, event) -> shared.onEvent(event);
        ClientSettings settings = slot.settings;
        try {
            shared.connection = Nats.connect(settings.toOptions(listener, null).build());
        } catch (IOException e) {
            throw new EISSystemException("cannot connect to NATS at " + String.join(",", settings.serverList()) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EISSystemException("interrupted while connecting to NATS", e);
        }
        LOGGER.log(Level.DEBUG, "opened a shared NATS connection to {0}", String.join(",", settings.serverList()));
        return shared;
    }

    /** Drops one reference; the last one closes the physical connection. */
    void release(Shared shared, NatsManagedConnection user) {
        Connection closing;
        synchronized (shared.slot) {
            if (!shared.users.remove(user) || !shared.users.isEmpty()) {
                return;
            }
            shared.released = true;
            if (shared.slot.current == shared) {
                shared.slot.current = null;
            }
            closing = shared.connection;
        }
        close(closing);
    }

    private void forget(Shared shared) {
        synchronized (shared.slot) {
            if (shared.slot.current == shared) {
                shared.slot.current = null;
            }
        }
    }

    /** Returns the number of open shared physical connections. */
    public int size() {
        int open = 0;
        for (Slot slot : slots.values()) {
            synchronized (slot) {
                open += slot.current == null ? 0 : 1;
            }
        }
        return open;
    }

    /** Returns how many managed connections use the shared connection for these settings (for tests). */
    int references(ClientSettings settings) {
        Slot slot = slots.get(Key.of(settings));
        if (slot == null) {
            return 0;
        }
        synchronized (slot) {
            return slot.current == null ? 0 : slot.current.users.size();
        }
    }

    /** Closes every shared connection (adapter stop, after the managed connections were destroyed). */
    public void closeAll() {
        List<Connection> closing = new ArrayList<>();
        for (Slot slot : slots.values()) {
            synchronized (slot) {
                Shared shared = slot.current;
                if (shared != null) {
                    shared.released = true;
                    shared.users.clear();
                    slot.current = null;
                    closing.add(shared.connection);
                }
            }
        }
        slots.clear();
        for (Connection connection : closing) {
            close(connection);
        }
    }

    private static void close(Connection connection) {
        if (connection == null) {
            return;
        }
        try {
            connection.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
