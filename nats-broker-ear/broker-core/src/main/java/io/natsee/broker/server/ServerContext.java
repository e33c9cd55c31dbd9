package io.natsee.broker.server;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.natsee.broker.BrokerDefaults;
import io.natsee.broker.BrokerOptions;
import io.natsee.broker.BrokerStatistics;
import io.natsee.broker.auth.AuthOptions;
import io.natsee.broker.auth.Authenticator;
import io.natsee.broker.subject.SubjectTrie;
import io.natsee.broker.transport.ChannelAcceptor;
import io.natsee.broker.transport.ChannelListener;
import io.natsee.broker.transport.TransportChannel;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The state that the connections of one broker share: options, the subject trie, the per-loop
 * contexts, the {@link ConnectionRegistry} and the server's identity. Also the acceptor that
 * turns new transport channels into client connections.
 */
public final class ServerContext implements ChannelAcceptor {

    private static final System.Logger LOG = System.getLogger(ServerContext.class.getName());

    final BrokerOptions options;
    final SubjectTrie trie;
    final Interest interest;
    final Clock clock;
    private final String serverId;
    private final String serverName;
    private final LoopContext[] loops;
    private final ConnectionRegistry registry = new ConnectionRegistry();
    private final SystemEvents events;
    private final AtomicLong slowConsumers = new AtomicLong();
    private final Instant start;
    private volatile boolean lameDuck;
    private volatile String infoPrefix;
    private volatile Authenticator authenticator;
    private volatile java.time.Duration authTimeout;
    private String advertisedHost;
    private int advertisedPort;
    private volatile boolean shuttingDown;
    private volatile ClusterView cluster;
    /** The cluster part of client INFO ({@code ,"cluster":..,"connect_urls":[..]}), empty without one. */
    private volatile String clusterInfo = "";

    /** What client INFO shows of the cluster; the route manager provides it. */
    public interface ClusterView {
        /** The cluster's name. */
        String name();

        /** Whether the name was generated (and may still be replaced by a peer's). */
        boolean dynamicName();

        /** The client URLs of the other servers ({@code host:port}), as they announced them. */
        List<String> peerClientUrls();

        /** Whether clients are told nothing of the other servers (no_advertise). */
        boolean noAdvertise();
    }

    public ServerContext(BrokerOptions options, String serverId, int eventLoops, Clock clock) {
        this.options = options;
        this.trace = options.trace();
        this.maxTracedMsgLen = options.maxTracedMsgLen();
        this.clock = clock;
        this.serverId = serverId;
        this.serverName = options.serverName() == null ? serverId : options.serverName();
        this.trie = new SubjectTrie(options.matchCache());
        this.interest = new Interest(trie);
        this.loops = new LoopContext[eventLoops];
        for (int i = 0; i < eventLoops; i++) {
            loops[i] = new LoopContext(i, trie, options.matchCache());
        }
        this.start = clock.instant();
        this.maxConnections = options.maxConnections();
        this.maxPayload = options.maxPayload();
        this.authenticator = new Authenticator(options.authorization());
        this.authTimeout = options.effectiveAuthTimeout();
        this.events = new SystemEvents(this);
        if (events.enabled()) {
            registry.listener(events.connectionListener());
        }
    }

    /** The {@code $SYS} advisories (they publish nothing unless {@code system_account} is set). */
    public SystemEvents systemEvents() {
        return events;
    }

    /** Whether the server is closing every connection. */
    boolean shuttingDown() {
        return shuttingDown;
    }

    /** The state of the event loop serving this channel. */
    LoopContext loopFor(TransportChannel channel) {
        return loops[channel.loopIndex() % loops.length];
    }

    /** How many event loops serve the connections. */
    public int eventLoops() {
        return loops.length;
    }

    /** A new connection id, unique among this broker's clients and routes. */
    public long nextConnectionId() {
        return registry.nextId();
    }

    /** Where subscriptions enter and leave the trie; routes listen to it. */
    public Interest interest() {
        return interest;
    }

    /** How long a new client has to authenticate. */
    java.time.Duration authTimeout() {
        return authTimeout;
    }

    /** Sets the address advertised in INFO once the client port is bound. */
    public void listening(String host, int port) {
        this.advertisedHost = host;
        this.advertisedPort = port;
        rebuildInfo();
    }

