package io.natsee.streaming.server;

/**
 * The NATS subjects of the streaming protocol for one cluster id, as nats-streaming-server names them.
 */
record ProtocolSubjects(String discover, String publish, String subscribe, String unsubscribe, String subscriptionClose,
                        String close, String pings, String acks) {

    static ProtocolSubjects of(String discoverPrefix, String clusterId) {
        return new ProtocolSubjects(discoverPrefix + "." + clusterId, "_STAN.pub." + clusterId,
                "_STAN.sub." + clusterId, "_STAN.unsub." + clusterId, "_STAN.subclose." + clusterId,
                "_STAN.close." + clusterId, discoverPrefix + "." + clusterId + ".pings", "_STAN.ack." + clusterId);
    }
}
