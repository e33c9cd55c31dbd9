package io.natsee.ra.streaming;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The settings of one streaming session, with the Java streaming client's defaults.
 *
 * @param clusterId the streaming server's cluster id ({@code test-cluster} by default)
 * @param clientId this session's client id: letters, digits, {@code -} and {@code _}; unique in the cluster
 * @param discoverPrefix the connect subject's prefix ({@code _STAN.discover})
 * @param requestTimeout how long connect, subscribe, unsubscribe and close wait for the server's answer
 * @param pubAckWait how long a publish waits for its acknowledgement
 * @param maxPubAcksInFlight unacknowledged publishes allowed at once; further publishes wait for a slot
 * @param pingInterval how often the session pings the server to find out whether it still knows this client
 * @param pingMaxOut unanswered pings after which the session is set up again
 */
public record StreamingClientOptions(String clusterId, String clientId, String discoverPrefix, Duration requestTimeout,
        Duration pubAckWait, int maxPubAcksInFlight, Duration pingInterval, int pingMaxOut) {

    public static final String DEFAULT_CLUSTER_ID = "test-cluster";
    public static final String DEFAULT_DISCOVER_PREFIX = "_STAN.discover";
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(5);
    /** The Java streaming client's publish ack wait. */
    public static final Duration DEFAULT_PUB_ACK_WAIT = Duration.ofSeconds(30);
    /** The Java streaming client's limit of unacknowledged publishes. */
    public static final int DEFAULT_MAX_PUB_ACKS_IN_FLIGHT = 16_384;
    /** The Java streaming client's ping interval. */
    public static final Duration DEFAULT_PING_INTERVAL = Duration.ofSeconds(5);
    /** The Java streaming client's unanswered pings before the connection counts as lost. */
    public static final int DEFAULT_PING_MAX_OUT = 3;

    private static final Pattern CLIENT_ID = Pattern.compile("[a-zA-Z0-9_-]+");

    /** Checks the settings. */
    public StreamingClientOptions {
        Objects.requireNonNull(clusterId, "clusterId");
        Objects.requireNonNull(clientId, "clientId");
        if (clusterId.isBlank()) {
            throw new IllegalArgumentException("the streaming cluster id must not be empty");
        }
        if (!CLIENT_ID.matcher(clientId).matches()) {
            throw new IllegalArgumentException("invalid streaming client id '" + clientId
                    + "': only letters, digits, '-' and '_' are allowed");
        }
        discoverPrefix = discoverPrefix == null || discoverPrefix.isBlank() ? DEFAULT_DISCOVER_PREFIX : discoverPrefix;
        requestTimeout = positive(requestTimeout, DEFAULT_REQUEST_TIMEOUT);
        pubAckWait = positive(pubAckWait, DEFAULT_PUB_ACK_WAIT);
        maxPubAcksInFlight = maxPubAcksInFlight < 1 ? DEFAULT_MAX_PUB_ACKS_IN_FLIGHT : maxPubAcksInFlight;
        pingInterval = positive(pingInterval, DEFAULT_PING_INTERVAL);
        if (pingInterval.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("the streaming ping interval is sent in whole seconds: at least 1 s");
        }
        pingMaxOut = pingMaxOut < 1 ? DEFAULT_PING_MAX_OUT : pingMaxOut;
    }

    /** Options with the defaults for a cluster and client id. */
    public static StreamingClientOptions of(String clusterId, String clientId) {
        return new StreamingClientOptions(clusterId, clientId, null, null, null, 0, null, 0);
    }

    /** Returns true when {@code clientId} is a valid streaming client id. */
    public static boolean isValidClientId(String clientId) {
        return clientId != null && CLIENT_ID.matcher(clientId).matches();
    }

    /** Returns a copy with another ping interval and maximum of unanswered pings. */
    public StreamingClientOptions withPings(Duration interval, int maxOut) {
        return new StreamingClientOptions(clusterId, clientId, discoverPrefix, requestTimeout, pubAckWait,
                maxPubAcksInFlight, interval, maxOut);
    }

    /** Returns a copy with another publish ack wait and limit of unacknowledged publishes. */
    public StreamingClientOptions withPublishing(Duration ackWait, int maxInFlight) {
        return new StreamingClientOptions(clusterId, clientId, discoverPrefix, requestTimeout, ackWait, maxInFlight,
                pingInterval, pingMaxOut);
    }

    private static Duration positive(Duration value, Duration fallback) {
        return value == null || value.isZero() || value.isNegative() ? fallback : value;
    }
}
