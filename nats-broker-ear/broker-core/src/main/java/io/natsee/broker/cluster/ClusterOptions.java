package io.natsee.broker.cluster;

import io.natsee.broker.tls.TlsOptions;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The {@code cluster} block (and the {@code --cluster*}, {@code --routes} flags) of nats-server
 * 2.9.10: where this server listens for routes, which routes it dials, and how routes
 * authenticate. As in nats-server, a cluster is active only when {@link #port()} is not 0: a
 * block without a port (or {@code listen}) names the cluster but neither listens nor dials.
 *
 * @param name the cluster name; {@code null} means one is generated at start (a "dynamic" name,
 *             which a peer's explicit name replaces)
 * @param host the interface the route port binds to; {@code null} means the client host
 * @param port the route port: 0 switches clustering off, -1 asks for any free port
 * @param routes the routes to dial ({@code nats://[user:pass@]host:port}), in order
 * @param user the user a dialling route must send in CONNECT; {@code null} for none. This
 *             server also sends it when a route URL has no user of its own
 * @param password the password that goes with {@link #user()}
 * @param authTimeout how long an accepted route has to send CONNECT; {@code null} for the
 *                    default (as the client auth timeout)
 * @param tls TLS on the route port and on dialled routes; {@code null} for plain TCP
 * @param advertise the {@code host:port} peers are told to dial instead of the bound address
 *                  ({@code cluster_advertise}); {@code null} for the bound address
 * @param noAdvertise whether clients are not told about the other servers' client URLs
 * @param connectRetries how often an implicit (gossiped) route is redialled before it is
 *                       forgotten; 0 for nats-server's default
 */
public record ClusterOptions(String name, String host, int port, List<URI> routes, String user, String password,
                             Duration authTimeout, TlsOptions tls, String advertise, boolean noAdvertise,
                             int connectRetries) {

    /** nats-server's default route port, the one the documentation uses ({@code 6222}). */
    public static final int DEFAULT_ROUTE_PORT = 6222;

    /** The port value that asks for any free port, as for the client port. */
    public static final int RANDOM_PORT = -1;

    public ClusterOptions {
        routes = routes == null ? List.of() : List.copyOf(routes);
        if (port < RANDOM_PORT || port > 65535) {
            throw new IllegalArgumentException("cluster port must be between -1 and 65535: " + port);
        }
        if (connectRetries < 0) {
            throw new IllegalArgumentException("connect_retries must not be negative: " + connectRetries);
        }
        if (name != null && name.isEmpty()) {
            name = null;
        }
        if (name != null && (name.contains(" ") || name.contains("\t"))) {
            // nats-server: validateCluster refuses a name with spaces.
            throw new IllegalArgumentException("cluster name cannot contain spaces or new lines");
        }
        if (host != null && host.isEmpty()) {
            host = null;
        }
        if (advertise != null && advertise.isEmpty()) {
            advertise = null;
        }
        if (user != null && user.isEmpty()) {
            user = null;
        }
        if (authTimeout != null && (authTimeout.isNegative() || authTimeout.isZero())) {
            authTimeout = null;
        }
    }

    /** A cluster on {@code port} (0: off, -1: any free port) with nothing else configured. */
    public static ClusterOptions of(int port) {
        return new ClusterOptions(null, null, port, List.of(), null, null, null, null, null, false, 0);
    }

    /** Whether routes are served and dialled: the port is not 0. */
    public boolean enabled() {
        return port != 0;
    }

    /** Whether accepted routes must authenticate. */
    public boolean authRequired() {
        return user != null;
    }

    /** The host in effect: {@link #host()}, else the client host given. */
    public String hostOr(String clientHost) {
        return host == null ? clientHost : host;
    }

    public ClusterOptions withName(String newName) {
        return new ClusterOptions(newName, host, port, routes, user, password, authTimeout, tls, advertise,
                noAdvertise, connectRetries);
    }

    public ClusterOptions withListen(String newHost, int newPort) {
        return new ClusterOptions(name, newHost, newPort, routes, user, password, authTimeout, tls, advertise,
                noAdvertise, connectRetries);
    }

    public ClusterOptions withRoutes(List<URI> newRoutes) {
        return new ClusterOptions(name, host, port, newRoutes, user, password, authTimeout, tls, advertise,
                noAdvertise, connectRetries);
    }

    public ClusterOptions withCredentials(String newUser, String newPassword) {
        return new ClusterOptions(name, host, port, routes, newUser, newPassword, authTimeout, tls, advertise,
                noAdvertise, connectRetries);
    }

    public ClusterOptions withAdvertise(String newAdvertise) {
        return new ClusterOptions(name, host, port, routes, user, password, authTimeout, tls, newAdvertise,
                noAdvertise, connectRetries);
    }

    public ClusterOptions withNoAdvertise(boolean newNoAdvertise) {
        return new ClusterOptions(name, host, port, routes, user, password, authTimeout, tls, advertise,
                newNoAdvertise, connectRetries);
    }

    public ClusterOptions withConnectRetries(int newConnectRetries) {
        return new ClusterOptions(name, host, port, routes, user, password, authTimeout, tls, advertise,
                noAdvertise, newConnectRetries);
    }

    public ClusterOptions withTls(TlsOptions newTls) {
        return new ClusterOptions(name, host, port, routes, user, password, authTimeout, newTls, advertise,
                noAdvertise, connectRetries);
    }

    /** The record's text without the password, and route URLs without their credentials. */
    @Override
    public String toString() {
        return "ClusterOptions[name=" + name + ", host=" + host + ", port=" + port + ", routes="
                + routes.stream().map(ClusterOptions::redacted).toList() + ", user=" + user
                + ", password=" + (password == null ? null : "<hidden>") + ", authTimeout=" + authTimeout
                + ", tls=" + (tls != null) + ", advertise=" + advertise + ", noAdvertise=" + noAdvertise
                + ", connectRetries=" + connectRetries + "]";
    }

    /** A route URL for logs: the password replaced, as nats-server redacts it. */
    public static String redacted(URI route) {
        Objects.requireNonNull(route, "route");
        String userInfo = route.getRawUserInfo();
        if (userInfo == null) {
            return route.toString();
        }
        int colon = userInfo.indexOf(':');
        String shown = colon < 0 ? userInfo : userInfo.substring(0, colon) + ":xxxxx";
        return route.getScheme() + "://" + shown + "@" + route.getHost() + (route.getPort() < 0 ? "" : ":" + route.getPort())
                + (route.getRawPath() == null ? "" : route.getRawPath());
    }
}
