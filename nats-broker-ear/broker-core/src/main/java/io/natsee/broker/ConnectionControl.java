package io.natsee.broker;

import io.natsee.broker.server.ClientConnection;
import io.natsee.broker.server.CloseReason;
import io.natsee.broker.server.ServerContext;

import java.util.Objects;

/**
 * The operator's actions on a running broker's client connections (the admin console's "close
 * connection"): closes one connection by its id, after flushing what is queued for it, with the
 * reason {@link CloseReason#KICKED}. nats-server 2.9 has no such action on its monitoring port;
 * 2.10 offers it as the system request {@code $SYS.REQ.SERVER.<id>.KICK}. Thread-safe.
 */
public final class ConnectionControl {

    private static final System.Logger LOG = System.getLogger(ConnectionControl.class.getName());

    private final Broker broker;

    /** Actions on the given broker's connections. */
    public ConnectionControl(Broker broker) {
        this.broker = Objects.requireNonNull(broker, "broker");
    }

    /**
     * Closes the open client connection with this id.
     *
     * @return whether such a connection was open (it closes shortly after, on its own event loop)
     */
    public boolean close(long cid) {
        ServerContext server = broker.isRunning() ? broker.server() : null;
        if (server == null) {
            return false;
        }
        for (ClientConnection connection : server.connections()) {
            if (connection.id() == cid) {
                LOG.log(System.Logger.Level.INFO, "Closing client connection {0} on an operator''s request", cid);
                connection.closeGracefully(CloseReason.KICKED);
                return true;
            }
        }
        return false;
    }
}
