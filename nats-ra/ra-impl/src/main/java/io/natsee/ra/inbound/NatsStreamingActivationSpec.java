package io.natsee.ra.inbound;

import io.natsee.ra.ClientSettings;
import io.natsee.ra.api.StreamingMessageListener;
import io.natsee.ra.streaming.Channels;
import io.natsee.ra.streaming.StreamingClientOptions;
import io.natsee.ra.streaming.SubscriptionOptions;
import io.natsee.ra.streaming.SubscriptionOptions.StartPosition;
import jakarta.resource.spi.Activation;
import jakarta.resource.spi.ActivationSpec;
import jakarta.resource.spi.ConfigProperty;
import jakarta.resource.spi.InvalidPropertyException;
import jakarta.resource.spi.ResourceAdapter;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * The activation properties of a NATS Streaming message-driven bean: the streaming cluster and
 * client id, the channel and how to subscribe to it, the flow limits, and how to connect (empty
 * connection properties inherit the resource adapter's).
 */
@Activation(messageListeners = StreamingMessageListener.class)
public class NatsStreamingActivationSpec implements ActivationSpec {

    /** Deliveries that may run at once per activation. */
    public static final int DEFAULT_MAX_CONCURRENCY = 16;
    /** Seconds the server waits for an acknowledgement before it redelivers (the reference's default). */
    public static final int DEFAULT_ACK_WAIT_SECONDS = 30;

    private final ClientSettings settings = new ClientSettings();
    private String clusterId = StreamingClientOptions.DEFAULT_CLUSTER_ID;
    private String clientId;
    private String channel;
    private String durableName;
    private String queueGroup;
    private String startPosition = "new-only";
    private Long startSequence;
    private String startTime;
    private Long startTimeDeltaMillis;
    private Integer maxInFlight = SubscriptionOptions.DEFAULT_MAX_IN_FLIGHT;
    private Integer ackWaitSeconds = DEFAULT_ACK_WAIT_SECONDS;
    private Integer maxConcurrency = DEFAULT_MAX_CONCURRENCY;
    private Integer pingIntervalSeconds = (int) StreamingClientOptions.DEFAULT_PING_INTERVAL.toSeconds();
    private Integer pingMaxOut = StreamingClientOptions.DEFAULT_PING_MAX_OUT;
    private Integer setupAttempts = NatsActivationSpec.DEFAULT_SETUP_ATTEMPTS;
    private Long setupIntervalMillis = NatsActivationSpec.DEFAULT_SETUP_INTERVAL_MILLIS;
    private Long drainTimeoutMillis = NatsActivationSpec.DEFAULT_DRAIN_TIMEOUT_MILLIS;
    private ResourceAdapter resourceAdapter;

    /** Reports every invalid property at once. */
    @Override
    public void validate() throws InvalidPropertyException {
        List<String> problems = new ArrayList<>();
        if (clusterId == null || clusterId.isBlank()) {
            problems.add("clusterId is required");
        }
        if (clientId != null && !clientId.isBlank() && !StreamingClientOptions.isValidClientId(clientId)) {
            problems.add("clientId '" + clientId + "' may hold only letters, digits, '-' and '_'");
        }
        String channelProblem = Channels.problem(channel);
        if (channelProblem != null) {
            problems.add(channel == null || channel.isEmpty() ? "channel is required" : channelProblem);
        }
        if (isSet(queueGroup) && queueGroup.chars().anyMatch(Character::isWhitespace)) {
            problems.add("queueGroup '" + queueGroup + "' contains whitespace");
        }
        if (isSet(durableName) && isSet(queueGroup) && durableName.contains(":")) {
            problems.add("the durable name of a durable queue subscriber can't contain ':'");
        }
        try {
            subscriptionOptions();
        } catch (IllegalArgumentException | DateTimeParseException e) {
            problems.add(e.getMessage());
        }
        if (maxConcurrency == null || maxConcurrency < 1) {
            problems.add("maxConcurrency must be at least 1, not " + maxConcurrency);
        }
        if (pingIntervalSeconds != null && pingIntervalSeconds < 1) {
            problems.add("pingIntervalSeconds must be at least 1");
        }
        if (setupIntervalMillis == null || setupIntervalMillis < 0) {
            problems.add("setupIntervalMillis must not be negative");
        }
        if (!problems.isEmpty()) {
            throw new InvalidPropertyException("invalid NATS Streaming activation: " + String.join("; ", problems));
        }
    }

    /**
     * Returns what the subscription asks for.
     *
     * @throws IllegalArgumentException (or DateTimeParseException) for an invalid combination
     */
    public SubscriptionOptions subscriptionOptions() {
        StartPosition position = StartPosition.parse(startPosition == null || startPosition.isBlank() ? "new-only" : startPosition);
        Instant time = null;
        if (position == StartPosition.TIME) {
            if (!isSet(startTime)) {
                throw new IllegalArgumentException("startPosition time needs startTime (an ISO-8601 instant such as 2026-01-31T12:00:00Z)");
            }
            time = Instant.parse(startTime.trim());
        }
        Duration delta = position == StartPosition.TIME_DELTA
                ? (startTimeDeltaMillis == null ? null : Duration.ofMillis(startTimeDeltaMillis)) : null;
        if (position == StartPosition.TIME_DELTA && delta == null) {
            throw new IllegalArgumentException("startPosition time-delta needs startTimeDeltaMillis");
        }
        long sequence = startSequence == null ? 0 : startSequence;
        if (position == StartPosition.SEQUENCE && sequence < 1) {
            throw new IllegalArgumentException("startPosition sequence needs startSequence of at least 1");
        }
        int inFlight = maxInFlight == null ? SubscriptionOptions.DEFAULT_MAX_IN_FLIGHT : maxInFlight;
        int ackWait = ackWaitSeconds == null ? DEFAULT_ACK_WAIT_SECONDS : ackWaitSeconds;
        if (ackWait < 1) {
            throw new IllegalArgumentException("ackWaitSeconds must be at least 1, not " + ackWait);
        }
        return new SubscriptionOptions(channel, queueGroup, durableName, position, sequence, time, delta, inFlight,
                Duration.ofSeconds(ackWait));
    }

    private static boolean isSet(String value) {
        return value != null && !value.isBlank();
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

    @ConfigProperty(defaultValue = StreamingClientOptions.DEFAULT_CLUSTER_ID, description = "Cluster id of the NATS Streaming server.")
    public void setClusterId(String clusterId) { this.clusterId = clusterId; }
    public String getClusterId() { return clusterId; }

    @ConfigProperty(description = "Streaming client id (letters, digits, - and _), unique in the cluster; a durable belongs to it."
            + " Empty derives a stable one from the server instance, application and bean.")
    public void setClientId(String clientId) { this.clientId = clientId; }
    public String getClientId() { return clientId; }

    @ConfigProperty(description = "The channel to subscribe to: an exact subject, no wildcards.")
    public void setChannel(String channel) { this.channel = channel; }
    public String getChannel() { return channel; }

    @ConfigProperty(description = "Another name for channel.")
    public void setSubject(String subject) { this.channel = subject; }
    public String getSubject() { return channel; }

    @ConfigProperty(description = "Durable name: the server keeps the position while the bean is undeployed; empty for a plain subscription.")
    public void setDurableName(String durableName) { this.durableName = durableName; }
    public String getDurableName() { return durableName; }

    @ConfigProperty(description = "Queue group: each message goes to one member; with a durable name, a durable queue group.")
    public void setQueueGroup(String queueGroup) { this.queueGroup = queueGroup; }
    public String getQueueGroup() { return queueGroup; }

    @ConfigProperty(defaultValue = "new-only",
            description = "Where a new subscription starts: new-only, last-received, all, sequence, time or time-delta. Ignored when a durable resumes.")
    public void setStartPosition(String startPosition) { this.startPosition = startPosition; }
    public String getStartPosition() { return startPosition; }

    @ConfigProperty(description = "First sequence for startPosition=sequence.")
    public void setStartSequence(Long startSequence) { this.startSequence = startSequence; }
    public Long getStartSequence() { return startSequence; }

    @ConfigProperty(description = "Earliest message time for startPosition=time, as an ISO-8601 instant (2026-01-31T12:00:00Z).")
    public void setStartTime(String startTime) { this.startTime = startTime; }
    public String getStartTime() { return startTime; }

    @ConfigProperty(description = "How far back startPosition=time-delta starts, in milliseconds.")
    public void setStartTimeDeltaMillis(Long millis) { this.startTimeDeltaMillis = millis; }
    public Long getStartTimeDeltaMillis() { return startTimeDeltaMillis; }

    @ConfigProperty(defaultValue = "1024", description = "Unacknowledged messages the server sends at most.")
    public void setMaxInFlight(Integer maxInFlight) { this.maxInFlight = maxInFlight; }
    public Integer getMaxInFlight() { return maxInFlight; }

    @ConfigProperty(defaultValue = "30", description = "Seconds the server waits for an acknowledgement before it redelivers; at least 1.")
    public void setAckWaitSeconds(Integer seconds) { this.ackWaitSeconds = seconds; }
    public Integer getAckWaitSeconds() { return ackWaitSeconds; }

    @ConfigProperty(defaultValue = "16", description = "Deliveries that may run at once; 1 keeps the channel's order.")
    public void setMaxConcurrency(Integer maxConcurrency) { this.maxConcurrency = maxConcurrency; }
    public Integer getMaxConcurrency() { return maxConcurrency; }

    @ConfigProperty(defaultValue = "5", description = "Seconds between pings that check the streaming server still knows this client.")
    public void setPingIntervalSeconds(Integer seconds) { this.pingIntervalSeconds = seconds; }
    public Integer getPingIntervalSeconds() { return pingIntervalSeconds; }

    @ConfigProperty(defaultValue = "3", description = "Unanswered pings after which the streaming session is set up again.")
    public void setPingMaxOut(Integer pingMaxOut) { this.pingMaxOut = pingMaxOut; }
    public Integer getPingMaxOut() { return pingMaxOut; }

    @ConfigProperty(defaultValue = "-1", description = "Setup attempts while activating; -1 retries until the bean is undeployed.")
    public void setSetupAttempts(Integer setupAttempts) { this.setupAttempts = setupAttempts; }
    public Integer getSetupAttempts() { return setupAttempts; }

    @ConfigProperty(defaultValue = "2000", description = "Milliseconds between setup attempts.")
    public void setSetupIntervalMillis(Long millis) { this.setupIntervalMillis = millis; }
    public Long getSetupIntervalMillis() { return setupIntervalMillis; }

    @ConfigProperty(defaultValue = "10000", description = "Milliseconds deactivation waits for running deliveries (and their acknowledgements).")
    public void setDrainTimeoutMillis(Long millis) { this.drainTimeoutMillis = millis; }
    public Long getDrainTimeoutMillis() { return drainTimeoutMillis; }

    @ConfigProperty(description = "Comma-separated NATS server URLs; empty inherits the resource adapter's.")
    public void setServers(String servers) { settings.setServers(servers); }
    public String getServers() { return settings.getServers(); }

    @ConfigProperty(description = "Connection name; empty derives one from the client id.")
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
        return "NatsStreamingActivationSpec[clusterId=" + clusterId + ", clientId=" + clientId + ", channel=" + channel
                + ", durableName=" + durableName + ", queueGroup=" + queueGroup + "]";
    }
}
