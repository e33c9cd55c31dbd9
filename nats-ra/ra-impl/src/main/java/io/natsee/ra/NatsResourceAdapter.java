package io.natsee.ra;

import io.natsee.ra.inbound.ActivationKey;
import io.natsee.ra.inbound.InboundActivation;
import io.natsee.ra.inbound.NatsActivation;
import io.natsee.ra.inbound.NatsActivationSpec;
import io.natsee.ra.inbound.NatsStreamingActivationSpec;
import io.natsee.ra.inbound.StreamingActivation;
import io.natsee.ra.outbound.NatsManagedConnection;
import io.natsee.ra.outbound.SharedConnections;
import jakarta.resource.NotSupportedException;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.ActivationSpec;
import jakarta.resource.spi.BootstrapContext;
import jakarta.resource.spi.ConfigProperty;
import jakarta.resource.spi.Connector;
import jakarta.resource.spi.ResourceAdapterInternalException;
import jakarta.resource.spi.TransactionSupport;
import jakarta.resource.spi.UnavailableException;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;
import jakarta.resource.spi.work.WorkManager;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.Timer;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import javax.transaction.xa.XAResource;

/**
 * The NATS resource adapter: holds the client settings both directions inherit, the container's
 * WorkManager, and one {@link NatsActivation} per message-driven bean endpoint.
 *
 * <p>{@code equals} and {@code hashCode} compare the configuration, as WildFly's validator
 * requires of a resource adapter bean.
 */
@Connector(
        displayName = "NATS EE resource adapter",
        description = "Publishes to and receives from NATS through pooled jnats connections and message-driven beans.",
        vendorName = "NATS EE",
        eisType = "NATS",
        version = "0.1",
        transactionSupport = TransactionSupport.TransactionSupportLevel.NoTransaction,
        reauthenticationSupport = false)
public class NatsResourceAdapter implements jakarta.resource.spi.ResourceAdapter {

    private static final System.Logger LOGGER = System.getLogger(NatsResourceAdapter.class.getName());

    private final ClientSettings settings = new ClientSettings();
    private final Map<ActivationKey, InboundActivation> activations = new ConcurrentHashMap<>();
    private final Set<NatsManagedConnection> managedConnections = ConcurrentHashMap.newKeySet();
    private final SharedConnections sharedConnections = new SharedConnections();
    private volatile BootstrapContext bootstrapContext;
    private volatile Timer timer;

    @Override
    public void start(BootstrapContext context) throws ResourceAdapterInternalException {
        this.bootstrapContext = context;
        try {
            this.timer = context.createTimer();
        } catch (UnavailableException e) {
            throw new ResourceAdapterInternalException("the container offers no timer for activation retries", e);
        }
        LOGGER.log(Level.INFO, "NATS resource adapter started; default servers {0}", String.join(",", settings.serverList()));
    }

    @Override
    public void stop() {
        List<InboundActivation> running = new ArrayList<>(activations.values());
        activations.clear();
        // Stop the activations side by side: start every drain, then wait for each (bounded by its drain timeout).
        for (InboundActivation activation : running) {
            activation.beginStop();
        }
        for (InboundActivation activation : running) {
            activation.awaitStopped();
        }
        Timer retries = timer;
        if (retries != null) {
            retries.cancel();
        }
        List<NatsManagedConnection> open = new ArrayList<>(managedConnections);
        managedConnections.clear();
        for (NatsManagedConnection managedConnection : open) {
            managedConnection.destroy();
        }
        sharedConnections.closeAll();
        LOGGER.log(Level.INFO, "NATS resource adapter stopped ({0} activations, {1} pooled connections closed)",
                running.size(), open.size());
    }

    @Override
    public void endpointActivation(MessageEndpointFactory endpointFactory, ActivationSpec spec) throws ResourceException {
        InboundActivation activation;
        if (spec instanceof NatsActivationSpec natsSpec) {
            natsSpec.validate();
            activation = new NatsActivation(workManager(), timer, endpointFactory, natsSpec,
                    settings.overriddenBy(natsSpec.clientSettings()));
        } else if (spec instanceof NatsStreamingActivationSpec streamingSpec) {
            streamingSpec.validate();
            activation = new StreamingActivation(workManager(), timer, endpointFactory, streamingSpec,
                    settings.overriddenBy(streamingSpec.clientSettings()), transactionSynchronizationRegistry());
        } else {
            throw new NotSupportedException("not a NATS activation spec: " + spec);
        }
        ActivationKey key = new ActivationKey(endpointFactory, spec);
        if (activations.putIfAbsent(key, activation) != null) {
            throw new ResourceException("endpoint already activated with this spec: " + spec);
        }
        try {
            activation.start();
        } catch (ResourceException | RuntimeException e) {
            activations.remove(key);
            throw e;
        }
    }

    @Override
    public void endpointDeactivation(MessageEndpointFactory endpointFactory, ActivationSpec spec) {
        InboundActivation activation = activations.remove(new ActivationKey(endpointFactory, spec));
        if (activation != null) {
            activation.stop();
        }
    }

    @Override
    public XAResource[] getXAResources(ActivationSpec[] specs) {
        return new XAResource[0];
    }

    /** Returns the settings every connection factory and activation spec inherits. */
    public ClientSettings settings() {
        return settings;
    }

    /** Returns the container's WorkManager. */
    public WorkManager workManager() {
        BootstrapContext context = bootstrapContext;
        if (context == null) {
            throw new IllegalStateException("the resource adapter is not started");
        }
        return context.getWorkManager();
    }

