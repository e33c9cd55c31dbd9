package io.natsee.ra.outbound;

import io.nats.client.api.ServerInfo;
import jakarta.resource.spi.ManagedConnectionMetaData;

/**
 * Describes the NATS server behind a managed connection.
 */
public final class NatsManagedConnectionMetaData implements ManagedConnectionMetaData {

    private final ServerInfo serverInfo;
    private final String userName;

    NatsManagedConnectionMetaData(ServerInfo serverInfo, String userName) {
        this.serverInfo = serverInfo;
        this.userName = userName;
    }

    @Override
    public String getEISProductName() {
        return serverInfo == null || serverInfo.getServerName() == null ? "NATS" : "NATS (" + serverInfo.getServerName() + ")";
    }

    @Override
    public String getEISProductVersion() {
        return serverInfo == null ? "unknown" : serverInfo.getVersion();
    }

    @Override
    public int getMaxConnections() {
        return 0;
    }

    @Override
    public String getUserName() {
        return userName;
    }
}
