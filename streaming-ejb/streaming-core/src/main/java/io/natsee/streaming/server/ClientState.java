package io.natsee.streaming.server;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;

/**
 * A connected streaming client: its id, heartbeat inbox, connection id and subscriptions. Engine thread only.
 */
final class ClientState {
    final String id;
    final String heartbeatInbox;
    final byte[] connectionId;
    final int protocol;
    final List<Subscriber> subscriptions = new ArrayList<>();
    ScheduledFuture<?> heartbeat;
    int failedHeartbeats;
    boolean heartbeatInFlight;

    ClientState(String id, String heartbeatInbox, byte[] connectionId, int protocol) {
        this.id = id;
        this.heartbeatInbox = heartbeatInbox;
        this.connectionId = connectionId;
        this.protocol = protocol;
    }
}
