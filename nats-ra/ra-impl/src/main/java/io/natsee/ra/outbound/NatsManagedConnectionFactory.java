package io.natsee.ra.outbound;

import io.nats.client.NUID;
import io.natsee.ra.ClientSettings;
import io.natsee.ra.NatsResourceAdapter;
import io.natsee.ra.api.NatsConnection;
import io.natsee.ra.api.NatsConnectionFactory;
import io.natsee.ra.streaming.StreamingClientOptions;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.ConfigProperty;
import jakarta.resource.spi.ConnectionDefinition;
import jakarta.resource.spi.ConnectionManager;
import jakarta.resource.spi.ConnectionRequestInfo;
import jakarta.resource.spi.ManagedConnection;
import jakarta.resource.spi.ManagedConnectionFactory;
import jakarta.resource.spi.ResourceAdapter;
import jakarta.resource.spi.ResourceAdapterAssociation;
import jakarta.resource.spi.TransactionSupport;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Timer;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.Objects;
import java.util.Set;
import javax.security.auth.Subject;

/**
 * The managed connection factory behind every NATS connection pool, with the resource adapter's
 * settings overridden by its own. In {@code connectionMode=dedicated} (the default) each managed
 * connection opens its own jnats connection; in {@code connectionMode=shared} managed
 * connections with the same effective settings and credentials share one reference-counted
 * jnats connection.
 */
@ConnectionDefinition(
        connectionFactory = NatsConnectionFactory.class,
        connectionFactoryImpl = NatsConnectionFactoryImpl.class,
        connection = NatsConnection.class,
        connectionImpl = NatsConnectionHandle.class)
public class NatsManagedConnectionFactory implements ManagedConnectionFactory, ResourceAdapterAssociation, TransactionSupport {

    private static final long serialVersionUID = 1L;

    private final ClientSettings settings = new ClientSettings();
    /** Each managed connection owns one jnats connection. */
    public static final String DEDICATED = "dedicated";
    /** Managed connections with equal settings share one jnats connection. */
    public static final String SHARED = "shared";

    /** The prefix of the client ids of the factory's streaming sessions. */
    public static final String DEFAULT_STREAMING_CLIENT_ID_PREFIX = "natsee-ra";

    private Boolean transactionalPublish = Boolean.FALSE;
    private String streamingClusterId = StreamingClientOptions.DEFAULT_CLUSTER_ID;
    private String streamingClientIdPrefix = DEFAULT_STREAMING_CLIENT_ID_PREFIX;
    private Long streamingPubAckWaitMillis = StreamingClientOptions.DEFAULT_PUB_ACK_WAIT.toMillis();
    private Integer streamingMaxPubAcksInFlight = StreamingClientOptions.DEFAULT_MAX_PUB_ACKS_IN_FLIGHT;
    private transient Timer ownTimer;
    private String connectionMode = DEDICATED;
    private transient NatsResourceAdapter resourceAdapter;
    private transient SharedConnections ownSharedConnections;
    private transient AfterCommitPublisher afterCommitPublisher;
    private transient PrintWriter logWriter;

    @Override
    public Object createConnectionFactory(ConnectionManager connectionManager) {
        return new NatsConnectionFactoryImpl(this, connectionManager);
    }

    @Override
    public Object createConnectionFactory() {
        return new NatsConnectionFactoryImpl(this, new UnpooledConnectionManager());
    }

    @Override
    public ManagedConnection createManagedConnection(Subject subject, ConnectionRequestInfo requestInfo) throws ResourceException {
        ClientSettings effective = effectiveSettings(requestInfo);
        NatsConnectionRequestInfo credentials = (NatsConnectionRequestInfo) requestInfo;
        NatsManagedConnection managedConnection = isShared()
                ? NatsManagedConnection.openShared(this, effective, credentials, sharedConnections())
                : NatsManagedConnection.open(this, effective, credentials);
        if (resourceAdapter != null) {
            resourceAdapter.register(managedConnection);
        }
        return managedConnection;
    }

    /** Returns the settings a new connection uses: adapter, then this factory, then the request's credentials. */
    ClientSettings effectiveSettings(ConnectionRequestInfo requestInfo) {
        ClientSettings base = resourceAdapter == null ? new ClientSettings() : resourceAdapter.settings();
        ClientSettings effective = base.overriddenBy(settings);
        if (requestInfo instanceof NatsConnectionRequestInfo credentials && credentials.user() != null) {
            ClientSettings requested = new ClientSettings();
            requested.setUser(credentials.user());
            requested.setPassword(credentials.password());
            effective = effective.overriddenBy(requested);
        }
        return effective;
    }

