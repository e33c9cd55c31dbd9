package io.natsee.ra.inbound;

import io.natsee.ra.ClientSettings;
import io.natsee.ra.api.NatsMessageListener;
import io.natsee.ra.api.NatsRequestListener;
import jakarta.resource.spi.Activation;
import jakarta.resource.spi.ActivationSpec;
import jakarta.resource.spi.ConfigProperty;
import jakarta.resource.spi.InvalidPropertyException;
import jakarta.resource.spi.ResourceAdapter;
import java.util.ArrayList;
import java.util.List;

/**
 * The activation properties of a NATS message-driven bean: what to subscribe to, how many
 * deliveries may run at once and how to connect (empty connection properties inherit the
 * resource adapter's).
 */
@Activation(messageListeners = {NatsMessageListener.class, NatsRequestListener.class})
public class NatsActivationSpec implements ActivationSpec {

    /** Deliveries that may run at once per activation. */
    public static final int DEFAULT_MAX_CONCURRENCY = 16;
    /** Messages jnats may hold for a busy activation before it drops and reports a slow consumer. */
    public static final long DEFAULT_PENDING_MESSAGE_LIMIT = 65_536;
    /** Bytes jnats may hold for a busy activation before it drops and reports a slow consumer. */
    public static final long DEFAULT_PENDING_BYTE_LIMIT = 64L * 1024 * 1024;
    /** Connection attempts while activating; -1 retries until deactivated. */
    public static final int DEFAULT_SETUP_ATTEMPTS = -1;
    /** Milliseconds between activation attempts. */
    public static final long DEFAULT_SETUP_INTERVAL_MILLIS = 2_000;
    /** Milliseconds deactivation waits for pending and running deliveries. */
    public static final long DEFAULT_DRAIN_TIMEOUT_MILLIS = 10_000;

    private final ClientSettings settings = new ClientSettings();
    private String subject;
    private String queueGroup;
    private Boolean loadBalanced = Boolean.TRUE;
    private Integer maxConcurrency = DEFAULT_MAX_CONCURRENCY;
    private Long pendingMessageLimit = DEFAULT_PENDING_MESSAGE_LIMIT;
    private Long pendingByteLimit = DEFAULT_PENDING_BYTE_LIMIT;
    private Integer setupAttempts = DEFAULT_SETUP_ATTEMPTS;
    private Long setupIntervalMillis = DEFAULT_SETUP_INTERVAL_MILLIS;
    private Long drainTimeoutMillis = DEFAULT_DRAIN_TIMEOUT_MILLIS;
    private ResourceAdapter resourceAdapter;

    /** Reports every invalid property at once. */
    @Override
    public void validate() throws InvalidPropertyException {
        List<String> problems = new ArrayList<>();
        if (subject == null || subject.isBlank()) {
            problems.add("subject is required");
        } else if (subject.chars().anyMatch(Character::isWhitespace)) {
            problems.add("subject '" + subject + "' contains whitespace");
        } else if (subject.startsWith(".") || subject.endsWith(".") || subject.contains("..")) {
            problems.add("subject '" + subject + "' has an empty token");
        }
        if (queueGroup != null && queueGroup.chars().anyMatch(Character::isWhitespace)) {
            problems.add("queueGroup '" + queueGroup + "' contains whitespace");
        }
        if (maxConcurrency == null || maxConcurrency < 1) {
            problems.add("maxConcurrency must be at least 1, not " + maxConcurrency);
        }
        if (pendingMessageLimit != null && pendingMessageLimit == 0) {
            problems.add("pendingMessageLimit must not be 0 (negative means unlimited)");
        }
        if (pendingByteLimit != null && pendingByteLimit == 0) {
            problems.add("pendingByteLimit must not be 0 (negative means unlimited)");
        }
        if (setupIntervalMillis == null || setupIntervalMillis < 0) {
            problems.add("setupIntervalMillis must not be negative");
        }
        if (!problems.isEmpty()) {
            throw new InvalidPropertyException("invalid NATS activation: " + String.join("; ", problems));
        }
    }

    /** Returns the connection settings this spec sets (null fields inherit). */
    public ClientSettings clientSettings() {
        return settings;
    }

