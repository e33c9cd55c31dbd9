package io.natsee.broker.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.natsee.broker.BrokerDefaults;
import io.natsee.broker.monitor.Varz;
import io.natsee.broker.server.CloseReason;
import io.natsee.broker.server.Interest;
import io.natsee.broker.server.ServerContext;
import io.natsee.broker.subject.Subscription;
import io.natsee.broker.tls.TlsException;
import io.natsee.broker.tls.TlsSettings;
import io.natsee.broker.transport.ChannelAcceptor;
import io.natsee.broker.transport.ChannelListener;
import io.natsee.broker.transport.NettyTransport;
import io.natsee.broker.transport.TransportChannel;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The cluster side of one server: listens on the cluster port, dials the configured routes
 * (and those learned by gossip), redials lost ones, checks each peer (cluster name, self and
 * duplicate routes, credentials), tells every route about local interest (RS+/RS-, queue groups
 * with their weight) and tells the routes about each new peer so that the mesh completes itself.
 *
 * <p>Threads: the interest listener runs on clients' loops, route events on the routes' loops;
 * the shared maps are concurrent and the interest counts are guarded by their own lock.
 */
public final class RouteManager implements ChannelAcceptor, Interest.Listener, ServerContext.ClusterView,
        AutoCloseable {

    private static final System.Logger LOG = System.getLogger(RouteManager.class.getName());
    /**
     * nats-server's routeConnectDelay: the pause between attempts on a route, the same for every
     * attempt (a configured route is tried for ever, so a healed partition is joined within it).
     */
    static final long REDIAL_DELAY_MILLIS = 1000;
    /** Up to this much is added at random, so that two servers redialling each other do not keep colliding. */
    static final int REDIAL_JITTER_MILLIS = 100;
    private static final int DIAL_TIMEOUT_MILLIS = 2000;
    private static final char[] ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".toCharArray();

    /** A route this server dials: its URL, whether the configuration named it, and the attempts so far. */
    static final class Dial {
        final URI url;
        final boolean configured;
        int failures;
        /** The peer's server id once one connection got that far. */
        volatile String serverId;

        Dial(URI url, boolean configured) {
            this.url = url;
            this.configured = configured;
        }
    }

    private final ServerContext server;
    private final NettyTransport transport;
    private final ClusterOptions options;
    private final ObjectMapper json = new ObjectMapper();
    private final String serverId;
    private final boolean dynamicName;
    private volatile String clusterName;
    /** Registered routes by the peer's server id. */
    private final Map<String, RouteConnection> routes = new ConcurrentHashMap<>();
    /** Every route connection open (registered or not). */
    private final Set<RouteConnection> open = ConcurrentHashMap.newKeySet();
    private final Map<URI, Dial> dials = new ConcurrentHashMap<>();
    /** Local interest: subject or "subject queue" to the number of local subscriptions. */
    private final Map<String, int[]> localInterest = new HashMap<>();
    private volatile boolean closed;
    private String listenHost;
    private int listenPort;
    private volatile byte[] infoLine;
    /** The cluster's TLS, for the route port and dialled routes; {@code null} for plain TCP. */
    private final TlsSettings tls;

    public RouteManager(ServerContext server, NettyTransport transport, ClusterOptions options) {
        this.server = Objects.requireNonNull(server, "server");
        this.transport = Objects.requireNonNull(transport, "transport");
        this.options = Objects.requireNonNull(options, "options");
        this.serverId = server.serverId();
        this.dynamicName = options.name() == null;
        this.clusterName = dynamicName ? randomName() : options.name();
        try {
            this.tls = options.tls() == null ? null : TlsSettings.load(options.tls());
        } catch (TlsException e) {
            throw new IllegalArgumentException("cluster tls: " + e.getMessage(), e);
        }
        // Local interest is counted from now on, before any route exists, so none is missed.
        server.interest().listen(this);
    }

    /** Binds the cluster port and dials the configured routes. Returns the bound port. */
    public int start(String clientHost) throws IOException {
        String host = options.hostOr(clientHost);
        int requested = options.port() == ClusterOptions.RANDOM_PORT ? 0 : options.port();
        listenHost = host;
        listenPort = transport.bind(host, requested, this, tls);
        rebuildInfo();
        server.cluster(this);
        LOG.log(System.Logger.Level.INFO, "Listening for route connections on {0}:{1,number,#}", host, listenPort);
        for (URI url : options.routes()) {
            Dial dial = new Dial(url, true);
            dials.put(url, dial);
            dial(dial);
        }
        return listenPort;
    }

    /** The bound cluster port. */
    public int port() {
        return listenPort;
    }

    /** The cluster's name (adopted from a peer when ours was generated). */
    public String clusterName() {
        return clusterName;
    }

    @Override
    public String name() {
        return clusterName;
    }

    @Override
    public boolean dynamicName() {
        return dynamicName && clusterName.equals(generatedName);
    }

    @Override
    public boolean noAdvertise() {
        return options.noAdvertise();
    }

    ObjectMapper json() {
        return json;
    }

    boolean authRequired() {
        return options.authRequired();
    }

    /** The registered routes, for monitoring. */
    public List<RouteConnection> routes() {
        return new ArrayList<>(routes.values());
    }

    // ---------------------------------------------------------------- INFO and CONNECT

    /**
     * The INFO line: the advertised address ({@code cluster_advertise}) in {@code host}/{@code port}
     * and {@code ip} when one is configured, else the bound address and no {@code ip}, as
     * nats-server 2.9.10's setRouteInfoHostPortAndIP does.
     */
    private void rebuildInfo() {
        String host = listenHost;
        int port = listenPort;
        String ip = null;
        if (options.advertise() != null) {
            HostPort advertised = HostPort.parse(options.advertise(), listenPort);
            host = advertised.host();
            port = advertised.port();
            ip = "nats-route://" + advertised + "/";
        }
        RouteInfo info = RouteInfo.of(serverId, server.serverName(), BrokerDefaults.VERSION, host, port,
                options.authRequired(), tls != null, server.options().maxPayload(), null, clusterName, dynamicName(),
                server.clientUrls());
        if (ip != null) {
            info = info.forGossip(ip);
        }
        byte[] body = info.toJson();
        byte[] line = new byte[body.length + 8];
        System.arraycopy(INFO_PREFIX, 0, line, 0, INFO_PREFIX.length);
        System.arraycopy(body, 0, line, INFO_PREFIX.length, body.length);
        line[line.length - 3] = ' ';
        line[line.length - 2] = '\r';
        line[line.length - 1] = '\n';
        infoLine = line;
    }

    private static final byte[] INFO_PREFIX = "INFO ".getBytes(StandardCharsets.US_ASCII);

    /** A {@code host:port} (an IPv6 host in brackets); a missing port is the bound one, as nats-server's parseHostPort. */
    record HostPort(String host, int port) {
        static HostPort parse(String text, int defaultPort) {
            String value = text.trim();
            int colon = value.lastIndexOf(':');
            boolean bracketed = value.startsWith("[");
            if (colon < 0 || (bracketed && colon < value.indexOf(']'))
                    || (!bracketed && value.indexOf(':') != colon)) {
                return new HostPort(unbracket(value), defaultPort);
            }
            String portText = value.substring(colon + 1);
            int port;
            try {
                port = Integer.parseInt(portText);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("invalid cluster advertise address \"" + text + "\"");
            }
            if (port == 0 || port == -1) {
                port = defaultPort;
            }
            return new HostPort(unbracket(value.substring(0, colon)), port);
        }

        private static String unbracket(String host) {
            return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        }

        @Override
        public String toString() {
            return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        }
    }

    private volatile String generatedName;

    private String randomName() {
        SecureRandom random = new SecureRandom();
        StringBuilder name = new StringBuilder(22);
        for (int i = 0; i < 22; i++) {
            name.append(ALPHABET[random.nextInt(ALPHABET.length)]);
        }
        generatedName = name.toString();
        return generatedName;
    }

    byte[] infoLine() {
        return infoLine;
    }

    /** The CONNECT a dialling server sends: credentials from the route URL, else the cluster's. */
    byte[] connectLine(URI url) {
        String user = options.user();
        String password = options.password();
        if (url != null && url.getRawUserInfo() != null) {
            String[] parts = url.getUserInfo().split(":", 2);
            user = parts[0];
            password = parts.length > 1 ? parts[1] : null;
        }
        byte[] body = RouteConnect.of(user, user == null ? null : password, tls != null, serverId, clusterName,
                dynamicName()).toJson();
        byte[] line = new byte[body.length + 10];
        System.arraycopy(CONNECT_PREFIX, 0, line, 0, CONNECT_PREFIX.length);
        System.arraycopy(body, 0, line, CONNECT_PREFIX.length, body.length);
        line[line.length - 2] = '\r';
        line[line.length - 1] = '\n';
        return line;
    }

    private static final byte[] CONNECT_PREFIX = "CONNECT ".getBytes(StandardCharsets.US_ASCII);

    byte[] connectLine() {
        return connectLine(null);
    }

    // ---------------------------------------------------------------- connections

    @Override
    public ChannelListener accept(TransportChannel channel) {
        if (tls != null) {
            // Routes speak TLS from the first byte (nats-server: the handshake comes before INFO).
            channel.startTls();
        }
        RouteConnection route = new RouteConnection(server, channel, server.nextConnectionId(), this, null);
        open.add(route);
        startAccepted(route, channel, false);
        return route;
    }

    /**
     * Starts an accepted route, or waits a moment when it came in between the bind of the
     * cluster port and the first INFO (the peer is not read until then).
     */
    private void startAccepted(RouteConnection route, TransportChannel channel, boolean paused) {
        if (closed) {
            route.refuse(null, CloseReason.SERVER_SHUTDOWN);
        } else if (infoLine == null) {
            if (!paused) {
                channel.setReading(false);
            }
            channel.schedule(() -> startAccepted(route, channel, true), 5, TimeUnit.MILLISECONDS);
        } else {
            if (paused) {
                channel.setReading(true);
            }
            route.start();
        }
    }

    private void dial(Dial dial) {
        if (closed) {
            return;
        }
        String host = dial.url.getHost();
        int port = dial.url.getPort() < 0 ? ClusterOptions.DEFAULT_ROUTE_PORT : dial.url.getPort();
        transport.connect(host, port, DIAL_TIMEOUT_MILLIS, tls, channel -> {
            if (tls != null) {
                channel.startTls();
            }
            RouteConnection route = new RouteConnection(server, channel, server.nextConnectionId(), this, dial);
            open.add(route);
            if (closed) {
                route.refuse(null, CloseReason.SERVER_SHUTDOWN);
            } else {
                route.start();
            }
            return route;
        }, failure -> {
            LOG.log(System.Logger.Level.DEBUG, "Error trying to connect to route {0}: {1}", dial.url, failure.getMessage());
            redial(dial);
        });
    }

    /** Dials again after a pause, unless the route is implicit and used up its connect_retries. */
    private void redial(Dial dial) {
        if (closed || dials.get(dial.url) != dial) {
            return;
        }
        dial.failures++;
        if (!dial.configured && dial.failures > options.connectRetries()) {
            dials.remove(dial.url, dial);
            return;
        }
        if (dial.serverId != null && routes.containsKey(dial.serverId)) {
            return;
        }
        long delay = REDIAL_DELAY_MILLIS + java.util.concurrent.ThreadLocalRandom.current().nextInt(REDIAL_JITTER_MILLIS);
        transport.schedule(() -> dial(dial), delay);
    }

    /** The peer's first INFO: checks it, and registers the route when nothing else is awaited. */
    void peerInfo(RouteConnection route, RouteConnection.RemoteServer peer) {
        if (peer.serverId().equals(serverId)) {
            LOG.log(System.Logger.Level.DEBUG, "Detected route to self, ignoring {0}", route.dial() == null ? "" : route.dial().url);
            if (route.dial() != null) {
                dials.remove(route.dial().url, route.dial());
            }
            route.refuse(null, CloseReason.PROTOCOL_VIOLATION);
            return;
        }
        if (route.dial() != null) {
            route.dial().serverId = peer.serverId();
            if (!checkClusterName(route, peer.cluster(), peer.dynamicCluster())) {
                return;
            }
        }
        if (route.connectReceived()) {
            register(route);
        }
    }

    /**
     * Cluster names must match, except that a server whose name was generated takes the peer's
     * when the peer's is configured or sorts after its own (nats-server's rule, on both sides).
     * A mismatch closes the route: an accepted one with nats-server's -ERR.
     */
    private boolean checkClusterName(RouteConnection route, String peerName, boolean peerDynamic) {
        String ours = clusterName;
        if (peerName.isEmpty() || peerName.equals(ours)) {
            return true;
        }
        if (dynamicName() && (!peerDynamic || ours.compareTo(peerName) < 0)) {
            adoptName(peerName, peerDynamic);
            return true;
        }
        if (route.solicited()) {
            route.refuse(null, CloseReason.CLUSTER_NAME_CONFLICT);
        } else {
            route.refuse("Rejecting connection, cluster name \"" + peerName + "\" does not match \"" + ours + "\"",
                    CloseReason.CLUSTER_NAME_CONFLICT);
        }
        return false;
    }

    private synchronized void adoptName(String name, boolean stillDynamic) {
        LOG.log(System.Logger.Level.INFO, "Cluster name updated to {0}", name);
        clusterName = name;
        generatedName = stillDynamic ? name : null;
        rebuildInfo();
        byte[] info = infoLine;
        for (RouteConnection route : routes.values()) {
            route.send(info);
        }
        server.clusterChanged();
    }

    /** A peer's CONNECT on an accepted route: credentials and cluster name. */
    boolean checkConnect(RouteConnection route, JsonNode connect) {
        if (connect.hasNonNull("lang")) {
            // A client on the cluster port.
            route.refuse("Authorization Violation", CloseReason.AUTHENTICATION_FAILURE);
            return false;
        }
        if (options.authRequired()) {
            String user = connect.path("user").asText("");
            String pass = connect.path("pass").asText("");
            if (!user.equals(options.user()) || !pass.equals(Objects.toString(options.password(), ""))) {
                route.refuse("Authorization Violation", CloseReason.AUTHENTICATION_FAILURE);
                return false;
            }
        }
        return checkClusterName(route, connect.path("cluster").asText(""), connect.path("cluster_dynamic").asBoolean(false));
    }

    void connectAccepted(RouteConnection route) {
        if (route.remote() != null) {
            register(route);
        }
    }

    void armAuthTimer(RouteConnection route) {
        long timeout = options.authTimeout() == null ? TimeUnit.SECONDS.toMillis(2) : options.authTimeout().toMillis();
        transport.schedule(() -> {
            if (!route.connectReceived() && !route.isClosed()) {
                route.closeGracefully(CloseReason.AUTHENTICATION_TIMEOUT);
            }
        }, timeout);
    }

    /**
     * Registers a route whose peer is known: drops a duplicate (of two routes between the same
     * servers, both sides keep the one dialled by the server with the smaller id), then sends it
     * all local interest and tells the other routes about the new peer.
     */
    private void register(RouteConnection route) {
        RouteConnection.RemoteServer peer = route.remote();
        List<RouteConnection> others;
        synchronized (this) {
            if (closed || route.isClosed() || route.registered()) {
                return;
            }
            RouteConnection existing = routes.get(peer.serverId());
            if (existing != null && !existing.isClosed()) {
                boolean keepNew = route.solicited() == (serverId.compareTo(peer.serverId()) < 0)
                        && existing.solicited() != route.solicited();
                RouteConnection loser = keepNew ? existing : route;
                LOG.log(System.Logger.Level.DEBUG, "Duplicate route to {0}, closing {1}", peer.serverName(),
                        loser.solicited() ? "the dialled one" : "the accepted one");
                if (!keepNew) {
                    route.refuse(null, CloseReason.DUPLICATE_ROUTE);
                    return;
                }
                existing.registered(false);
                existing.closeGracefully(CloseReason.DUPLICATE_ROUTE);
            }
            routes.put(peer.serverId(), route);
            route.registered(true);
            others = new ArrayList<>(routes.values());
            others.remove(route);
        }
        if (route.dial() != null) {
            route.dial().failures = 0;
        }
        LOG.log(System.Logger.Level.INFO, "{0} - Route connection created", route.describeRoute());
        server.systemEvents().routeConnected(route.id(), peer.serverId(), route.remoteHost(), route.remotePort(),
                route.solicited());
        sendAllInterest(route);
        byte[] gossip = gossipLine(route, peer);
        for (RouteConnection other : others) {
            other.send(gossip);
        }
        server.clusterChanged();
    }

    /** The peer's INFO with {@code ip} filled in from the socket when the peer did not advertise one. */
    private byte[] gossipLine(RouteConnection route, RouteConnection.RemoteServer peer) {
        ObjectNode info = peer.info().deepCopy();
        if (info.path("ip").asText("").isEmpty()) {
            info.put("ip", "nats-route://" + peer.host() + ":" + peer.port() + "/");
        }
        return ("INFO " + info + "\r\n").getBytes(StandardCharsets.UTF_8);
    }

    /** Another server's INFO over an existing route: an implicit route to dial, unless known. */
    void gossiped(RouteConnection via, JsonNode info) {
        String id = info.path("server_id").asText("");
        if (id.isEmpty() || id.equals(serverId) || routes.containsKey(id)) {
            return;
        }
        String ip = info.path("ip").asText("");
        URI url;
        try {
            url = ip.isEmpty() ? new URI("nats-route://" + info.path("host").asText() + ":" + info.path("port").asInt() + "/")
                    : new URI(ip);
        } catch (java.net.URISyntaxException e) {
            return;
        }
        for (Dial dial : dials.values()) {
            if (id.equals(dial.serverId) || sameAddress(dial.url, url)) {
                return;
            }
        }
        Dial dial = new Dial(url, false);
        dial.serverId = id;
        if (dials.putIfAbsent(url, dial) == null) {
            LOG.log(System.Logger.Level.DEBUG, "Dialling implicit route {0} learned from {1}", url, via.describeRoute());
            dial(dial);
        }
    }

    private static boolean sameAddress(URI a, URI b) {
        return Objects.equals(a.getHost(), b.getHost()) && a.getPort() == b.getPort();
    }

    /** A changed INFO of a known peer (its client URLs, say). */
    void infoUpdated(RouteConnection route, RouteConnection.RemoteServer peer) {
        server.clusterChanged();
    }

    /** A route closed: forget it, and dial again if it was ours to dial. */
    void closed(RouteConnection route) {
        open.remove(route);
        RouteConnection.RemoteServer peer = route.remote();
        boolean wasRegistered = false;
        if (peer != null) {
            wasRegistered = routes.remove(peer.serverId(), route);
        }
        if (wasRegistered) {
            LOG.log(System.Logger.Level.INFO, "{0} - Route connection closed: {1}", route.describeRoute(),
                    route.closeReason().text());
            server.systemEvents().routeDisconnected(route.id(), peer.serverId(), route.remoteHost(), route.remotePort(),
                    route.solicited(), route.closeReason().text());
            server.clusterChanged();
        }
        Dial dial = route.dial();
        if (dial != null && !closed && route.closeReason() != CloseReason.DUPLICATE_ROUTE) {
            redial(dial);
        }
    }

    // ---------------------------------------------------------------- interest

    @Override
    public void added(Subscription subscription) {
        byte[] line;
        synchronized (localInterest) {
            String key = key(subscription);
            int[] count = localInterest.computeIfAbsent(key, k -> new int[1]);
            count[0]++;
            if (subscription.queue() == null && count[0] > 1) {
                return;
            }
            line = plus(subscription.subject(), subscription.queue(), count[0]);
            broadcast(line);
        }
    }

    @Override
    public void removed(Subscription subscription) {
        synchronized (localInterest) {
            String key = key(subscription);
            int[] count = localInterest.get(key);
            if (count == null) {
                return;
            }
            count[0]--;
            if (count[0] <= 0) {
                localInterest.remove(key);
                broadcast(minus(subscription.subject(), subscription.queue()));
            } else if (subscription.queue() != null) {
                broadcast(plus(subscription.subject(), subscription.queue(), count[0]));
            }
        }
    }

    /** Caller holds the interest lock, so that lines reach each route in the order of the changes. */
    private void broadcast(byte[] line) {
        for (RouteConnection route : routes.values()) {
            route.send(line);
        }
    }

    private void sendAllInterest(RouteConnection route) {
        synchronized (localInterest) {
            List<byte[]> lines = new ArrayList<>(localInterest.size());
            for (Map.Entry<String, int[]> entry : localInterest.entrySet()) {
                String key = entry.getKey();
                int space = key.indexOf(' ');
                String subject = space < 0 ? key : key.substring(0, space);
                String queue = space < 0 ? null : key.substring(space + 1);
                lines.add(plus(subject, queue, entry.getValue()[0]));
            }
            route.sendAll(lines);
        }
    }

    private static String key(Subscription subscription) {
        return subscription.queue() == null ? subscription.subject() : subscription.subject() + ' ' + subscription.queue();
    }

    private static byte[] plus(String subject, String queue, int weight) {
        String line = queue == null ? "RS+ $G " + subject + "\r\n" : "RS+ $G " + subject + ' ' + queue + ' ' + weight + "\r\n";
        return line.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] minus(String subject, String queue) {
        String line = queue == null ? "RS- $G " + subject + "\r\n" : "RS- $G " + subject + ' ' + queue + "\r\n";
        return line.getBytes(StandardCharsets.UTF_8);
    }

    /** Client URLs changed on this server: tell the routes (new INFO). */
    public void clientUrlsChanged() {
        rebuildInfo();
        byte[] info = infoLine;
        for (RouteConnection route : routes.values()) {
            route.send(info);
        }
    }

    /** The client URLs the peers announced, for clients' connect_urls. */
    public List<String> peerClientUrls() {
        List<String> urls = new ArrayList<>();
        for (RouteConnection route : routes.values()) {
            RouteConnection.RemoteServer peer = route.remote();
            if (peer != null) {
                urls.addAll(peer.connectUrls());
            }
        }
        return urls;
    }

    /** Stops dialling and closes every route. */
    @Override
    public void close() {
        closed = true;
        server.interest().listen(null);
        server.cluster(null);
        for (RouteConnection route : open) {
            route.closeGracefully(CloseReason.SERVER_SHUTDOWN);
        }
    }

    /** The cluster block of /varz, as nats-server 2.9 fills it. */
    public Varz.ClusterVarz varz() {
        List<String> urls = new ArrayList<>();
        for (URI url : options.routes()) {
            urls.add(url.getHost() + ":" + (url.getPort() < 0 ? ClusterOptions.DEFAULT_ROUTE_PORT : url.getPort()));
        }
        double authTimeout = options.authTimeout() == null ? 2 : options.authTimeout().toMillis() / 1000.0;
        return new Varz.ClusterVarz(clusterName, listenHost, listenPort, authTimeout, urls, 2, options.tls() != null,
                options.tls() != null && options.tls().requiresClientCertificates());
    }

    /** Open route connections (registered or not); for shutdown waits. */
    public int openCount() {
        return open.size();
    }
}