    @Override
    @SuppressWarnings("rawtypes")
    public ManagedConnection matchManagedConnections(Set candidates, Subject subject, ConnectionRequestInfo requestInfo) {
        for (Object candidate : candidates) {
            if (candidate instanceof NatsManagedConnection managedConnection
                    && managedConnection.factory() == this
                    && Objects.equals(managedConnection.requestInfo(), requestInfo)
                    && managedConnection.isUsable()) {
                return managedConnection;
            }
        }
        return null;
    }

    /** Returns true in {@code connectionMode=shared}. */
    boolean isShared() {
        return SHARED.equals(mode(connectionMode));
    }

    private static String mode(String value) {
        if (value == null || value.isBlank()) {
            return DEDICATED;
        }
        String mode = value.trim().toLowerCase(java.util.Locale.ROOT);
        if (!mode.equals(DEDICATED) && !mode.equals(SHARED)) {
            throw new IllegalArgumentException("connectionMode must be 'dedicated' or 'shared', not '" + value + "'");
        }
        return mode;
    }

    /** Returns the shared connections: the resource adapter's (shared across pools), else this factory's own. */
    synchronized SharedConnections sharedConnections() {
        if (resourceAdapter != null) {
            return resourceAdapter.sharedConnections();
        }
        if (ownSharedConnections == null) {
            ownSharedConnections = new SharedConnections();
        }
        return ownSharedConnections;
    }

    /** Returns the buffer for transactional publishes, or null when the mode is off or there is no transaction manager. */
    AfterCommitPublisher afterCommitPublisher() {
        // Read on every publish: the common, non-transactional case takes no lock.
        if (!Boolean.TRUE.equals(transactionalPublish) || resourceAdapter == null) {
            return null;
        }
        return transactionalAfterCommitPublisher();
    }

    private synchronized AfterCommitPublisher transactionalAfterCommitPublisher() {
        if (afterCommitPublisher == null && resourceAdapter.transactionSynchronizationRegistry() != null) {
            afterCommitPublisher = new AfterCommitPublisher(resourceAdapter.transactionSynchronizationRegistry());
        }
        return afterCommitPublisher;
    }

    /** Returns the options of a new streaming session: this factory's cluster, a fresh client id. */
    StreamingClientOptions streamingOptions() {
        String prefix = streamingClientIdPrefix == null || streamingClientIdPrefix.isBlank()
                ? DEFAULT_STREAMING_CLIENT_ID_PREFIX : streamingClientIdPrefix.trim();
        String clusterId = streamingClusterId == null || streamingClusterId.isBlank()
                ? StreamingClientOptions.DEFAULT_CLUSTER_ID : streamingClusterId.trim();
        return StreamingClientOptions.of(clusterId, prefix + "-" + NUID.nextGlobal())
                .withPublishing(Duration.ofMillis(streamingPubAckWaitMillis == null
                        ? StreamingClientOptions.DEFAULT_PUB_ACK_WAIT.toMillis() : streamingPubAckWaitMillis),
                        streamingMaxPubAcksInFlight == null ? 0 : streamingMaxPubAcksInFlight);
    }

    /** Returns the timer for streaming pings: the container's, or (without a resource adapter) one of this factory's own. */
    synchronized Timer timer() {
        if (resourceAdapter != null) {
            return resourceAdapter.timer();
        }
        if (ownTimer == null) {
            ownTimer = new Timer("natsee-streaming-pings", true);
        }
        return ownTimer;
    }

    /** Returns the executor for a streaming session's recoveries: the container's WorkManager when there is an adapter. */
    Executor executor() {
        return resourceAdapter != null ? resourceAdapter.executor() : ForkJoinPool.commonPool();
    }

    void unregister(NatsManagedConnection managedConnection) {
        if (resourceAdapter != null) {
            resourceAdapter.unregister(managedConnection);
        }
    }

    @Override
    public TransactionSupportLevel getTransactionSupport() {
        return TransactionSupportLevel.NoTransaction;
    }

    @Override
    public ResourceAdapter getResourceAdapter() {
        return resourceAdapter;
    }

    @Override
    public void setResourceAdapter(ResourceAdapter resourceAdapter) {
        this.resourceAdapter = (NatsResourceAdapter) resourceAdapter;
    }

    @Override
    public void setLogWriter(PrintWriter logWriter) {
        this.logWriter = logWriter;
    }

    @Override
    public PrintWriter getLogWriter() {
        return logWriter;
    }

