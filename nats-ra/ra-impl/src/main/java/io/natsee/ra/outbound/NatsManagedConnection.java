package io.natsee.ra.outbound;

import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.Nats;
import io.natsee.ra.ClientSettings;
import io.natsee.ra.api.NatsConnectionClosedException;
import io.natsee.ra.streaming.StreamingClient;
import jakarta.resource.NotSupportedException;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.ConnectionEvent;
import jakarta.resource.spi.ConnectionEventListener;
import jakarta.resource.spi.ConnectionRequestInfo;
import jakarta.resource.spi.EISSystemException;
import jakarta.resource.spi.LocalTransaction;
import jakarta.resource.spi.ManagedConnection;
import jakarta.resource.spi.ManagedConnectionMetaData;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.security.auth.Subject;
import javax.transaction.xa.XAResource;

/**
 * One pooled NATS connection: uses a jnats {@link Connection} (its own in
 * {@code connectionMode=dedicated}, one reference-counted with other managed connections in
 * {@code connectionMode=shared}), tracks the handles given out on it and reports a lost
 * connection to the pool as CONNECTION_ERROR_OCCURRED.
 */
public final class NatsManagedConnection implements ManagedConnection {

    private static final System.Logger LOGGER = System.getLogger(NatsManagedConnection.class.getName());

    private final NatsManagedConnectionFactory factory;
    private final NatsConnectionRequestInfo requestInfo;
    private final String userName;
    private final Set<NatsConnectionHandle> handles = ConcurrentHashMap.newKeySet();
    private final List<ConnectionEventListener> listeners = new CopyOnWriteArrayList<>();
    private volatile Connection connection;
    private volatile SharedConnections sharedConnections;
    private volatile SharedConnections.Shared shared;
    private final AtomicBoolean destroyed = new AtomicBoolean();
    private final AtomicBoolean errorReported = new AtomicBoolean();
    private PrintWriter logWriter;
    /** The streaming session, opened on first use. Guarded by {@code this}. */
    private StreamingClient streaming;

    private NatsManagedConnection(NatsManagedConnectionFactory factory, NatsConnectionRequestInfo requestInfo, String userName) {
        this.factory = factory;
        this.requestInfo = requestInfo;
        this.userName = userName;
    }

