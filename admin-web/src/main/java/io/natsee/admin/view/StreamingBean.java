package io.natsee.admin.view;

import io.natsee.admin.monitor.ChannelInfo;
import io.natsee.admin.monitor.MonitorClient;
import io.natsee.admin.monitor.MonitorException;
import io.natsee.admin.monitor.StreamingClient;
import io.natsee.admin.monitor.StreamingServerInfo;
import io.natsee.admin.monitor.StreamingSubscription;
import jakarta.annotation.PostConstruct;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The streaming page: the streaming server's state (standalone, fault-tolerance active or
 * standby, clustered with its role), its channels with message counts, sizes and sequences,
 * each channel's subscriptions with pending counts and stalled flags, and its clients; the
 * operator's "delete channel".
 */
@Named
@ViewScoped
public class StreamingBean implements Serializable {

    private static final long serialVersionUID = 1L;

    /** One subscription with the channel it is on, as the clients table lists it. */
    public record ClientSubscription(String channel, StreamingSubscription subscription) {
    }

    private MonitorClient client;
    private CallerRoles caller;
    private Notices notices;
    private StreamingServerInfo server;
    private List<ChannelInfo> channels = List.of();
    private List<StreamingClient> clients = List.of();
    private String selectedChannel;
    private String problem;
    private boolean absent;

    protected StreamingBean() {
    }

    @Inject
    public StreamingBean(MonitorClient client, CallerRoles caller, Notices notices) {
        this.client = client;
        this.caller = caller;
        this.notices = notices;
    }

    /**
     * Deletes a channel with its messages, ending its subscriptions; only an operator may (checked
     * here, on the server, whatever the page showed), then the figures are read again.
     */
    public void delete(String channel) {
        if (!caller.isOperator()) {
            notices.error("streaming.delete.forbidden");
            return;
        }
        try {
            int ended = client.deleteChannel(channel);
            if (ended < 0) {
                notices.error("streaming.delete.gone", channel);
            } else {
                notices.info("streaming.delete.done", channel, ended);
            }
        } catch (MonitorException e) {
            notices.error(e.status() == 404 || e.status() == 401 ? "streaming.delete.unsupported" : "error.unreachable",
                    e.getMessage());
        }
        if (channel != null && channel.equals(selectedChannel)) {
            selectedChannel = null;
        }
        refresh();
    }

    /** The confirm dialog's question for deleting a channel: its name, messages and subscriptions. */
    public String deleteQuestion(ChannelInfo channel) {
        return java.text.MessageFormat.format(java.util.ResourceBundle.getBundle("io.natsee.admin.Messages")
                .getString("streaming.delete.confirm"), channel.name(), channel.msgs(), channel.subscriptions().size());
    }

    /** Whether the current user may delete channels. */
    public boolean isCanDelete() {
        return caller.isOperator();
    }

    /** Reads the server, its channels and clients. */
    @PostConstruct
    public void refresh() {
        try {
            var found = client.streamingServer();
            absent = found.isEmpty();
            server = found.orElse(null);
            channels = absent ? List.of() : client.channels();
            clients = absent ? List.of() : client.streamingClients();
            problem = null;
        } catch (MonitorException e) {
            server = null;
            channels = List.of();
            clients = List.of();
            problem = e.getMessage();
        }
    }

    /** The role to show: the Raft role when clustered, else the state. */
    public String getRole() {
        if (server == null) {
            return null;
        }
        return server.role() != null && !server.role().isEmpty() ? server.state() + " (" + server.role() + ")" : server.state();
    }

    /** Shows the subscriptions of one channel. */
    public void select(String channel) {
        selectedChannel = channel;
    }

    /** The selected channel, or {@code null}. */
    public ChannelInfo getSelected() {
        for (ChannelInfo channel : channels) {
            if (channel.name().equals(selectedChannel)) {
                return channel;
            }
        }
        return null;
    }

    /** Every client's subscriptions, flattened with their channel. */
    public List<ClientSubscription> subscriptionsOf(StreamingClient streamingClient) {
        List<ClientSubscription> list = new ArrayList<>();
        for (Map.Entry<String, List<StreamingSubscription>> entry : streamingClient.subscriptions().entrySet()) {
            for (StreamingSubscription subscription : entry.getValue()) {
                list.add(new ClientSubscription(entry.getKey(), subscription));
            }
        }
        list.sort(java.util.Comparator.comparing(ClientSubscription::channel));
        return list;
    }

    /** Subscriptions that reached max in flight, over every channel. */
    public long getStalledCount() {
        return channels.stream().mapToLong(ChannelInfo::stalledCount).sum();
    }

    public StreamingServerInfo getServer() {
        return server;
    }

    public List<ChannelInfo> getChannels() {
        return channels;
    }

    public List<StreamingClient> getClients() {
        return clients;
    }

    /** Whether no streaming server answers at the configured address. */
    public boolean isAbsent() {
        return absent;
    }

    public String getProblem() {
        return problem;
    }
}
