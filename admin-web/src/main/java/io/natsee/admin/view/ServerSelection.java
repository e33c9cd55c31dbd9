package io.natsee.admin.view;

import io.natsee.admin.monitor.MonitorClient;
import io.natsee.admin.monitor.ServerEndpoint;
import jakarta.enterprise.context.SessionScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.Serializable;
import java.util.List;

/** Which of the watched servers this browser session looks at (the first by default). */
@Named
@SessionScoped
public class ServerSelection implements Serializable {

    private static final long serialVersionUID = 1L;

    private MonitorClient client;
    private String selected;

    protected ServerSelection() {
    }

    @Inject
    public ServerSelection(MonitorClient client) {
        this.client = client;
    }

    /** The servers to choose from. */
    public List<ServerEndpoint> getServers() {
        return client.servers();
    }

    /** The chosen server's name. */
    public String getSelected() {
        return server().name();
    }

    /** Chooses a server by name; an unknown name keeps the current choice. */
    public void setSelected(String name) {
        for (ServerEndpoint server : client.servers()) {
            if (server.name().equals(name)) {
                selected = name;
            }
        }
    }

    /** The chosen server. */
    public ServerEndpoint server() {
        List<ServerEndpoint> servers = client.servers();
        for (ServerEndpoint server : servers) {
            if (server.name().equals(selected)) {
                return server;
            }
        }
        return servers.get(0);
    }

    /** Whether there is more than one server to choose from. */
    public boolean isMultiple() {
        return client.servers().size() > 1;
    }
}