    @ConfigProperty(description = "Comma-separated NATS server URLs; empty inherits the resource adapter's.")
    public void setServers(String servers) { settings.setServers(servers); }
    public String getServers() { return settings.getServers(); }

    @ConfigProperty(description = "Connection name shown in the server's monitoring; empty inherits the resource adapter's.")
    public void setConnectionName(String connectionName) { settings.setConnectionName(connectionName); }
    public String getConnectionName() { return settings.getConnectionName(); }

    @ConfigProperty(description = "User name; empty inherits the resource adapter's.")
    public void setUser(String user) { settings.setUser(user); }
    public String getUser() { return settings.getUser(); }

    @ConfigProperty(description = "Password; empty inherits the resource adapter's.", confidential = true)
    public void setPassword(String password) { settings.setPassword(password); }
    public String getPassword() { return settings.getPassword(); }

    @ConfigProperty(description = "Authentication token; empty inherits the resource adapter's.", confidential = true)
    public void setToken(String token) { settings.setToken(token); }
    public String getToken() { return settings.getToken(); }

    @ConfigProperty(description = "Path of a .creds file; empty inherits the resource adapter's.")
    public void setCredentialsFile(String credentialsFile) { settings.setCredentialsFile(credentialsFile); }
    public String getCredentialsFile() { return settings.getCredentialsFile(); }

    @ConfigProperty(description = "Reconnect attempts per server; empty inherits the resource adapter's.")
    public void setMaxReconnects(Integer maxReconnects) { settings.setMaxReconnects(maxReconnects); }
    public Integer getMaxReconnects() { return settings.getMaxReconnects(); }

    @ConfigProperty(defaultValue = "false",
            description = "When true, publishes made inside a JTA transaction are held and sent only after it commits; dropped on rollback.")
    public void setTransactionalPublish(Boolean transactionalPublish) { this.transactionalPublish = transactionalPublish; }
    public Boolean getTransactionalPublish() { return transactionalPublish; }

    @ConfigProperty(defaultValue = StreamingClientOptions.DEFAULT_CLUSTER_ID,
            description = "Cluster id of the NATS Streaming server that connection.streaming() publishes to.")
    public void setStreamingClusterId(String clusterId) { this.streamingClusterId = clusterId; }
    public String getStreamingClusterId() { return streamingClusterId; }

    @ConfigProperty(defaultValue = DEFAULT_STREAMING_CLIENT_ID_PREFIX,
            description = "Prefix of the streaming client ids; each pooled connection adds a unique suffix.")
    public void setStreamingClientIdPrefix(String prefix) { this.streamingClientIdPrefix = prefix; }
    public String getStreamingClientIdPrefix() { return streamingClientIdPrefix; }

    @ConfigProperty(defaultValue = "30000", description = "Milliseconds a streaming publish waits for its acknowledgement.")
    public void setStreamingPubAckWaitMillis(Long millis) { this.streamingPubAckWaitMillis = millis; }
    public Long getStreamingPubAckWaitMillis() { return streamingPubAckWaitMillis; }

    @ConfigProperty(defaultValue = "16384", description = "Unacknowledged streaming publishes allowed per pooled connection; more wait.")
    public void setStreamingMaxPubAcksInFlight(Integer max) { this.streamingMaxPubAcksInFlight = max; }
    public Integer getStreamingMaxPubAcksInFlight() { return streamingMaxPubAcksInFlight; }

    @ConfigProperty(defaultValue = DEDICATED,
            description = "dedicated: one NATS connection (socket) per pooled connection; shared: pooled connections with the same"
                    + " settings and credentials share one multiplexed NATS connection, closed with the last of them.")
    public void setConnectionMode(String connectionMode) { this.connectionMode = mode(connectionMode); }
    public String getConnectionMode() { return connectionMode; }

    @Override
    public boolean equals(Object other) {
        return this == other || other instanceof NatsManagedConnectionFactory that
                && settings.equals(that.settings) && Objects.equals(transactionalPublish, that.transactionalPublish)
                && Objects.equals(connectionMode, that.connectionMode)
                && Objects.equals(streamingClusterId, that.streamingClusterId)
                && Objects.equals(streamingClientIdPrefix, that.streamingClientIdPrefix)
                && Objects.equals(streamingPubAckWaitMillis, that.streamingPubAckWaitMillis)
                && Objects.equals(streamingMaxPubAcksInFlight, that.streamingMaxPubAcksInFlight);
    }

    @Override
    public int hashCode() {
        return Objects.hash(settings, transactionalPublish, connectionMode, streamingClusterId, streamingClientIdPrefix,
                streamingPubAckWaitMillis, streamingMaxPubAcksInFlight);
    }
}
