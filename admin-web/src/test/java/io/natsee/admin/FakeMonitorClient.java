package io.natsee.admin;

import io.natsee.admin.monitor.ChannelInfo;
import io.natsee.admin.monitor.ConnectionInfo;
import io.natsee.admin.monitor.ConnectionPage;
import io.natsee.admin.monitor.ConnectionQuery;
import io.natsee.admin.monitor.MonitorClient;
import io.natsee.admin.monitor.MonitorException;
import io.natsee.admin.monitor.RoutePage;
import io.natsee.admin.monitor.ServerEndpoint;
import io.natsee.admin.monitor.ServerVarz;
import io.natsee.admin.monitor.StreamingClient;
import io.natsee.admin.monitor.StreamingServerInfo;
import io.natsee.admin.monitor.SubscriptionInfo;
import io.natsee.admin.monitor.SubscriptionPage;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** A scripted {@link MonitorClient}: answers what the test put in, records what was asked. */
public final class FakeMonitorClient implements MonitorClient {

    public final List<ServerEndpoint> servers = new ArrayList<>();
    public final Map<String, ServerVarz> varz = new HashMap<>();
    public final Map<String, Map<String, Object>> varzDocuments = new HashMap<>();
    public final Map<String, List<ConnectionInfo>> connections = new HashMap<>();
    public final Map<String, List<SubscriptionInfo>> subscriptions = new HashMap<>();
    public final Map<String, RoutePage> routes = new HashMap<>();
    public final Set<String> unreachable = new java.util.HashSet<>();
    public final List<ConnectionQuery> connectionQueries = new ArrayList<>();
    public final List<Long> closed = new ArrayList<>();
    public boolean closeSupported = true;
    public StreamingServerInfo streaming;
    public List<ChannelInfo> channels = List.of();
    public List<StreamingClient> streamingClients = List.of();
    public final List<String> deletedChannels = new ArrayList<>();
    public boolean deleteSupported = true;

    /** A client watching the named servers (at made-up URLs, with a token). */
    public FakeMonitorClient(String... names) {
        int port = 8222;
        for (String name : names) {
            servers.add(new ServerEndpoint(name, URI.create("http://127.0.0.1:" + port++), "token"));
        }
    }

    public ServerEndpoint server(String name) {
        return servers.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    private void reach(ServerEndpoint server) throws MonitorException {
        if (unreachable.contains(server.name())) {
            throw new MonitorException(server.url() + "/varz unreachable: Connection refused", 0, null);
        }
    }

    @Override
    public List<ServerEndpoint> servers() {
        return servers;
    }

    @Override
    public ServerVarz varz(ServerEndpoint server) throws MonitorException {
        reach(server);
        ServerVarz answer = varz.get(server.name());
        if (answer == null) {
            throw new MonitorException("no varz scripted for " + server.name(), 500, null);
        }
        return answer;
    }

    @Override
    public Map<String, Object> varzDocument(ServerEndpoint server) throws MonitorException {
        reach(server);
        return varzDocuments.getOrDefault(server.name(), new LinkedHashMap<>());
    }

    @Override
    public ConnectionPage connections(ServerEndpoint server, ConnectionQuery query) throws MonitorException {
        reach(server);
        connectionQueries.add(query);
        List<ConnectionInfo> inState = connections.getOrDefault(server.name(), List.of()).stream()
                .filter(c -> query.state().equals("any") || query.state().equals("closed") == c.closed())
                .toList();
        List<ConnectionInfo> all = inState.stream().filter(c -> query.cid() == 0 || c.cid() == query.cid()).toList();
        int from = Math.min(query.offset(), all.size());
        int to = Math.min(from + query.limit(), all.size());
        // as nats-server 2.9's /connz: the total counts the state's connections, whatever the cid filter
        return new ConnectionPage("ID", to - from, inState.size(), query.offset(), query.limit(), all.subList(from, to));
    }

    @Override
    public SubscriptionPage subscriptions(ServerEndpoint server, String testSubject, int offset, int limit) throws MonitorException {
        reach(server);
        if (testSubject != null && (testSubject.contains("*") || testSubject.contains(">"))) {
            throw new MonitorException("invalid test subject", 400, null);
        }
        List<SubscriptionInfo> all = subscriptions.getOrDefault(server.name(), List.of());
        List<SubscriptionInfo> chosen = testSubject == null || testSubject.isEmpty() ? all
                : all.stream().filter(s -> s.subject().equals(testSubject) || s.subject().equals(">")).toList();
        List<SubscriptionInfo> page = chosen.subList(0, Math.min(limit, chosen.size()));
        return new SubscriptionPage(all.size(), 3, all.size(), 0, 10, 0.5, 2, 1.0, page.size(), page);
    }

    @Override
    public Optional<RoutePage> routes(ServerEndpoint server) throws MonitorException {
        reach(server);
        return Optional.ofNullable(routes.get(server.name()));
    }

    @Override
    public boolean closeConnection(ServerEndpoint server, long cid) throws MonitorException {
        reach(server);
        if (!closeSupported) {
            throw new MonitorException(server.name() + " does not offer closing connections", 404, null);
        }
        boolean open = connections.getOrDefault(server.name(), List.of()).stream().anyMatch(c -> c.cid() == cid && !c.closed());
        if (open) {
            closed.add(cid);
        }
        return open;
    }

    @Override
    public Optional<StreamingServerInfo> streamingServer() {
        return Optional.ofNullable(streaming);
    }

    @Override
    public List<ChannelInfo> channels() {
        return channels;
    }

    @Override
    public int deleteChannel(String channel) throws MonitorException {
        if (!deleteSupported) {
            throw new MonitorException("the streaming server does not offer deleting channels", 404, null);
        }
        for (ChannelInfo info : channels) {
            if (info.name().equals(channel)) {
                deletedChannels.add(channel);
                channels = channels.stream().filter(c -> !c.name().equals(channel)).toList();
                return info.subscriptions().size();
            }
        }
        return -1;
    }

    @Override
    public List<StreamingClient> streamingClients() {
        return streamingClients;
    }

    /** A /varz with the given figures. */
    public static ServerVarz varz(String id, String name, int connections, long inMsgs, long outMsgs, long slowConsumers) {
        return new ServerVarz(id, name, "2.9.10", "java17", "127.0.0.1", 4222, "2026-01-01T00:00:00Z", "2026-01-01T00:01:00Z",
                "1m", 1 << 20, 2, 1.5, connections, connections + 5L, 0, 0, inMsgs, outMsgs, inMsgs * 10, outMsgs * 10,
                slowConsumers, 7, null);
    }

    /** An open connection. */
    public static ConnectionInfo connection(long cid, String name) {
        return new ConnectionInfo(cid, "127.0.0.1", 50000 + (int) cid, "2026-01-01T00:00:00Z", "2026-01-01T00:00:01Z", null, null,
                "1ms", "1m", "0s", 0, cid, cid * 2, cid * 10, cid * 20, 1, name, "java", "2.26.2", null, null, null, null,
                List.of(new SubscriptionInfo(null, "orders." + cid, null, "1", 3, 0, cid)));
    }

    /** A closed connection. */
    public static ConnectionInfo closedConnection(long cid) {
        return new ConnectionInfo(cid, "127.0.0.1", 50000, "2026-01-01T00:00:00Z", "2026-01-01T00:00:01Z", "2026-01-01T00:00:02Z",
                "Client Closed", "0s", "2s", "1s", 0, 0, 0, 0, 0, 0, "gone", null, null, null, null, null, null, null);
    }
}