    /**
     * Builds the server part of INFO, in nats-server's field order: identity, address, headers,
     * then auth_required, tls_required and tls_verify when they hold, then max_payload.
     */
    private void rebuildInfo() {
        JsonStringEncoder encoder = JsonStringEncoder.getInstance();
        StringBuilder info = new StringBuilder(256);
        info.append("INFO {\"server_id\":\"").append(encoder.quoteAsString(serverId))
                .append("\",\"server_name\":\"").append(encoder.quoteAsString(serverName))
                .append("\",\"version\":\"").append(BrokerDefaults.VERSION)
                .append("\",\"proto\":1,\"go\":\"").append(runtimeVersion())
                .append("\",\"host\":\"").append(encoder.quoteAsString(advertisedHost))
                .append("\",\"port\":").append(advertisedPort)
                .append(",\"headers\":true");
        if (authenticator.required()) {
            info.append(",\"auth_required\":true");
        }
        if (options.tls() != null) {
            info.append(",\"tls_required\":true");
            if (options.tls().requiresClientCertificates()) {
                info.append(",\"tls_verify\":true");
            }
        }
        info.append(",\"max_payload\":").append(maxPayload);
        this.infoPrefix = info.toString();
    }

    /**
     * The INFO line sent to a new client: the server's fields, then the client's id and address,
     * and the nonce it must sign when NKey users are configured ({@code null} otherwise).
     */
    byte[] infoFor(long clientId, String clientIp, String nonce) {
        return infoFor(clientId, clientIp, nonce, false);
    }