    /** Returns the container's timer (from {@code BootstrapContext.createTimer()}). */
    public Timer timer() {
        Timer current = timer;
        if (current == null) {
            throw new IllegalStateException("the resource adapter is not started");
        }
        return current;
    }

    /** Returns an executor that runs tasks as Work on the container's WorkManager. */
    public Executor executor() {
        return new WorkExecutor(workManager());
    }

    /** Returns the container's transaction synchronization registry, or null when it has none. */
    public TransactionSynchronizationRegistry transactionSynchronizationRegistry() {
        BootstrapContext context = bootstrapContext;
        return context == null ? null : context.getTransactionSynchronizationRegistry();
    }

    /** Returns the number of running activations (for tests and monitoring). */
    public int activationCount() {
        return activations.size();
    }

    /** Returns the physical connections of the factories in {@code connectionMode=shared}. */
    public SharedConnections sharedConnections() {
        return sharedConnections;
    }

    /** Records a physical connection, so {@link #stop()} closes it. */
    public void register(NatsManagedConnection managedConnection) {
        managedConnections.add(managedConnection);
    }

    /** Forgets a physical connection that was destroyed. */
    public void unregister(NatsManagedConnection managedConnection) {
        managedConnections.remove(managedConnection);
    }

    @ConfigProperty(defaultValue = ClientSettings.DEFAULT_SERVERS,
            description = "Comma-separated NATS server URLs, e.g. nats://host1:4222,nats://host2:4222.")
    public void setServers(String servers) { settings.setServers(servers); }
    public String getServers() { return settings.getServers(); }

    @ConfigProperty(description = "Connection name shown in the server's monitoring (connz).")
    public void setConnectionName(String connectionName) { settings.setConnectionName(connectionName); }
    public String getConnectionName() { return settings.getConnectionName(); }

    @ConfigProperty(description = "User name for user/password authentication.")
    public void setUser(String user) { settings.setUser(user); }
    public String getUser() { return settings.getUser(); }

    @ConfigProperty(description = "Password for user/password authentication.", confidential = true)
    public void setPassword(String password) { settings.setPassword(password); }
    public String getPassword() { return settings.getPassword(); }

    @ConfigProperty(description = "Authentication token.", confidential = true)
    public void setToken(String token) { settings.setToken(token); }
    public String getToken() { return settings.getToken(); }

    @ConfigProperty(description = "NKey seed (starts with SU) for NKey authentication.", confidential = true)
    public void setNkeySeed(String nkeySeed) { settings.setNkeySeed(nkeySeed); }
    public String getNkeySeed() { return settings.getNkeySeed(); }

    @ConfigProperty(description = "Path of a .creds file (JWT and NKey seed) for decentralized authentication.")
    public void setCredentialsFile(String credentialsFile) { settings.setCredentialsFile(credentialsFile); }
    public String getCredentialsFile() { return settings.getCredentialsFile(); }

    @ConfigProperty(description = "Path of the TLS trust store (JKS or PKCS12); setting it enables TLS.")
    public void setTrustStore(String trustStore) { settings.setTrustStore(trustStore); }
    public String getTrustStore() { return settings.getTrustStore(); }

    @ConfigProperty(description = "Password of the TLS trust store.", confidential = true)
    public void setTrustStorePassword(String password) { settings.setTrustStorePassword(password); }
    public String getTrustStorePassword() { return settings.getTrustStorePassword(); }

    @ConfigProperty(description = "Path of the TLS key store holding the client certificate.")
    public void setKeyStore(String keyStore) { settings.setKeyStore(keyStore); }
    public String getKeyStore() { return settings.getKeyStore(); }

    @ConfigProperty(description = "Password of the TLS key store.", confidential = true)
    public void setKeyStorePassword(String password) { settings.setKeyStorePassword(password); }
    public String getKeyStorePassword() { return settings.getKeyStorePassword(); }

    @ConfigProperty(defaultValue = "60", description = "Reconnect attempts per server before a connection is given up; -1 retries forever.")
    public void setMaxReconnects(Integer maxReconnects) { settings.setMaxReconnects(maxReconnects); }
    public Integer getMaxReconnects() { return settings.getMaxReconnects(); }

    @ConfigProperty(defaultValue = "2000", description = "Milliseconds between reconnect attempts to the same server.")
    public void setReconnectWaitMillis(Long millis) { settings.setReconnectWaitMillis(millis); }
    public Long getReconnectWaitMillis() { return settings.getReconnectWaitMillis(); }

    @ConfigProperty(defaultValue = "8388608", description = "Bytes published while disconnected that are kept and sent after reconnecting.")
    public void setReconnectBufferSize(Long bytes) { settings.setReconnectBufferSize(bytes); }
    public Long getReconnectBufferSize() { return settings.getReconnectBufferSize(); }

    @ConfigProperty(defaultValue = "120000", description = "Milliseconds between keep-alive pings to the server.")
    public void setPingIntervalMillis(Long millis) { settings.setPingIntervalMillis(millis); }
    public Long getPingIntervalMillis() { return settings.getPingIntervalMillis(); }

    @ConfigProperty(defaultValue = "2000", description = "Milliseconds allowed for connecting to one server.")
    public void setConnectionTimeoutMillis(Long millis) { settings.setConnectionTimeoutMillis(millis); }
    public Long getConnectionTimeoutMillis() { return settings.getConnectionTimeoutMillis(); }

    @Override
    public boolean equals(Object other) {
        return this == other || other instanceof NatsResourceAdapter that && settings.equals(that.settings);
    }

    @Override
    public int hashCode() {
        return Objects.hash(NatsResourceAdapter.class, settings);
    }
}