    static NatsManagedConnection open(NatsManagedConnectionFactory factory, ClientSettings settings,
            NatsConnectionRequestInfo requestInfo) throws ResourceException {
        NatsManagedConnection managedConnection = new NatsManagedConnection(factory, requestInfo, settings.getUser());
        ConnectionListener listener = (jnatsConnection, event) -> managedConnection.onConnectionEvent(event);
        try {
            managedConnection.connection = Nats.connect(settings.toOptions(listener, null).build());
        } catch (IOException e) {
            throw new EISSystemException("cannot connect to NATS at " + String.join(",", settings.serverList()) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EISSystemException("interrupted while connecting to NATS", e);
        }
        return managedConnection;
    }

    /** Opens a managed connection on the shared physical connection for these settings. */
    static NatsManagedConnection openShared(NatsManagedConnectionFactory factory, ClientSettings settings,
            NatsConnectionRequestInfo requestInfo, SharedConnections sharedConnections) throws ResourceException {
        NatsManagedConnection managedConnection = new NatsManagedConnection(factory, requestInfo, settings.getUser());
        SharedConnections.Shared shared = sharedConnections.acquire(settings, managedConnection);
        managedConnection.sharedConnections = sharedConnections;
        managedConnection.shared = shared;
        managedConnection.connection = shared.connection();
        return managedConnection;
    }

    /** Returns true when the physical connection is shared with other managed connections. */
    boolean isShared() {
        return shared != null;
    }

    void onConnectionEvent(ConnectionListener.Events event) {
        switch (event) {
            case CLOSED -> {
                if (!destroyed.get()) {
                    reportError(new EISSystemException("NATS connection closed: reconnect attempts exhausted or closed by the server"));
                }
            }
            case DISCONNECTED -> LOGGER.log(Level.DEBUG, "pooled NATS connection disconnected; jnats reconnects");
            case RECONNECTED -> {
                LOGGER.log(Level.DEBUG, "pooled NATS connection reconnected");
                StreamingClient session = openStreaming();
                if (session != null) {
                    session.onReconnected();
                }
            }
            default -> {
            }
        }
    }

    private void reportError(Exception cause) {
        if (!errorReported.compareAndSet(false, true)) {
            return;
        }
        LOGGER.log(Level.WARNING, "pooled NATS connection lost, reporting it to the pool: {0}", cause.getMessage());
        ConnectionEvent event = new ConnectionEvent(this, ConnectionEvent.CONNECTION_ERROR_OCCURRED, cause);
        for (ConnectionEventListener listener : listeners) {
            listener.connectionErrorOccurred(event);
        }
    }

    /** Called by a handle when the application closed it: tells the pool the managed connection is free. */
    void handleClosed(NatsConnectionHandle handle) {
        handles.remove(handle);
        ConnectionEvent event = new ConnectionEvent(this, ConnectionEvent.CONNECTION_CLOSED);
        event.setConnectionHandle(handle);
        for (ConnectionEventListener listener : listeners) {
            listener.connectionClosed(event);
        }
    }

    void detach(NatsConnectionHandle handle) {
        handles.remove(handle);
    }

    void attach(NatsConnectionHandle handle) {
        handles.add(handle);
    }

    @Override
    public Object getConnection(Subject subject, ConnectionRequestInfo requestInfo) throws ResourceException {
        if (destroyed.get()) {
            throw new jakarta.resource.spi.IllegalStateException("managed connection was destroyed");
        }
        NatsConnectionHandle handle = new NatsConnectionHandle(this);
        handles.add(handle);
        return handle;
    }

    @Override
    public void associateConnection(Object connectionHandle) throws ResourceException {
        if (!(connectionHandle instanceof NatsConnectionHandle handle)) {
            throw new ResourceException("not a NATS connection handle: " + connectionHandle);
        }
        handle.associate(this);
    }

    /** Detaches every handle; they throw from now on. The physical connection stays open for the next user. */
    @Override
    public void cleanup() {
        for (NatsConnectionHandle handle : handles) {
            handle.invalidate();
        }
        handles.clear();
    }

    /** Closes the physical connection (or drops this reference to a shared one); running it twice does nothing more. */
    @Override
    public void destroy() {
        if (!destroyed.compareAndSet(false, true)) {
            return;
        }
        cleanup();
        factory.unregister(this);
        closeStreaming();
        SharedConnections.Shared sharedPhysical = shared;
        if (sharedPhysical != null) {
            sharedConnections.release(sharedPhysical, this);
            return;
        }
        Connection physical = connection;
        if (physical != null) {
            try {
                physical.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void addConnectionEventListener(ConnectionEventListener listener) {
        listeners.add(listener);
    }

    @Override
    public void removeConnectionEventListener(ConnectionEventListener listener) {
        listeners.remove(listener);
    }

    @Override
    public XAResource getXAResource() throws ResourceException {
        throw new NotSupportedException("NATS connections take no part in XA transactions");
    }

    @Override
    public LocalTransaction getLocalTransaction() throws ResourceException {
        throw new NotSupportedException("NATS connections have no local transactions; see the transactionalPublish property");
    }

    @Override
    public ManagedConnectionMetaData getMetaData() {
        Connection physical = connection;
        return new NatsManagedConnectionMetaData(physical == null ? null : physical.getServerInfo(), userName);
    }

    @Override
    public void setLogWriter(PrintWriter logWriter) {
        this.logWriter = logWriter;
    }

    @Override
    public PrintWriter getLogWriter() {
        return logWriter;
    }

    /**
     * Returns this managed connection's streaming session, connecting it on first use (and again
     * after it was closed).
     *
     * @throws io.natsee.ra.api.StreamingException if no streaming server of the factory's cluster answers
     */
    synchronized StreamingClient streaming() {
        if (destroyed.get()) {
            throw new NatsConnectionClosedException("the pooled NATS connection was destroyed");
        }
        if (streaming == null || streaming.isClosed()) {
            streaming = StreamingClient.connect(connection, factory.streamingOptions(), factory.timer(), factory.executor());
            LOGGER.log(Level.DEBUG, "streaming session {0} opened on a pooled NATS connection", streaming.clientId());
        }
        return streaming;
    }

    private synchronized StreamingClient openStreaming() {
        return streaming;
    }

    private void closeStreaming() {
        StreamingClient session;
        synchronized (this) {
            session = streaming;
            streaming = null;
        }
        if (session != null) {
            session.close();
        }
    }

    /** Returns the physical connection. */
    Connection physical() {
        return connection;
    }

    NatsManagedConnectionFactory factory() {
        return factory;
    }

    NatsConnectionRequestInfo requestInfo() {
        return requestInfo;
    }

    /** Returns the number of handles currently attached (for tests). */
    int handleCount() {
        return handles.size();
    }

    boolean isDestroyed() {
        return destroyed.get();
    }

    /** Returns true while the physical connection can carry messages (possibly after a reconnect). */
    boolean isUsable() {
        Connection physical = connection;
        return !destroyed.get() && !errorReported.get() && physical != null && physical.getStatus() != Connection.Status.CLOSED;
    }
}
