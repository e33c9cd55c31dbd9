package io.natsee.broker.monitor;

import java.time.Instant;
import java.util.List;

/**
 * What monitoring knows of one client connection at one moment: taken by the broker from the
 * connection (for an open one, when a monitoring request asks; for a closed one, when it
 * closed) and turned into {@code /connz} entries by {@link MonitorService}. Immutable.
 *
 * @param cid the connection id
 * @param ip the client's address
 * @param port the client's port
 * @param start when the connection was accepted
 * @param lastActivity when the client last sent something
 * @param rttNanos the last measured round trip in nanoseconds (0: not measured yet)
 * @param pendingBytes bytes queued for the client and not yet written
 * @param inMsgs messages the client published
 * @param outMsgs messages delivered to the client
 * @param inBytes payload bytes the client published
 * @param outBytes payload bytes delivered to the client
 * @param subscriptionCount the client's subscriptions
 * @param subscriptions the subscriptions, when asked for (otherwise empty); account left empty
 * @param name the client's name from CONNECT
 * @param lang the client's language from CONNECT
 * @param version the client library's version from CONNECT
 * @param user the user name the client sent in CONNECT (empty when none)
 * @param authorizedUser the user it authenticated as (empty when none)
 * @param account the account it belongs to
 * @param tlsVersion the TLS protocol version, empty without TLS
 * @param tlsCipher the TLS cipher suite, empty without TLS
 * @param stop when it closed; {@code null} while open
 * @param reason why it closed, in nats-server's words; empty while open
 */
public record ConnectionSnapshot(
        long cid, String ip, int port, Instant start, Instant lastActivity, long rttNanos,
        long pendingBytes, long inMsgs, long outMsgs, long inBytes, long outBytes,
        int subscriptionCount, List<SubDetail> subscriptions,
        String name, String lang, String version, String user, String authorizedUser, String account,
        String tlsVersion, String tlsCipher, Instant stop, String reason) {

    /** Copies the list so the snapshot never changes. */
    public ConnectionSnapshot {
        subscriptions = List.copyOf(subscriptions);
    }

    /** Whether the connection had closed when this snapshot was taken. */
    public boolean closed() {
        return stop != null;
    }
}
