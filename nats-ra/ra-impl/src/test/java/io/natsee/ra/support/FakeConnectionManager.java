package io.natsee.ra.support;

import jakarta.resource.ResourceException;
import jakarta.resource.spi.ConnectionEvent;
import jakarta.resource.spi.ConnectionEventListener;
import jakarta.resource.spi.ConnectionManager;
import jakarta.resource.spi.ConnectionRequestInfo;
import jakarta.resource.spi.ManagedConnection;
import jakarta.resource.spi.ManagedConnectionFactory;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A container pool in miniature: matches idle managed connections, takes them back on
 * CONNECTION_CLOSED (after cleanup) and destroys them on CONNECTION_ERROR_OCCURRED.
 */
public final class FakeConnectionManager implements ConnectionManager, ConnectionEventListener {

    private static final long serialVersionUID = 1L;

    private final Set<ManagedConnection> idle = new HashSet<>();
    private final Set<ManagedConnection> inUse = new HashSet<>();
    private final List<ConnectionEvent> errors = new ArrayList<>();
    private int created;
    private int destroyed;

    @Override
    public synchronized Object allocateConnection(ManagedConnectionFactory factory, ConnectionRequestInfo requestInfo) throws ResourceException {
        ManagedConnection managedConnection = factory.matchManagedConnections(new HashSet<>(idle), null, requestInfo);
        if (managedConnection == null) {
            managedConnection = factory.createManagedConnection(null, requestInfo);
            managedConnection.addConnectionEventListener(this);
            created++;
        } else {
            idle.remove(managedConnection);
        }
        inUse.add(managedConnection);
        return managedConnection.getConnection(null, requestInfo);
    }

    @Override
    public synchronized void connectionClosed(ConnectionEvent event) {
        ManagedConnection managedConnection = (ManagedConnection) event.getSource();
        try {
            managedConnection.cleanup();
        } catch (ResourceException e) {
            throw new IllegalStateException(e);
        }
        if (inUse.remove(managedConnection)) {
            idle.add(managedConnection);
        }
    }

    @Override
    public synchronized void connectionErrorOccurred(ConnectionEvent event) {
        ManagedConnection managedConnection = (ManagedConnection) event.getSource();
        errors.add(event);
        idle.remove(managedConnection);
        inUse.remove(managedConnection);
        try {
            managedConnection.destroy();
        } catch (ResourceException e) {
            throw new IllegalStateException(e);
        }
        destroyed++;
    }

    @Override
    public void localTransactionStarted(ConnectionEvent event) {
    }

    @Override
    public void localTransactionCommitted(ConnectionEvent event) {
    }

    @Override
    public void localTransactionRolledback(ConnectionEvent event) {
    }

    public synchronized int created() {
        return created;
    }

    public synchronized int destroyed() {
        return destroyed;
    }

    public synchronized int idleCount() {
        return idle.size();
    }

    public synchronized List<ConnectionEvent> errors() {
        return new ArrayList<>(errors);
    }

    /** Destroys every pooled connection. */
    public synchronized void shutdown() throws ResourceException {
        for (ManagedConnection managedConnection : idle) {
            managedConnection.destroy();
        }
        for (ManagedConnection managedConnection : inUse) {
            managedConnection.destroy();
        }
        idle.clear();
        inUse.clear();
    }
}
