package io.natsee.streaming.store;

import java.util.Objects;

/**
 * The server's identity and the subjects it serves, as stored: the reference's {@code ServerInfo}.
 * A server restarting on a store must reuse these subjects (clients that are still connected use
 * the ones they were given).
 *
 * @param clusterId the cluster id
 * @param discoverSubject subject of connect requests
 * @param publishPrefix prefix of publish subjects
 * @param subscribeSubject subject of subscription requests
 * @param unsubscribeSubject subject of unsubscribe requests
 * @param closeSubject subject of connection close requests
 * @param subCloseSubject subject of subscription close requests
 * @param acksSubject prefix of ack subjects when a pool of ack subscribers is used ({@code ""} when not)
 * @param nodeId clustering node id ({@code ""} when not clustered)
 */
public record ServerInfoRecord(String clusterId, String discoverSubject, String publishPrefix,
                               String subscribeSubject, String unsubscribeSubject, String closeSubject,
                               String subCloseSubject, String acksSubject, String nodeId) {

    /** Checks the cluster id and normalises nulls to {@code ""}. */
    public ServerInfoRecord {
        Objects.requireNonNull(clusterId, "clusterId");
        discoverSubject = Objects.requireNonNullElse(discoverSubject, "");
        publishPrefix = Objects.requireNonNullElse(publishPrefix, "");
        subscribeSubject = Objects.requireNonNullElse(subscribeSubject, "");
        unsubscribeSubject = Objects.requireNonNullElse(unsubscribeSubject, "");
        closeSubject = Objects.requireNonNullElse(closeSubject, "");
        subCloseSubject = Objects.requireNonNullElse(subCloseSubject, "");
        acksSubject = Objects.requireNonNullElse(acksSubject, "");
        nodeId = Objects.requireNonNullElse(nodeId, "");
    }
}