    /** As {@link #infoFor(long, String, String)}, with {@code "ldm":true} last when {@code lameDuck}, as nats-server orders it. */
    byte[] infoFor(long clientId, String clientIp, String nonce, boolean lameDuck) {
        StringBuilder line = new StringBuilder(infoPrefix.length() + 96).append(infoPrefix)
                .append(",\"client_id\":").append(clientId)
                .append(",\"client_ip\":\"").append(JsonStringEncoder.getInstance().quoteAsString(clientIp)).append('"');
        if (nonce != null) {
            line.append(",\"nonce\":\"").append(nonce).append('"');
        }
        line.append(clusterInfo);
        if (lameDuck) {
            line.append(",\"ldm\":true");
        }
        line.append("} \r\n");
        return line.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** This server's client URLs as the cluster learns them: {@code host:port}. */
    public List<String> clientUrls() {
        ClusterView view = cluster;
        if (view != null && view.noAdvertise()) {
            return List.of();
        }
        return List.of(advertisedHost + ":" + advertisedPort);
    }

    /** Joins this server to a cluster (for client INFO); {@code null} leaves it. */
    public void cluster(ClusterView view) {
        this.cluster = view;
        clusterChanged();
    }

    /**
     * The cluster changed (a peer came or went, the name was adopted): rebuilds the cluster part
     * of client INFO and, when it changed, sends the new INFO to clients that take asynchronous
     * INFO (CONNECT {@code "protocol":1}), as nats-server does. Any thread.
     */
    public synchronized void clusterChanged() {
        ClusterView view = cluster;
        String updated = "";
        if (view != null) {
            JsonStringEncoder encoder = JsonStringEncoder.getInstance();
            StringBuilder info = new StringBuilder(128);
            info.append(",\"cluster\":\"").append(encoder.quoteAsString(view.name())).append('"');
            if (view.dynamicName()) {
                info.append(",\"cluster_dynamic\":true");
            }
            if (!view.noAdvertise()) {
                List<String> urls = new ArrayList<>(clientUrls());
                for (String url : view.peerClientUrls()) {
                    if (!urls.contains(url)) {
                        urls.add(url);
                    }
                }
                info.append(",\"connect_urls\":[");
                for (int i = 0; i < urls.size(); i++) {
                    info.append(i == 0 ? "\"" : ",\"").append(encoder.quoteAsString(urls.get(i))).append('"');
                }
                info.append(']');
            }
            updated = info.toString();
        }
        if (updated.equals(clusterInfo)) {
            return;
        }
        clusterInfo = updated;
        for (ClientConnection connection : registry.open()) {
            connection.announceInfo();
        }
    }

    /** How clients authenticate now; replaced on reload. */
    public Authenticator authenticator() {
        return authenticator;
    }

    /**
     * Whether connections opened from now on trace their protocol, and the longest payload they
     * show (0: all); set from the options and again by a reload.
     */
    volatile boolean trace;
    volatile int maxTracedMsgLen;

    /**
     * Counts the reloads of settings that open clients apply themselves ({@code max_payload},
     * {@code trace}); a client compares it with its own on each read, one volatile read.
     */
    volatile int settingsGeneration;

    /** Switches the protocol trace (a reload of {@code trace}), for open clients too, as nats-server 2.9.10. */
    public void reloadTrace(boolean trace, int maxTracedMsgLen) {
        boolean changed = trace != this.trace || maxTracedMsgLen != this.maxTracedMsgLen;
        this.maxTracedMsgLen = maxTracedMsgLen;
        this.trace = trace;
        if (changed) {
            settingsChanged();
        }
    }

    /** Tells every open client to apply the reloaded settings, also the idle ones that read nothing. */
    private void settingsChanged() {
        settingsGeneration++;
        for (ClientConnection connection : registry.open()) {
            connection.settingsChanged();
        }
    }

    /** max_connections and max_payload in effect; the options' until a reload changes them. */
    volatile int maxConnections;
    volatile int maxPayload;

    /**
     * Applies reloaded limits as nats-server 2.9.10 does: INFO of new clients says the new
     * max_payload and every open client is held to it from its next read; when more clients
     * are open than the new max_connections allows, the newest are closed with
     * {@code -ERR 'maximum connections exceeded'} (nats-server picks them at random).
     *
     * @return how many clients were closed
     */
    public int reloadLimits(int maxConnections, int maxPayload) {
        boolean payloadChanged = maxPayload != this.maxPayload;
        this.maxConnections = maxConnections;
        this.maxPayload = maxPayload;
        rebuildInfo();
        if (payloadChanged) {
            settingsChanged();
        }
        java.util.List<ClientConnection> open = new java.util.ArrayList<>(registry.open());
        int excess = maxConnections > 0 ? open.size() - maxConnections : 0;
        if (excess <= 0) {
            return 0;
        }
        open.sort(java.util.Comparator.comparingLong(ClientConnection::id).reversed());
        for (ClientConnection connection : open.subList(0, excess)) {
            connection.maxConnectionsExceeded();
        }
        return excess;
    }

    /** Applies new authorization settings: INFO changes for new clients, and every client re-checks. */
    public void reloadAuthorization(AuthOptions authorization, java.time.Duration authTimeout) {
        this.authenticator = new Authenticator(authorization);
        this.authTimeout = authTimeout;
        rebuildInfo();
        for (ClientConnection connection : registry.open()) {
            connection.reauthorize();
        }
    }

    /** The Go field of INFO (and /varz) names the runtime; ours is Java. */
    private static String runtimeVersion() {
        return "java" + Runtime.version();
    }

    @Override
    public ChannelListener accept(TransportChannel channel) {
        long id = nextConnectionId();
        ClientConnection connection = new ClientConnection(this, channel, id);
        registry.accepted();
        if (shuttingDown || lameDuck) {
            connection.refuse(null, CloseReason.SERVER_SHUTDOWN);
        } else if (registry.openCount() >= maxConnections) {
            connection.refuse("maximum connections exceeded", CloseReason.MAX_CONNECTIONS_EXCEEDED);
        } else {
            registry.register(connection);
            connection.start();
        }
        return connection;
    }

    /** The open connections, their ids and the closed history. */
    public ConnectionRegistry registry() {
        return registry;
    }

    /**
     * Begins lame duck mode: new connections are refused from now on, and every open client is
     * sent an INFO with {@code "ldm":true} so it can prepare to move to another server.
     *
     * @return the clients open now, which the caller closes gradually
     */
    public List<ClientConnection> beginLameDuck() {
        lameDuck = true;
        List<ClientConnection> open = connections();
        for (ClientConnection connection : open) {
            connection.announceLameDuck();
        }
        return open;
    }

    /** Whether lame duck mode has begun. */
    public boolean lameDuck() {
        return lameDuck;
    }

    /** Counts a connection closed as a slow consumer; a client's is also announced on {@code $SYS}. */
    public void countSlowConsumer(Connection connection, CloseReason reason) {
        slowConsumers.incrementAndGet();
        if (connection instanceof ClientConnection client) {
            events.slowConsumer(client, reason.text());
        }
    }

    public String serverId() {
        return serverId;
    }

    public String serverName() {
        return serverName;
    }

    public BrokerOptions options() {
        return options;
    }

    public SubjectTrie trie() {
        return trie;
    }

    public Instant start() {
        return start;
    }

    /** The open client connections, for monitoring and shutdown. */
    public List<ClientConnection> connections() {
        return registry.open();
    }

    public int connectionCount() {
        return registry.openCount();
    }

    /** Refuses new connections and closes every open one after flushing what it has queued. */
    public void shutdown() {
        shuttingDown = true;
        for (ClientConnection connection : registry.open()) {
            connection.closeGracefully(CloseReason.SERVER_SHUTDOWN);
        }
    }

    /** The counters summed over the event loops. */
    public BrokerStatistics statistics() {
        long inMsgs = 0;
        long inBytes = 0;
        long outMsgs = 0;
        long outBytes = 0;
        for (LoopContext loop : loops) {
            inMsgs += loop.inMsgs;
            inBytes += loop.inBytes;
            outMsgs += loop.outMsgs;
            outBytes += loop.outBytes;
        }
        return new BrokerStatistics(inMsgs, outMsgs, inBytes, outBytes, slowConsumers.get(),
                registry.openCount(), registry.totalCount(), trie.count(), start);
    }

    static void logClose(ClientConnection connection, CloseReason reason) {
        LOG.log(System.Logger.Level.DEBUG, "{0} - Client connection closed: {1}", connection.logPrefix(), reason.text());
    }
}
