package io.natsee.broker;

import java.time.Duration;

/** The default ports and limits of the broker, each the value nats-server 2.9.10 uses. */
public final class BrokerDefaults {

    /** The client port nats-server listens on by default. */
    public static final int PORT = 4222;
    /** The monitoring port nats-server uses by convention when monitoring is switched on. */
    public static final int HTTP_PORT = 8222;
    /** Passing this as a port asks for any free port, as nats-server's {@code -p -1} does. */
    public static final int RANDOM_PORT = -1;
    /** nats-server listens on every interface unless told otherwise. */
    public static final String HOST = "0.0.0.0";
    /** Largest payload a client may publish, in bytes (1 MiB, nats-server's MAX_PAYLOAD_SIZE). */
    public static final int MAX_PAYLOAD = 1024 * 1024;
    /** Longest control line a client may send, in bytes (nats-server's MAX_CONTROL_LINE_SIZE). */
    public static final int MAX_CONTROL_LINE = 4096;
    /** Outbound bytes queued for one client before it is closed as a slow consumer (64 MiB). */
    public static final long MAX_PENDING = 64L * 1024 * 1024;
    /** Client connections accepted at once (64K, nats-server's DEFAULT_MAX_CONNECTIONS). */
    public static final int MAX_CONNECTIONS = 64 * 1024;
    /** Subscriptions per connection; 0 means no limit, as in nats-server. */
    public static final int MAX_SUBSCRIPTIONS = 0;
    /** How often the server pings an idle client (2 minutes). */
    public static final Duration PING_INTERVAL = Duration.ofMinutes(2);
    /** Unanswered pings after which the connection is stale and closed. */
    public static final int PING_MAX = 2;
    /** The time over which lame duck mode closes clients (nats-server's DEFAULT_LAME_DUCK_DURATION). */
    public static final Duration LAME_DUCK_DURATION = Duration.ofMinutes(2);
    /** The wait before lame duck mode closes the first client (DEFAULT_LAME_DUCK_GRACE_PERIOD). */
    public static final Duration LAME_DUCK_GRACE_PERIOD = Duration.ofSeconds(10);
    /** How long one socket write may block before the client is a slow consumer (10 s in 2.9). */
    public static final Duration WRITE_DEADLINE = Duration.ofSeconds(10);
    /** How long a client has to authenticate after INFO (2 s in 2.9). */
    public static final Duration AUTH_TIMEOUT = Duration.ofSeconds(2);
    /** Payload size above which nats-server warns at start-up (8 MiB). */
    public static final int MAX_PAYLOAD_WARNING = 8 * 1024 * 1024;
    /** The version string this server reports; the protocol level it matches. */
    public static final String VERSION = "2.9.10";

    private BrokerDefaults() {
    }

    /**
     * The number of event loops that suits this machine: one on two cores or fewer (the load
     * generator and the kernel need the other core; measured, see ARCHITECTURE.md decision 4),
     * otherwise half the cores.
     */
    public static int eventLoops() {
        int cores = Runtime.getRuntime().availableProcessors();
        return cores <= 2 ? 1 : Math.max(1, cores / 2);
    }
}
