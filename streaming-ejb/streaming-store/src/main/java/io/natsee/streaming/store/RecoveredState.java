package io.natsee.streaming.store;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything a persistent store found when it was opened: the server info, the clients and the
 * channels with their subscriptions. The server rebuilds its state from it after a restart.
 *
 * @param serverInfo the record given to {@link Store#init}, or null if none was stored
 * @param clients the clients added and not deleted, in the order they were first added
 * @param channels the channels by name, in creation order
 */
public record RecoveredState(ServerInfoRecord serverInfo, List<ClientRecord> clients,
                             Map<String, RecoveredChannel> channels) {

    /** Copies the collections. */
    public RecoveredState {
        clients = List.copyOf(clients);
        channels = Collections.unmodifiableMap(new LinkedHashMap<>(channels));
    }
}
