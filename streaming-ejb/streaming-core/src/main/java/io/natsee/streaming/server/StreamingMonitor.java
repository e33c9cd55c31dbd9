package io.natsee.streaming.server;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.natsee.streaming.store.ChannelLimits;
import io.natsee.streaming.store.MsgStoreState;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The streaming server's monitoring data, as nats-streaming-server's {@code /streaming/*} endpoints return it.
 * Every method reads the state on the engine thread.
 */
public final class StreamingMonitor {
    private final StreamingServer server;
    private final Supplier<ServerState> state;

    StreamingMonitor(StreamingServer server, Supplier<ServerState> state) {
        this.server = server;
        this.state = state;
    }

    /** {@code /streaming/serverz}. */
    public record Serverz(String cluster_id, String server_id, String version, String go, String state, String now,
                         String start_time, String uptime, int clients, int subscriptions, int channels,
                         long total_msgs, long total_bytes, long in_msgs, long in_bytes, long out_msgs,
                         long out_bytes, int open_fds, int max_fds) {
    }

    /** {@code /streaming/storez}. */
    public record Storez(String cluster_id, String server_id, String now, String type, Limits limits,
                         long total_msgs, long total_bytes) {
    }

    /** The store limits as storez shows them ({@code max_age} in nanoseconds). */
    public record Limits(int max_channels, long max_msgs, long max_bytes, long max_age, int max_subscriptions,
                         long max_inactivity) {
    }

    /** One subscription as channelsz and clientsz show it. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Subz(String client_id, String inbox, String ack_inbox, String queue_name, String durable_name,
                       @JsonInclude(JsonInclude.Include.ALWAYS) boolean is_durable,
                       @JsonInclude(JsonInclude.Include.ALWAYS) boolean is_offline,
                       @JsonInclude(JsonInclude.Include.ALWAYS) int max_inflight,
                       @JsonInclude(JsonInclude.Include.ALWAYS) int ack_wait,
                       @JsonInclude(JsonInclude.Include.ALWAYS) long last_sent,
                       @JsonInclude(JsonInclude.Include.ALWAYS) int pending_count,
                       @JsonInclude(JsonInclude.Include.ALWAYS) boolean is_stalled) {
    }

    /** One channel with its figures. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Channelz(String name, long msgs, long bytes, long first_seq, long last_seq, int subs_count,
                           List<Subz> subscriptions) {
    }

    /** {@code /streaming/channelsz}: names only, or channels with {@code subs=1}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Channelsz(String cluster_id, String server_id, String now, int offset, int limit, int count,
                            int total, List<String> names, List<Channelz> channels) {
    }

    /** One client. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Clientz(String id, String hb_inbox, Integer subs_count, Map<String, List<Subz>> subscriptions) {
    }

    /** {@code /streaming/clientsz}. */
    public record Clientsz(String cluster_id, String server_id, String now, int offset, int limit, int count,
                           int total, List<Clientz> clients) {
    }

    public Serverz serverz() throws InterruptedException {
        if (state.get() == null && "FT_STANDBY".equals(server.stateName())) {
            // A standby has recovered nothing: the reference shows an empty cluster id and zero figures.
            Instant now = Instant.now();
            return new Serverz("", server.serverId(), "0.23.2", "java" + Runtime.version(), "FT_STANDBY",
                    now.toString(), server.startTime().toString(),
                    uptime(Duration.between(server.startTime(), now)), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        }
        if (state.get() == null && "CLUSTERED".equals(server.stateName())) {
            // A follower applies the log but serves nothing: its figures are the leader's business.
            Instant now = Instant.now();
            return new Serverz(server.options().clusterId(), server.serverId(), "0.23.2", "java" + Runtime.version(),
                    "CLUSTERED", now.toString(), server.startTime().toString(),
                    uptime(Duration.between(server.startTime(), now)), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        }
        return call(s -> {
            int subscriptions = 0;
            long msgs = 0;
            long bytes = 0;
            for (ChannelState channel : s.channels.values()) {
                subscriptions += channel.subscriptionCount();
                MsgStoreState figures = channel.figures();
                msgs += figures.messages();
                bytes += figures.bytes();
            }
            Instant now = Instant.now();
            return new Serverz(s.options.clusterId(), server.serverId(), "0.23.2", "java" + Runtime.version(),
                    server.stateName(), now.toString(), server.startTime().toString(),
                    uptime(Duration.between(server.startTime(), now)), s.clients.size(), subscriptions,
                    s.channels.size(), msgs, bytes, s.inMsgs.get(), s.inBytes.get(), s.outMsgs.get(),
                    s.outBytes.get(), 0, 0);
        });
    }

    public Storez storez() throws InterruptedException {
        return call(s -> {
            long msgs = 0;
            long bytes = 0;
            for (ChannelState channel : s.channels.values()) {
                MsgStoreState figures = channel.figures();
                msgs += figures.messages();
                bytes += figures.bytes();
            }
            ChannelLimits global = s.options.limits().global();
            Limits limits = new Limits(s.options.limits().maxChannels(), global.maxMsgs(), global.maxBytes(),
                    global.maxAge().toNanos(), global.maxSubscriptions(), global.maxInactivity().toNanos());
            return new Storez(s.options.clusterId(), server.serverId(), Instant.now().toString(), s.store.type(),
                    limits, msgs, bytes);
        });
    }

    /** All channels ({@code channel == null}) or one; null when the named channel does not exist. */
    public Object channelsz(String channel, boolean subs, int offset, int limit) throws InterruptedException {
        return call(s -> {
            if (channel != null) {
                ChannelState found = s.channels.get(channel);
                return found == null ? null : channelz(found, subs);
            }
            List<String> names = new ArrayList<>(s.channels.keySet());
            names.sort(null);
            List<String> page = page(names, offset, limit);
            List<Channelz> channels = null;
            if (subs) {
                channels = new ArrayList<>();
                for (String name : page) {
                    channels.add(channelz(s.channels.get(name), true));
                }
            }
            return new Channelsz(s.options.clusterId(), server.serverId(), Instant.now().toString(), offset, limit,
                    page.size(), names.size(), subs ? null : page, channels);
        });
    }

    /** All clients ({@code client == null}) or one; null when the named client does not exist. */
    public Object clientsz(String client, boolean subs, int offset, int limit) throws InterruptedException {
        return call(s -> {
            if (client != null) {
                ClientState found = s.clients.get(client);
                return found == null ? null : clientz(found, subs);
            }
            List<String> ids = new ArrayList<>(s.clients.keySet());
            ids.sort(null);
            List<Clientz> clients = new ArrayList<>();
            for (String id : page(ids, offset, limit)) {
                clients.add(clientz(s.clients.get(id), subs));
            }
            return new Clientsz(s.options.clusterId(), server.serverId(), Instant.now().toString(), offset, limit,
                    clients.size(), ids.size(), clients);
        });
    }

    private static Channelz channelz(ChannelState channel, boolean subs) {
        List<Subz> list = null;
        if (subs) {
            list = new ArrayList<>();
            for (Subscriber subscriber : channel.allSubscriptions()) {
                list.add(subz(subscriber));
            }
        }
        MsgStoreState figures = channel.figures();
        long first = figures.messages() == 0 ? 0 : figures.firstSequence();
        return new Channelz(channel.name, figures.messages(), figures.bytes(), first, figures.lastSequence(),
                channel.subscriptionCount(), list);
    }

    private static Clientz clientz(ClientState client, boolean subs) {
        if (!subs) {
            return new Clientz(client.id, client.heartbeatInbox, null, null);
        }
        Map<String, List<Subz>> byChannel = new LinkedHashMap<>();
        for (Subscriber subscriber : client.subscriptions) {
            byChannel.computeIfAbsent(subscriber.channel.name, k -> new ArrayList<>()).add(subz(subscriber));
        }
        return new Clientz(client.id, client.heartbeatInbox, client.subscriptions.size(), byChannel);
    }

    private static Subz subz(Subscriber subscriber) {
        String queue = subscriber.group == null ? "" : subscriber.group.name;
        return new Subz(subscriber.clientId, subscriber.inbox, subscriber.ackInbox, queue,
                subscriber.group == null ? subscriber.durableName : "", subscriber.isDurable(), subscriber.offline,
                subscriber.maxInFlight, (int) subscriber.ackWait.toSeconds(), subscriber.position(),
                subscriber.pending.size(), subscriber.isStalled());
    }

    private static <T> List<T> page(List<T> all, int offset, int limit) {
        int from = Math.min(Math.max(offset, 0), all.size());
        int to = limit <= 0 ? all.size() : Math.min(all.size(), from + limit);
        return all.subList(from, to);
    }

    /** Go's duration string as the reference prints uptime: 2m18s, 1h2m3s, 4d1h2m3s. */
    static String uptime(Duration duration) {
        long seconds = Math.max(0, duration.getSeconds());
        long days = seconds / 86_400;
        long hours = seconds % 86_400 / 3_600;
        long minutes = seconds % 3_600 / 60;
        long rest = seconds % 60;
        StringBuilder out = new StringBuilder();
        if (days > 0) {
            out.append(days).append('d');
        }
        if (days > 0 || hours > 0) {
            out.append(hours).append('h');
        }
        if (days > 0 || hours > 0 || minutes > 0) {
            out.append(minutes).append('m');
        }
        return out.append(rest).append('s').toString();
    }

    private <T> T call(java.util.function.Function<ServerState, T> read) throws InterruptedException {
        ServerState current = state.get();
        if (current == null) {
            throw new IllegalStateException("the streaming server is not running");
        }
        return current.engine.call(() -> read.apply(current));
    }
}
