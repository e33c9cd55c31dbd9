package io.natsee.broker.clustering;

/** The cluster contract on our server only (the shaded jar as processes). */
class ClusterNatseeIT extends ClusterContract {

    @Override
    ClusterNode.Kind kind(int index) {
        return ClusterNode.Kind.NATSEE;
    }
}
