package io.natsee.broker.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.natsee.broker.protocol.PublishedMessage;
import io.natsee.broker.server.CloseReason;
import io.natsee.broker.server.Connection;
import io.natsee.broker.server.MessageRouter;
import io.natsee.broker.server.OutboundBuffer;
import io.natsee.broker.server.ProtocolWriter;
import io.natsee.broker.server.ServerContext;
import io.natsee.broker.subject.Subscription;
import io.natsee.broker.transport.TransportChannel;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One route to another server of the cluster, speaking route protocol 2 as nats-server 2.9
 * does: INFO and CONNECT, RS+/RS- for interest, RMSG/HMSG for messages, PING/PONG. The interest
 * the peer announces is kept as subscriptions owned by this connection; messages from the peer
 * go to local clients only. What a Go peer sends that this server does not implement (LS+, LS-,
 * A+, A-, LMSG, other accounts' traffic) is read and ignored.
 *
 * <p>Threads: as {@link Connection}. {@link #forward} runs on the publishing client's loop.
 */
public final class RouteConnection extends Connection {

    private static final System.Logger LOG = System.getLogger(RouteConnection.class.getName());
    static final String GLOBAL_ACCOUNT = "$G";
    private static final byte[] GLOBAL_ACCOUNT_BYTES = GLOBAL_ACCOUNT.getBytes(StandardCharsets.US_ASCII);

    private final RouteManager manager;
    /** The URL this server dialled, or {@code null} for a route the peer dialled. */
    private final RouteManager.Dial dial;
    private final Map<String, Subscription> remoteInterest = new ConcurrentHashMap<>();
    private final RouteProtocolParser parser;
    private volatile RemoteServer remote;
    private volatile boolean registered;
    private volatile boolean connectReceived;
    private final String[] queueScratch = new String[16];
    /** A routed message as the router takes it, refilled for each one (on this route's loop). */
    private final PublishedMessage inbound = new PublishedMessage();

    RouteConnection(ServerContext server, TransportChannel channel, long id, RouteManager manager,
                    RouteManager.Dial dial) {
        super(server, channel, id, true);
        this.manager = manager;
        this.dial = dial;
        // nats-server checks max_payload only for clients; a route's messages passed that check already.
        this.parser = new RouteProtocolParser(new Handler(), MAX_CONTROL_LINE, Integer.MAX_VALUE);
        parser.trace(trace != null);
    }

    /** The control line limit on routes: nats-server's default max_control_line. */
    private static final int MAX_CONTROL_LINE = 4096;

    /** What the peer said about itself in its INFO. */
    record RemoteServer(String serverId, String serverName, String cluster, boolean dynamicCluster, String host,
                        int port, List<String> connectUrls, JsonNode info) {
    }

    /** Starts the exchange: a dialled route sends CONNECT then INFO, an accepted one INFO. */
    void start() {
        // A dialled route hears no CONNECT (the dialler sends it); an accepted one waits for it.
        connectReceived = dial != null;
        if (dial != null) {
            queue(manager.connectLine(dial.url));
        }
        queue(manager.infoLine());
        flush();
        startKeepAlive();
        if (dial == null) {
            manager.armAuthTimer(this);
        }
    }

    boolean solicited() {
        return dial != null;
    }

    RouteManager.Dial dial() {
        return dial;
    }

    RemoteServer remote() {
        return remote;
    }

    boolean registered() {
        return registered;
    }

    boolean connectReceived() {
        return connectReceived;
    }

    @Override
    protected void stopParser() {
        parser.stop();
    }

    // ---------------------------------------------------------------- transport events

    @Override
    public void onRead(ByteBuffer bytes) {
        if (isClosed()) {
            return;
        }
        active();
        try {
            parser.parse(bytes);
        } catch (RouteProtocolException e) {
            LOG.log(System.Logger.Level.WARNING, "{0} - route parse error: {1}", describe(), e.getMessage());
            close(CloseReason.PARSE_ERROR, null);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "internal error on route " + describe() + ", closing it", e);
            close(CloseReason.PROTOCOL_VIOLATION, null);
        }
    }

    @Override
    public void onClosed() {
        closedByTransport(CloseReason.CLIENT_CLOSED);
        for (Subscription subscription : remoteInterest.values()) {
            subscription.markRemoved();
            server.interest().removeRemote(subscription);
        }
        remoteInterest.clear();
        manager.closed(this);
        LOG.log(System.Logger.Level.DEBUG, "{0} - route connection closed: {1}", describe(), closeReason().text());
    }

    /** Closes the route with an -ERR first (on its loop). */
    void refuse(String error, CloseReason reason) {
        close(reason, error);
    }

    // ---------------------------------------------------------------- protocol (called by the reader)

    void onInfo(byte[] json) {
        JsonNode info;
        try {
            info = manager.json().readTree(json);
        } catch (IOException e) {
            close(CloseReason.PROTOCOL_VIOLATION, null);
            return;
        }
        String serverId = info.path("server_id").asText("");
        RemoteServer current = remote;
        if (current != null && !serverId.equals(current.serverId())) {
            // Gossip: the peer tells us of another server of the cluster.
            manager.gossiped(this, info);
            return;
        }
        List<String> urls = new ArrayList<>();
        for (JsonNode url : info.path("connect_urls")) {
            urls.add(url.asText());
        }
        String host = info.path("host").asText("");
        if (host.isEmpty() || host.equals("0.0.0.0") || host.equals("::")) {
            host = channel.remoteHost();
        }
        RemoteServer peer = new RemoteServer(serverId, info.path("server_name").asText(serverId),
                info.path("cluster").asText(""), info.path("cluster_dynamic").asBoolean(false), host,
                info.path("port").asInt(0), List.copyOf(urls), info);
        remote = peer;
        if (current == null) {
            manager.peerInfo(this, peer);
        } else {
            manager.infoUpdated(this, peer);
        }
    }

    void onConnect(byte[] json) {
        JsonNode connect;
        try {
            connect = manager.json().readTree(json);
        } catch (IOException e) {
            close(CloseReason.PROTOCOL_VIOLATION, null);
            return;
        }
        if (!manager.checkConnect(this, connect)) {
            return;
        }
        connectReceived = true;
        manager.connectAccepted(this);
    }

    /** Called by the manager once the peer is known and accepted: interest may flow now. */
    void registered(boolean value) {
        registered = value;
    }

    void onPing() {
        peerPinged();
    }

    void onPong() {
        ponged();
    }

    void onError(String text) {
        LOG.log(System.Logger.Level.WARNING, "{0} - route peer sent -ERR {1}", describe(), text);
    }

    /**
     * {@code RS+ <account> <subject> [<queue> <weight>]}. A repeated queue RS+ updates the weight
     * (the number of the peer's members), which the router uses to pick among routes in
     * proportion, as nats-server 2.9.10 counts a remote queue subscription weight times.
     */
    void onSubscribe(String account, String subject, String queue, int weight) {
        if (!GLOBAL_ACCOUNT.equals(account)) {
            return;
        }
        String key = queue == null ? subject : subject + ' ' + queue;
        Subscription existing = remoteInterest.get(key);
        if (existing != null) {
            if (queue != null) {
                existing.weight(weight);
            }
            return;
        }
        Subscription subscription = new Subscription(this, subject, queue, key);
        if (queue != null) {
            subscription.weight(weight);
        }
        remoteInterest.put(key, subscription);
        server.interest().addRemote(subscription);
    }

    /** {@code RS- <account> <subject> [<queue>]}. */
    void onUnsubscribe(String account, String subject, String queue) {
        if (!GLOBAL_ACCOUNT.equals(account)) {
            return;
        }
        Subscription subscription = remoteInterest.remove(queue == null ? subject : subject + ' ' + queue);
        if (subscription != null) {
            subscription.markRemoved();
            server.interest().removeRemote(subscription);
        }
    }

    /** A routed message: to local clients only (plain interest, and the queue groups it names). */
    void onMessage(RoutedMessage message) {
        int total = message.totalLength();
        countIn(total);
        if (trace != null) {
            trace.receivedPayload(message.payload(), message.payloadOffset(), total);
        }
        if (!registered || !isGlobalAccount(message)) {
            return;
        }
        int count = Math.min(message.queueCount(), queueScratch.length);
        for (int i = 0; i < count; i++) {
            queueScratch[i] = message.queue(i);
        }
        MessageRouter.routeFromRoute(this, inbound.set(message.arguments(), message.subjectOffset(),
                message.subjectLength(), message.replyOffset(), message.replyLength(), message.payload(),
                message.payloadOffset(), Math.max(0, message.headerLength()), total), queueScratch, count);
    }

    private static boolean isGlobalAccount(RoutedMessage message) {
        ByteBuffer args = message.arguments();
        int offset = message.accountOffset();
        return message.accountLength() == 2 && args.get(offset) == '$' && args.get(offset + 1) == 'G';
    }

    /** Turns the parser's callbacks into this route's operations. */
    private final class Handler implements RouteProtocolHandler {
        @Override
        public void onInfo(ByteBuffer buffer, int offset, int length) {
            RouteConnection.this.onInfo(bytes(buffer, offset, length));
        }

        @Override
        public void onConnect(ByteBuffer buffer, int offset, int length) {
            RouteConnection.this.onConnect(bytes(buffer, offset, length));
        }

        @Override
        public void onPing() {
            RouteConnection.this.onPing();
        }

        @Override
        public void onPong() {
            RouteConnection.this.onPong();
        }

        @Override
        public void onError(ByteBuffer buffer, int offset, int length) {
            RouteConnection.this.onError(text(buffer, offset, length));
        }

        @Override
        public void onSubscribe(ByteBuffer args, int accountOffset, int accountLength, int subjectOffset,
                                int subjectLength, int queueOffset, int queueLength, int weight) {
            RouteConnection.this.onSubscribe(text(args, accountOffset, accountLength),
                    text(args, subjectOffset, subjectLength),
                    queueLength == 0 ? null : text(args, queueOffset, queueLength), weight);
        }

        @Override
        public void onUnsubscribe(ByteBuffer args, int accountOffset, int accountLength, int subjectOffset,
                                  int subjectLength, int queueOffset, int queueLength) {
            RouteConnection.this.onUnsubscribe(text(args, accountOffset, accountLength),
                    text(args, subjectOffset, subjectLength),
                    queueLength == 0 ? null : text(args, queueOffset, queueLength));
        }

        @Override
        public void onMessage(RoutedMessage message) {
            RouteConnection.this.onMessage(message);
        }

        /** nats-server's trace of what a route received: every operation but INFO, -ERR and +OK. */
        @Override
        public void onLine(ByteBuffer line, int verbStart, int verbLength, int argsStart, int stop) {
            String verb = text(line, verbStart, verbLength).toUpperCase(java.util.Locale.ROOT);
            if (verb.equals("INFO") || verb.equals("-ERR") || verb.equals("+OK")) {
                return;
            }
            String args = text(line, argsStart, stop - argsStart);
            if (verb.equals("CONNECT")) {
                args = io.natsee.broker.trace.ConnectRedaction.redact(args);
            }
            trace.received(args.isEmpty() ? verb : verb + ' ' + args);
        }
    }

    private static byte[] bytes(ByteBuffer buffer, int offset, int length) {
        byte[] bytes = new byte[length];
        buffer.get(offset, bytes, 0, length);
        return bytes;
    }

    private static String text(ByteBuffer buffer, int offset, int length) {
        return new String(bytes(buffer, offset, length), StandardCharsets.UTF_8);
    }

    /** Sends protocol bytes (RS+, RS-, INFO) from any thread. */
    void send(byte[] line) {
        if (channel.inEventLoop()) {
            queue(line);
        } else {
            channel.execute(() -> {
                if (!isClosed()) {
                    queue(line);
                    flush();
                }
            });
        }
    }

    /** Sends several protocol lines in order from any thread. */
    void sendAll(List<byte[]> lines) {
        Runnable task = () -> {
            if (!isClosed()) {
                for (byte[] line : lines) {
                    queue(line);
                }
                flush();
            }
        };
        if (channel.inEventLoop()) {
            task.run();
        } else {
            channel.execute(task);
        }
    }

    // ---------------------------------------------------------------- message path

    @Override
    protected boolean deliver(Connection producer, Subscription subscription, PublishedMessage message) {
        return forward(producer, message, null, 0);
    }

    @Override
    protected boolean forward(Connection producer, PublishedMessage message, byte[][] queues, int queueCount) {
        if (locking()) {
            synchronized (this) {
                return forwardLocked(producer, message, queues, queueCount);
            }
        }
        return forwardLocked(producer, message, queues, queueCount);
    }

    private boolean forwardLocked(Connection producer, PublishedMessage message, byte[][] queues, int queueCount) {
        if (isClosed() || !registered) {
            return false;
        }
        OutboundBuffer out = outbound();
        int lineStart = out.length();
        ProtocolWriter.routedMessage(out, GLOBAL_ACCOUNT_BYTES, message, queues, queueCount);
        if (trace != null) {
            trace.sentControlLine(out.array(), lineStart, out.length());
        }
        countOut(message.totalLength());
        queued(producer);
        return true;
    }

    /** nats-server applies max_pending to clients only: a route's queue never drops the route. */
    @Override
    protected boolean pendingLimitExceeded() {
        return true;
    }

    /**
     * As nats-server: a route that could not take its bytes for a whole write deadline is
     * counted and reported as a slow consumer each time, and closed (then redialled when it
     * was ours to dial) only when the peer read nothing at all in that time.
     */
    @Override
    protected boolean writeDeadlineExceeded(long drained, long pending) {
        LOG.log(System.Logger.Level.INFO, "{0} - Slow Consumer Detected: WriteDeadline of {1} exceeded with {2} total bytes.",
                describe(), io.natsee.broker.monitor.GoFormats.duration(server.options().writeDeadline().toNanos()),
                Long.toString(pending));
        if (drained == 0) {
            closeSlowConsumer(io.natsee.broker.server.CloseReason.SLOW_CONSUMER_WRITE_DEADLINE);
            return false;
        }
        server.countSlowConsumer(this, io.natsee.broker.server.CloseReason.SLOW_CONSUMER_WRITE_DEADLINE);
        return true;
    }

    // ---------------------------------------------------------------- monitoring

    /**
     * This route as {@code /routez} shows it now (nats-server's {@code RouteInfo}); any thread.
     * Counters written by the event loop are read without a lock and may be slightly old.
     */
    public io.natsee.broker.monitor.Routez.Route monitorInfo(boolean subscriptions, boolean detail, Instant now) {
        List<String> subjects = List.of();
        List<io.natsee.broker.monitor.SubDetail> details = List.of();
        List<Subscription> interest = new ArrayList<>(remoteInterest.values());
        if (detail) {
            details = interest.stream().map(io.natsee.broker.server.ClientConnection::detail).toList();
        } else if (subscriptions) {
            subjects = interest.stream().map(Subscription::subject).toList();
        }
        RemoteServer peer = remote();
        Instant last = lastActivity();
        long rtt = roundTripNanos();
        return new io.natsee.broker.monitor.Routez.Route(id(), peer == null ? "" : peer.serverId(), solicited(),
                dial() != null && dial().configured, remoteHost(), remotePort(), startTime(), last,
                rtt == 0 ? "" : io.natsee.broker.monitor.GoFormats.duration(rtt),
                io.natsee.broker.monitor.GoFormats.uptime(java.time.Duration.between(startTime(), now)),
                io.natsee.broker.monitor.GoFormats.uptime(java.time.Duration.between(last, now)),
                pendingBytes(), inMsgs(), outMsgs(), inBytes(), outBytes(), interest.size(), subjects, details);
    }

    /** The peer's interest as of now, for /routez. */
    int remoteSubscriptions() {
        return remoteInterest.size();
    }

    List<String> remoteSubjects() {
        return new ArrayList<>(remoteInterest.keySet());
    }

    /** The weight the peer announced for {@code "subject queue"}; 0 without such interest. */
    int remoteWeight(String key) {
        Subscription subscription = remoteInterest.get(key);
        return subscription == null ? 0 : subscription.weight();
    }

    Instant started() {
        return startTime();
    }

    int pending() {
        return pendingBytes();
    }

    String remoteHost() {
        return channel.remoteHost();
    }

    int remotePort() {
        return channel.remotePort();
    }

    String describeRoute() {
        return describe();
    }

    @Override
    protected String describe() {
        RemoteServer peer = remote;
        return channel.remoteHost() + ":" + channel.remotePort() + " - rid:" + id()
                + (peer == null ? "" : " (" + peer.serverName() + ")");
    }
}
