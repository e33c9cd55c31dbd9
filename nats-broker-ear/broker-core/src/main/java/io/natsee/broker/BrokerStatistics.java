package io.natsee.broker;

import java.time.Instant;

/**
 * A snapshot of the broker's counters, summed over its event loops. Counts are since start.
 *
 * @param inMsgs messages received from clients
 * @param outMsgs messages delivered to clients
 * @param inBytes payload bytes received from clients
 * @param outBytes payload bytes delivered to clients
 * @param slowConsumers connections closed as slow consumers
 * @param connections client connections open now
 * @param totalConnections client connections accepted since start
 * @param subscriptions subscriptions registered now
 * @param start when the broker started
 */
public record BrokerStatistics(long inMsgs, long outMsgs, long inBytes, long outBytes,
                               long slowConsumers, int connections, long totalConnections,
                               int subscriptions, Instant start) {
}
