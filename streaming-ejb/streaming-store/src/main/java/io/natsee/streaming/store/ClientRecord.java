package io.natsee.streaming.store;

import java.util.Arrays;
import java.util.Objects;

/**
 * A connected streaming client as stored: the reference's {@code ClientInfo}.
 *
 * @param id the client id
 * @param heartbeatInbox the inbox the server sends heartbeats to
 * @param connectionId the connection id the client sent ({@code ConnectRequest.connID}); empty when none
 * @param protocol the client's protocol version
 * @param pingIntervalSeconds the client's ping interval in seconds (0 for protocol 0)
 * @param pingMaxOut pings without answer before the client gives up
 */
public record ClientRecord(String id, String heartbeatInbox, byte[] connectionId, int protocol,
                           int pingIntervalSeconds, int pingMaxOut) {

    /** Checks the id and normalises nulls. */
    public ClientRecord {
        Objects.requireNonNull(id, "id");
        heartbeatInbox = Objects.requireNonNullElse(heartbeatInbox, "");
        connectionId = connectionId == null ? new byte[0] : connectionId.clone();
    }

    /** A copy of the connection id. */
    @Override
    public byte[] connectionId() {
        return connectionId.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ClientRecord c && id.equals(c.id) && heartbeatInbox.equals(c.heartbeatInbox)
                && Arrays.equals(connectionId, c.connectionId) && protocol == c.protocol
                && pingIntervalSeconds == c.pingIntervalSeconds && pingMaxOut == c.pingMaxOut;
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, heartbeatInbox, protocol, pingIntervalSeconds, pingMaxOut) * 31
                + Arrays.hashCode(connectionId);
    }
}
