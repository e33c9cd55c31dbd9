package io.natsee.broker.clustering;

/**
 * The cluster contract on a mixed mesh: ours first (so the others dial it, and it dials the
 * fourth), then nats-server 2.9.10 processes; routes are dialled in both directions.
 */
class MixedClusterIT extends ClusterContract {

    @Override
    ClusterNode.Kind kind(int index) {
        return index == 0 ? ClusterNode.Kind.NATSEE : ClusterNode.Kind.NATS_SERVER;
    }
}
