package io.natsee.broker.monitor;

import java.time.Instant;
import java.util.List;

/**
 * What monitoring shows of one route now: the peer, who dialled, the socket's far end, activity
 * and counters, and the peer's interest (subjects, with the queue group after a space).
 *
 * @param rid the route's connection id
 * @param remoteId the peer's server id
 * @param didSolicit whether this server dialled the route
 * @param configured whether the route URL came from the configuration (not from gossip)
 * @param ip the far end's address
 * @param port the far end's port
 * @param rttNanos the last measured round trip, 0 before the first
 * @param pendingBytes bytes queued and not sent yet
 * @param subscriptions the peer's interest
 */
public record RouteSnapshot(long rid, String remoteId, boolean didSolicit, boolean configured, String ip, int port,
                            Instant start, Instant lastActivity, long rttNanos, long pendingBytes, long inMsgs,
                            long outMsgs, long inBytes, long outBytes, List<String> subscriptions) {
}
