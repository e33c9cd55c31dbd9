package io.natsee.ra.outbound;

import io.natsee.ra.api.NatsConnection;
import io.natsee.ra.api.NatsConnectionFactory;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.ConnectionManager;
import javax.naming.Reference;

/**
 * The connection factory handed to applications: asks the container's ConnectionManager for a
 * pooled managed connection and returns its handle.
 */
public final class NatsConnectionFactoryImpl implements NatsConnectionFactory {

    private static final long serialVersionUID = 1L;

    private final NatsManagedConnectionFactory managedConnectionFactory;
    private final ConnectionManager connectionManager;
    private Reference reference;

    public NatsConnectionFactoryImpl(NatsManagedConnectionFactory managedConnectionFactory, ConnectionManager connectionManager) {
        this.managedConnectionFactory = managedConnectionFactory;
        this.connectionManager = connectionManager;
    }

    @Override
    public NatsConnection getConnection() throws ResourceException {
        return (NatsConnection) connectionManager.allocateConnection(managedConnectionFactory, null);
    }

    /** Returns a handle opened with other credentials than the factory's. */
    public NatsConnection getConnection(String user, String password) throws ResourceException {
        return (NatsConnection) connectionManager.allocateConnection(managedConnectionFactory,
                new NatsConnectionRequestInfo(user, password));
    }

    @Override
    public void setReference(Reference reference) {
        this.reference = reference;
    }

    @Override
    public Reference getReference() {
        return reference;
    }
}
