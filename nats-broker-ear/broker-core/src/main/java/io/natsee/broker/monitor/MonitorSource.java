package io.natsee.broker.monitor;

import io.natsee.broker.BrokerOptions;
import io.natsee.broker.BrokerStatistics;

import java.time.Instant;
import java.util.List;

/**
 * What {@link MonitorService} reads of a running server: its identity and options, its counters,
 * snapshots of its connections and subscriptions. The broker supplies it; monitoring depends on
 * nothing else of the engine. Every method may be called from any thread at any time, also
 * before start and after close (then with empty answers), and must not block the message path.
 */
public interface MonitorSource {

    /** The options in effect (they change on reload). */
    BrokerOptions options();

    /** The server's id. */
    String serverId();

    /** The server's name: the configured one, or the id. */
    String serverName();

    /** The interface the client port is bound to. */
    String host();

    /** The bound client port; -1 before start. */
    int port();

    /** When the server started; {@code null} before start. */
    Instant startTime();

    /** The counters summed over the event loops. */
    BrokerStatistics statistics();

    /**
     * Snapshots of the open client connections, in no particular order.
     *
     * @param withSubscriptions whether each snapshot lists its subscriptions (costlier)
     */
    List<ConnectionSnapshot> openConnections(boolean withSubscriptions);

    /** The remembered closed client connections, oldest first, with their subscriptions. */
    List<ConnectionSnapshot> closedConnections();

    /** The subject trie's counters. */
    Subsz.Statistics subscriptionStatistics();

    /** Every client subscription now (account left empty), in no particular order. */
    List<SubDetail> subscriptions();

    /** Whether the server is in lame duck mode (no new clients; open ones closed gradually). */
    boolean lameDuck();

    /** Route connections open now, for {@code /varz}'s {@code routes}; a server without a cluster has none. */
    default int routeCount() {
        return routes(false, false).size();
    }

    /**
     * The routes for {@code /routez}, with their subscriptions when asked ({@code subs=1} fills
     * {@code subscriptions_list}, {@code subs=detail} {@code subscriptions_list_detail}). The
     * cluster supplies them; a server without a cluster has none.
     */
    default List<Routez.Route> routes(boolean subscriptions, boolean detail) {
        return List.of();
    }

    /** Remote servers known through routes, for {@code /varz}'s {@code remotes}; see {@link #routeCount}. */
    default int remoteCount() {
        return routeCount();
    }

    /** The cluster block of {@code /varz}; {@link Varz.ClusterVarz#none()} without a cluster. */
    default Varz.ClusterVarz cluster() {
        return Varz.ClusterVarz.none();
    }

    /** The cluster's client URLs ({@code host:port}) for {@code /varz}'s {@code connect_urls}; empty without a cluster. */
    default List<String> connectUrls() {
        return List.of();
    }
}