    @Override
    public ResourceAdapter getResourceAdapter() {
        return resourceAdapter;
    }

    @Override
    public void setResourceAdapter(ResourceAdapter resourceAdapter) {
        this.resourceAdapter = resourceAdapter;
    }

    @ConfigProperty(description = "Subject to subscribe to; the wildcards * and > are allowed.")
    public void setSubject(String subject) { this.subject = subject; }
    public String getSubject() { return subject; }

    @ConfigProperty(description = "Queue group; empty derives one from the application and bean, so instances of one application share the messages.")
    public void setQueueGroup(String queueGroup) { this.queueGroup = queueGroup; }
    public String getQueueGroup() { return queueGroup; }

    @ConfigProperty(defaultValue = "true", description = "When false, no queue group is used and every instance gets every message.")
    public void setLoadBalanced(Boolean loadBalanced) { this.loadBalanced = loadBalanced; }
    public Boolean getLoadBalanced() { return loadBalanced; }

    @ConfigProperty(defaultValue = "16", description = "Deliveries that may run at once; more messages wait in the client (back-pressure).")
    public void setMaxConcurrency(Integer maxConcurrency) { this.maxConcurrency = maxConcurrency; }
    public Integer getMaxConcurrency() { return maxConcurrency; }

    @ConfigProperty(defaultValue = "65536", description = "Messages held in the client while all deliveries are busy before it drops (slow consumer); negative is unlimited.")
    public void setPendingMessageLimit(Long limit) { this.pendingMessageLimit = limit; }
    public Long getPendingMessageLimit() { return pendingMessageLimit; }

    @ConfigProperty(defaultValue = "67108864", description = "Bytes held in the client while all deliveries are busy before it drops (slow consumer); negative is unlimited.")
    public void setPendingByteLimit(Long limit) { this.pendingByteLimit = limit; }
    public Long getPendingByteLimit() { return pendingByteLimit; }

    @ConfigProperty(defaultValue = "-1", description = "Connection attempts while activating; -1 retries until the bean is undeployed.")
    public void setSetupAttempts(Integer setupAttempts) { this.setupAttempts = setupAttempts; }
    public Integer getSetupAttempts() { return setupAttempts; }

    @ConfigProperty(defaultValue = "2000", description = "Milliseconds between activation attempts.")
    public void setSetupIntervalMillis(Long millis) { this.setupIntervalMillis = millis; }
    public Long getSetupIntervalMillis() { return setupIntervalMillis; }

    @ConfigProperty(defaultValue = "10000", description = "Milliseconds deactivation waits for pending and running deliveries before closing.")
    public void setDrainTimeoutMillis(Long millis) { this.drainTimeoutMillis = millis; }
    public Long getDrainTimeoutMillis() { return drainTimeoutMillis; }

    @ConfigProperty(description = "Comma-separated NATS server URLs; empty inherits the resource adapter's.")
    public void setServers(String servers) { settings.setServers(servers); }
    public String getServers() { return settings.getServers(); }

    @ConfigProperty(description = "Connection name; empty derives one from the bean.")
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

    @ConfigProperty(description = "Reconnect attempts per server; empty inherits the resource adapter's; -1 retries forever.")
    public void setMaxReconnects(Integer maxReconnects) { settings.setMaxReconnects(maxReconnects); }
    public Integer getMaxReconnects() { return settings.getMaxReconnects(); }

    @ConfigProperty(description = "Milliseconds between reconnect attempts; empty inherits the resource adapter's.")
    public void setReconnectWaitMillis(Long millis) { settings.setReconnectWaitMillis(millis); }
    public Long getReconnectWaitMillis() { return settings.getReconnectWaitMillis(); }

    @ConfigProperty(description = "Milliseconds allowed for connecting to one server; empty inherits the resource adapter's.")
    public void setConnectionTimeoutMillis(Long millis) { settings.setConnectionTimeoutMillis(millis); }
    public Long getConnectionTimeoutMillis() { return settings.getConnectionTimeoutMillis(); }

    @Override
    public String toString() {
        return "NatsActivationSpec[subject=" + subject + ", queueGroup=" + queueGroup + ", maxConcurrency=" + maxConcurrency + "]";
    }
}
