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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The physical connections of {@code connectionMode=shared}: one jnats connection per distinct
 * effective configuration (servers, credentials, TLS, reconnect settings...), reference-counted
 * by the managed connections that use it and closed when the last of them is destroyed.
 *
 * <p>When jnats gives a shared connection up, every managed connection on it is told (each then
 * reports CONNECTION_ERROR_OCCURRED to its pool) and the entry is forgotten at once, so the next
 * managed connection opens a fresh one.
 */
public final class SharedConnections {

    private static final System.Logger LOGGER = System.getLogger(SharedConnections.class.getName());

    private final Map<ClientSettings, Shared> open = new HashMap<>();

    /** One physical connection and the managed connections that use it. */
    static final class Shared {
        private final SharedConnections owner;
        private final ClientSettings settings;
        private final Set<NatsManagedConnection> users = ConcurrentHashMap.newKeySet();
        private volatile Connection connection;
        private volatile boolean released;
        private volatile boolean lost;

        private Shared(SharedConnections owner, ClientSettings settings) {
            this.owner = owner;
            this.settings = settings;
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
     * there was is lost), and counts {@code user} as one more reference.
     */
    synchronized Shared acquire(ClientSettings settings, NatsManagedConnection user) throws ResourceException {
        Shared shared = open.get(settings);
        if (shared == null || !shared.usable()) {
            if (shared != null) {
                open.remove(settings);
            }
            shared = connect(settings);
            open.put(settings, shared);
        }
        shared.users.add(user);
        return shared;
    }

    private Shared connect(ClientSettings settings) throws ResourceException {
        Shared shared = new Shared(this, settings);
        ConnectionListener listener = (jnatsConnection, event) -> shared.onEvent(event);
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
        Connection closing = null;
        synchronized (this) {
            if (!shared.users.remove(user) || !shared.users.isEmpty()) {
                return;
            }
            shared.released = true;
            if (open.get(shared.settings) == shared) {
                open.remove(shared.settings);
            }
            closing = shared.connection;
        }
        if (closing != null) {
            try {
                closing.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private synchronized void forget(Shared shared) {
        if (open.get(shared.settings) == shared) {
            open.remove(shared.settings);
        }
    }

    /** Returns the number of open shared physical connections. */
    public synchronized int size() {
        return open.size();
    }

    /** Returns how many managed connections use the shared connection for these settings (for tests). */
    synchronized int references(ClientSettings settings) {
        Shared shared = open.get(settings);
        return shared == null ? 0 : shared.users.size();
    }

    /** Closes every shared connection (adapter stop, after the managed connections were destroyed). */
    public void closeAll() {
        List<Shared> closing;
        synchronized (this) {
            closing = new ArrayList<>(open.values());
            open.clear();
        }
        for (Shared shared : closing) {
            shared.released = true;
            shared.users.clear();
            try {
                shared.connection.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
