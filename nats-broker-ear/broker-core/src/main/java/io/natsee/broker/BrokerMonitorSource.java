package io.natsee.broker;

import io.natsee.broker.monitor.ConnectionSnapshot;
import io.natsee.broker.monitor.MonitorSource;
import io.natsee.broker.monitor.SubDetail;
import io.natsee.broker.monitor.Subsz;
import io.natsee.broker.server.ClientConnection;
import io.natsee.broker.server.ServerContext;
import io.natsee.broker.subject.SubjectTrie;
import io.natsee.broker.subject.Subscription;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The broker's side of {@link MonitorSource}: reads the running engine, empty answers before start. */
final class BrokerMonitorSource implements MonitorSource {

    private final Broker broker;

    BrokerMonitorSource(Broker broker) {
        this.broker = broker;
    }

    @Override
    public BrokerOptions options() {
        return broker.options();
    }

    @Override
    public String serverId() {
        return broker.serverId();
    }

    @Override
    public String serverName() {
        return broker.serverName();
    }

    @Override
    public String host() {
        return broker.host();
    }

    @Override
    public int port() {
        return broker.port();
    }

    @Override
    public Instant startTime() {
        return broker.startTime();
    }

    @Override
    public BrokerStatistics statistics() {
        return broker.statistics();
    }

    @Override
    public List<ConnectionSnapshot> openConnections(boolean withSubscriptions) {
        ServerContext server = broker.server();
        if (server == null) {
            return List.of();
        }
        List<ClientConnection> connections = server.connections();
        List<ConnectionSnapshot> snapshots = new ArrayList<>(connections.size());
        for (ClientConnection connection : connections) {
            snapshots.add(connection.snapshot(withSubscriptions));
        }
        return snapshots;
    }

    @Override
    public List<ConnectionSnapshot> closedConnections() {
        ServerContext server = broker.server();
        return server == null ? List.of() : server.registry().closedConnections();
    }

    @Override
    public Subsz.Statistics subscriptionStatistics() {
        ServerContext server = broker.server();
        if (server == null) {
            return new Subsz.Statistics(0, 0, 0, 0, 0, 0, 0, 0);
        }
        SubjectTrie.Statistics trie = server.trie().statistics();
        return new Subsz.Statistics(trie.subscriptions(), trie.cacheEntries(), trie.inserts(), trie.removes(),
                trie.matches(), trie.cacheHitRate(), trie.maxFanout(), trie.averageFanout());
    }

    @Override
    public List<SubDetail> subscriptions() {
        ServerContext server = broker.server();
        if (server == null) {
            return List.of();
        }
        List<Subscription> all = server.trie().all();
        List<SubDetail> details = new ArrayList<>(all.size());
        for (Subscription subscription : all) {
            details.add(ClientConnection.detail(subscription));
        }
        return details;
    }

    @Override
    public List<io.natsee.broker.monitor.Routez.Route> routes(boolean subscriptions, boolean detail) {
        io.natsee.broker.cluster.RouteManager manager = broker.routes();
        if (manager == null) {
            return List.of();
        }
        Instant now = Instant.now();
        List<io.natsee.broker.monitor.Routez.Route> routes = new ArrayList<>();
        for (io.natsee.broker.cluster.RouteConnection route : manager.routes()) {
            routes.add(route.monitorInfo(subscriptions, detail, now));
        }
        routes.sort(java.util.Comparator.comparingLong(io.natsee.broker.monitor.Routez.Route::rid));
        return routes;
    }

    @Override
    public int routeCount() {
        io.natsee.broker.cluster.RouteManager manager = broker.routes();
        return manager == null ? 0 : manager.routes().size();
    }

    @Override
    public int remoteCount() {
        return routeCount();
    }

    @Override
    public boolean lameDuck() {
        ServerContext server = broker.server();
        return server != null && server.lameDuck();
    }

    @Override
    public io.natsee.broker.monitor.Varz.ClusterVarz cluster() {
        io.natsee.broker.cluster.RouteManager routes = broker.routes();
        return routes == null ? io.natsee.broker.monitor.Varz.ClusterVarz.none() : routes.varz();
    }

    @Override
    public List<String> connectUrls() {
        io.natsee.broker.cluster.RouteManager routes = broker.routes();
        ServerContext server = broker.server();
        if (routes == null || server == null || routes.noAdvertise()) {
            return List.of();
        }
        List<String> urls = new ArrayList<>(server.clientUrls());
        for (String url : routes.peerClientUrls()) {
            if (!urls.contains(url)) {
                urls.add(url);
            }
        }
        return urls;
    }
}
