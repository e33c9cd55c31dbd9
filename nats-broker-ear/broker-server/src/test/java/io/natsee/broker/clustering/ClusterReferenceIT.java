package io.natsee.broker.clustering;

/** The cluster contract on four Debian nats-server 2.9.10 processes: the specification. */
class ClusterReferenceIT extends ClusterContract {

    @Override
    ClusterNode.Kind kind(int index) {
        return ClusterNode.Kind.NATS_SERVER;
    }
}
