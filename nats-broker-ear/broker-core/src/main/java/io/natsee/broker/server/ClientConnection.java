package io.natsee.broker.server;

import io.natsee.broker.auth.PermissionChecker;
import io.natsee.broker.auth.ResponsePermission;
import io.natsee.broker.monitor.ConnectionSnapshot;
import io.natsee.broker.monitor.SubDetail;
import io.natsee.broker.protocol.ProtocolException;
import io.natsee.broker.protocol.ProtocolHandler;
import io.natsee.broker.protocol.ProtocolParser;
import io.natsee.broker.protocol.PublishedMessage;
import io.natsee.broker.subject.MatchResult;
import io.natsee.broker.subject.SubjectMatch;
import io.natsee.broker.subject.Subjects;
import io.natsee.broker.subject.Subscription;
import io.natsee.broker.trace.ProtocolTrace;
import io.natsee.broker.tls.GoTlsNames;
import io.natsee.broker.trace.TracingProtocolHandler;
import io.natsee.broker.transport.TlsSession;
import io.natsee.broker.transport.TransportChannel;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One client connection: it parses what the client sends, keeps its subscriptions, publishes
 * through the {@link MessageRouter}, and queues what is delivered to it (MSG or HMSG) in its
 * outbound buffer, flushed once per read of the publishing connection. IO, keep-alive and
 * closing are the {@link Connection}'s; authentication and permissions are {@link ClientSecurity}'s.
 */
public final class ClientConnection extends Connection implements ProtocolHandler {

    /** The account every client belongs to while accounts are not configurable. */
    private static final String GLOBAL_ACCOUNT = "$G";
    private static final ByteBuffer NO_RESPONDERS =
            ByteBuffer.wrap(ProtocolWriter.ascii("NATS/1.0 503\r\n\r\n")).asReadOnlyBuffer();

    private final ProtocolParser parser;
    /** The server's settings generation this connection applied; compared on each read. Loop only. */
    private int settingsGeneration;
    private final ClientSecurity security;
    /** Changed on this connection's loop only; concurrent so that monitoring can read it from any thread. */
    private final Map<String, Subscription> subscriptions = new ConcurrentHashMap<>();

    // Client options from CONNECT; the defaults are nats-server's for a client that sent none.
    boolean echo = true;
    private boolean verbose = true;
    private boolean pedantic = true;
    private boolean headers;
    private boolean noResponders;
    private volatile ConnectInfo connectInfo = ConnectInfo.NONE;
    private volatile boolean announced;

    ClientConnection(ServerContext server, TransportChannel channel, long id) {
        super(server, channel, id, false);
        this.parser = new ProtocolParser(trace == null ? this : new TracingProtocolHandler(this, trace),
                server.options.maxControlLine(), server.maxPayload);
        // None yet: the first read applies the settings, so a reload during construction is not missed.
        this.settingsGeneration = -1;
        this.security = new ClientSecurity(server, channel);
    }

    /** Sends INFO and starts the keep-alive timer. Called on the connection's loop. */
    void start() {
        System.getLogger(ClientConnection.class.getName()).log(System.Logger.Level.DEBUG,
                "{0} - Client connection created", describe());
        String nonce = security.begin();
        out.append(server.infoFor(id(), channel.remoteHost(), nonce));
        flush();
        security.armTimer(this::onAuthTimeout);
        if (server.options.tls() != null) {
            channel.startTls();
        }
        startKeepAlive();
    }

    /** Sends INFO and an error (if any), then closes: for connections over a limit. */
    void refuse(String error, CloseReason reason) {
        closed = true;
        closeReason = reason;
        parser.stop();
        out.append(server.infoFor(id(), channel.remoteHost(), null));
        if (error != null) {
            out.append(ProtocolWriter.errorLine(error));
        }
        flush();
        channel.closeAfterFlush();
    }

    @Override
    protected boolean noEcho() {
        return !echo;
    }

    @Override
    protected void stopParser() {
        parser.stop();
    }

    // ---------------------------------------------------------------- transport events

    @Override
    public void onRead(ByteBuffer bytes) {
        if (closed) {
            return;
        }
        active();
        if (server.settingsGeneration != settingsGeneration) {
            applySettings();
        }
        try {
            parser.parse(bytes);
        } catch (ProtocolException e) {
            protocolError(e);
        } catch (RuntimeException e) {
            System.getLogger(ClientConnection.class.getName()).log(System.Logger.Level.ERROR,
                    "internal error on " + describe() + ", closing it", e);
            close(CloseReason.PROTOCOL_VIOLATION, null);
        }
    }

    @Override
    public void onClosed() {
        closedByTransport(CloseReason.CLIENT_CLOSED);
        ConnectionSnapshot last = snapshot(true, server.clock.instant(), closeReason.text());
        for (Subscription subscription : subscriptions.values()) {
            subscription.markRemoved();
            server.interest.removeLocal(subscription);
        }
        server.registry().closed(this, last);
        ServerContext.logClose(this, closeReason);
        if (trace != null) {
            for (Subscription subscription : subscriptions.values()) {
                trace.removed(subscription.sid());
            }
        }
        subscriptions.clear();
    }

    @Override
    protected void cancelTimers() {
        super.cancelTimers();
        security.cancelTimer();
    }

    // ---------------------------------------------------------------- protocol operations

    @Override
    public boolean beginOperation(byte firstByte) {
        if (security.authenticated() || firstByte == 'C' || firstByte == 'c') {
            return true;
        }
        authorizationViolation();
        return false;
    }

    @Override
    public void onConnect(ByteBuffer buffer, int offset, int length) {
        byte[] bytes = new byte[length];
        buffer.get(offset, bytes, 0, length);
        ConnectFields connect = ConnectFields.parse(bytes);
        if (connect == null) {
            close(CloseReason.PROTOCOL_VIOLATION, null);
            return;
        }
        ConnectInfo info = ConnectInfo.from(connect);
        connectInfo = info;
        verbose = info.verbose();
        pedantic = info.pedantic();
        echo = info.echo();
        headers = info.headers();
        noResponders = info.noResponders();
        if (info.protocol() < 0 || info.protocol() > 1) {
            close(CloseReason.BAD_CLIENT_PROTOCOL_VERSION, "invalid client protocol");
            return;
        }
        if (noResponders && !headers) {
            close(CloseReason.PROTOCOL_VIOLATION, "no responders requires headers support");
            return;
        }
        if (!security.authorize(connect)) {
            authorizationViolation();
            return;
        }
        sendOk();
        if (!announced) {
            announced = true;
            server.registry().authenticated(this);
        }
    }

    /**
     * The log prefix with the client's {@code "v<version>:<lang>:<name>"} (the parts it sent,
     * Go-quoted) once CONNECT named it, as nats-server writes it.
     */
    @Override
    protected String logPrefix() {
        ConnectInfo info = connectInfo;
        String label = join(join(info.version().isEmpty() ? "" : "v" + info.version(), info.lang()), info.name());
        return label.isEmpty() ? describe() : describe() + " - " + ProtocolTrace.quote(label);
    }

    private static String join(String left, String right) {
        return left.isEmpty() ? right : right.isEmpty() ? left : left + ":" + right;
    }

    /** Whether this client completed a CONNECT (the connect advisory went out for it). */
    boolean authenticatedOnce() {
        return announced;
    }

    /** A reload changed max_payload or trace: applied on this connection's loop. Any thread. */
    void settingsChanged() {
        channel.execute(() -> {
            if (!closed && server.settingsGeneration != settingsGeneration) {
                applySettings();
            }
        });
    }

    /**
     * Takes the reloaded max_payload (held from the next payload read) and trace switch (the
     * protocol trace starts or stops with the next operation). Loop only.
     */
    private void applySettings() {
        settingsGeneration = server.settingsGeneration;
        parser.maxPayload(server.maxPayload);
        boolean tracing = server.trace;
        if (tracing || trace != null) {
            trace = tracing ? new ProtocolTrace(this::logPrefix, server.maxTracedMsgLen) : null;
            parser.handler(trace == null ? this : new TracingProtocolHandler(this, trace));
        }
    }

    /** A reload lowered max_connections below the open count: this client goes, as nats-server's. Any thread. */
    void maxConnectionsExceeded() {
        channel.execute(() -> {
            System.getLogger(ClientConnection.class.getName()).log(System.Logger.Level.ERROR, "{0} - maximum connections exceeded", logPrefix());
            close(CloseReason.MAX_CONNECTIONS_EXCEEDED, "maximum connections exceeded");
        });
    }

    private void authorizationViolation() {
        close(CloseReason.AUTHENTICATION_FAILURE, "Authorization Violation");
    }

    private void onAuthTimeout() {
        if (!security.authenticated() && !closed) {
            close(CloseReason.AUTHENTICATION_TIMEOUT, "Authentication Timeout");
        }
    }

    /**
     * After a configuration reload: checks this client's credentials again (closing it when they
     * no longer pass), applies its new permissions, and drops subscriptions it may no longer
     * have. Any thread; the work runs on the connection's loop.
     */
    void reauthorize() {
        channel.execute(() -> {
            if (closed || !security.authenticated()) {
                return;
            }
            if (!security.reauthorize()) {
                authorizationViolation();
                return;
            }
            PermissionChecker checker = security.permissions();
            if (checker == null) {
                security.deliveryFilter = false;
                return;
            }
            boolean filter = false;
            for (Subscription subscription : new ArrayList<>(subscriptions.values())) {
                if (!checker.canSubscribe(subscription.subject(), subscription.queue())) {
                    removeSubscription(subscription);
                    // nats-server 2.9.10's text after a reload: the sid, not the queue group.
                    sendError("Permissions Violation for Subscription to \"" + subscription.subject() + "\" (sid \""
                            + subscription.sid() + "\")");
                } else {
                    filter |= checker.needsDeliveryFilter(subscription.subject());
                }
            }
            security.deliveryFilter = filter;
            flush();
        });
    }

    @Override
    public void onPub(PublishedMessage message) {
        if (!security.authenticated()) {
            authorizationViolation();
            return;
        }
        publish(message);
    }

    @Override
    public void onHpub(PublishedMessage message) {
        if (!security.authenticated()) {
            authorizationViolation();
            return;
        }
        if (!headers) {
            // nats-server logs "message headers not supported" and closes without -ERR.
            close(CloseReason.PROTOCOL_VIOLATION, null);
            return;
        }
        publish(message);
    }

    private void publish(PublishedMessage message) {
        LoopContext loop = this.loop;
        ByteBuffer args = message.arguments();
        int subjectOffset = message.subjectOffset();
        int replyLength = message.replyLength();
        SubjectMatch subjectMatch = loop.matchCache.match(args, subjectOffset, message.subjectLength());
        if (pedantic && !subjectMatch.literal()) {
            // nats-server reports this and goes on: to the permission check, then to delivery.
            sendError("Invalid Publish Subject");
        }
        PermissionChecker checker = security.permissions();
        if (checker != null && !mayPublish(checker, subjectMatch)) {
            String subject = subjectMatch.subject();
            if (!security.useReplyGrant(subject)) {
                sendError("Permissions Violation for Publish to \"" + subject + "\"");
                return;
            }
        }
        MatchResult match = subjectMatch.result();
        countIn(message.totalLength());
        if (verbose) {
            sendOk();
        }
        boolean answered = replyLength > 0 && args.get(subjectOffset) == '$' && serverRequest(message);
        int delivered = match.isEmpty() ? 0 : MessageRouter.route(loop, this, match, message);
        if (delivered == 0 && !answered && replyLength > 0 && noResponders) {
            sendNoResponders(args, message.replyOffset(), replyLength);
        }
    }

    /**
     * Whether this client's permissions let it publish to the subject (reply grants aside): the
     * verdict kept beside the subject's match when this checker gave it last, so a publish builds no
     * string; the checker's own cache (by the subject's text, made once per cached subject) otherwise.
     */
    private static boolean mayPublish(PermissionChecker checker, SubjectMatch subject) {
        Boolean kept = subject.verdictOf(checker);
        if (kept != null) {
            return kept;
        }
        boolean allowed = checker.canPublish(subject.subject());
        subject.keepVerdict(checker, allowed);
        return allowed;
    }

    /** Hands a {@code $SYS.REQ.SERVER} request to the system events; whether this server answered it. */
    private boolean serverRequest(PublishedMessage message) {
        SystemEvents events = server.systemEvents();
        if (!events.enabled()) {
            return false;
        }
        ByteBuffer args = message.arguments();
        String subject = string(args, message.subjectOffset(), message.subjectLength());
        if (!subject.startsWith(SystemEvents.REQUEST_PREFIX)) {
            return false;
        }
        int headerLength = message.headerLength();
        byte[] body = new byte[message.totalLength() - headerLength];
        message.payload().get(message.payloadOffset() + headerLength, body);
        return events.request(subject, string(args, message.replyOffset(), message.replyLength()), body);
    }

    /** Answers a request nobody can answer with a 503 status to the requester's own subscription. */
    private void sendNoResponders(ByteBuffer args, int replyOffset, int replyLength) {
        // Through the loop's cache, but an inbox seen once is not kept in it.
        MatchResult match = loop.matchCache.matchOnce(args, replyOffset, replyLength).result();
        Subscription target = null;
        for (Subscription subscription : match.plain()) {
            if (subscription.owner() == this) {
                target = subscription;
                break;
            }
        }
        if (target == null) {
            for (Subscription[] group : match.queues()) {
                for (Subscription subscription : group) {
                    if (subscription.owner() == this) {
                        target = subscription;
                        break;
                    }
                }
            }
        }
        if (target != null) {
            int length = NO_RESPONDERS.remaining();
            deliver(this, target, new PublishedMessage().set(args, replyOffset, replyLength, 0, 0, NO_RESPONDERS, 0,
                    length, length));
        }
    }

    @Override
    public void onSub(ByteBuffer args, int subjectOffset, int subjectLength, int queueOffset, int queueLength,
                      int sidOffset, int sidLength) {
        if (!security.authenticated()) {
            authorizationViolation();
            return;
        }
        String subject = string(args, subjectOffset, subjectLength);
        String queue = queueLength == 0 ? null : string(args, queueOffset, queueLength);
        String sid = string(args, sidOffset, sidLength);
        PermissionChecker checker = security.permissions();
        if (checker != null && !checker.canSubscribe(subject, queue)) {
            // nats-server checks permissions before the subject's syntax.
            sendError(ClientSecurity.subscriptionViolation(subject, queue));
            return;
        }
        if (!Subjects.isValidSubscribeSubject(subject) || (queue != null && !Subjects.isValidQueueName(queue))) {
            sendError("Invalid Subject");
            return;
        }
        int max = server.options.maxSubscriptions();
        if (max > 0 && subscriptions.size() >= max) {
            sendError("maximum subscriptions exceeded");
            return;
        }
        if (!subscriptions.containsKey(sid)) {
            Subscription subscription = new Subscription(this, subject, queue, sid);
            subscriptions.put(sid, subscription);
            server.interest.addLocal(subscription);
            if (checker != null && checker.needsDeliveryFilter(subject)) {
                security.deliveryFilter = true;
            }
        }
        sendOk();
    }

    @Override
    public void onUnsub(ByteBuffer args, int sidOffset, int sidLength, long max) {
        if (!security.authenticated()) {
            authorizationViolation();
            return;
        }
        Subscription subscription = subscriptions.get(string(args, sidOffset, sidLength));
        if (subscription != null) {
            boolean keep;
            if (locking) {
                synchronized (this) {
                    keep = limit(subscription, max);
                }
            } else {
                keep = limit(subscription, max);
            }
            if (!keep) {
                removeSubscription(subscription);
                sendOk();
                if (trace != null) {
                    trace.removed(subscription.sid());
                }
                return;
            }
        }
        sendOk();
    }

    /** Sets an auto-unsubscribe limit; false when the subscription has already had that many. */
    private static boolean limit(Subscription subscription, long max) {
        if (max > 0 && subscription.delivered < max) {
            subscription.max = max;
            return true;
        }
        return false;
    }

    private void removeSubscription(Subscription subscription) {
        if (subscriptions.remove(subscription.sid(), subscription)) {
            subscription.markRemoved();
            server.interest.removeLocal(subscription);
        }
    }

    @Override
    public void onPing() {
        if (!security.authenticated()) {
            authorizationViolation();
            return;
        }
        peerPinged();
    }

    @Override
    public void onPong() {
        if (!security.authenticated()) {
            authorizationViolation();
            return;
        }
        ponged();
    }

    @Override
    public void onOk() {
        // Clients may acknowledge; nothing to do.
    }

    @Override
    public void onErr(ByteBuffer buffer, int offset, int length) {
        if (!security.authenticated()) {
            authorizationViolation();
            return;
        }
        // nats-server closes a client that sends -ERR, recording a parse error.
        close(CloseReason.PARSE_ERROR, null);
    }

    @Override
    public void onInfo(ByteBuffer buffer, int offset, int length) {
        // Clients have nothing to tell the server with INFO; nats-server ignores it.
    }

    private void protocolError(ProtocolException e) {
        System.getLogger(ClientConnection.class.getName()).log(System.Logger.Level.DEBUG,
                "{0} - protocol error: {1}", describe(), e.getMessage());
        switch (e.kind()) {
            case UNKNOWN_OPERATION -> close(CloseReason.PROTOCOL_VIOLATION, "Unknown Protocol Operation");
            case MAX_CONTROL_LINE -> close(CloseReason.MAX_CONTROL_LINE_EXCEEDED, "maximum control line exceeded");
            case MAX_PAYLOAD -> close(CloseReason.MAX_PAYLOAD_EXCEEDED, "Maximum Payload Violation");
            case BAD_ARGUMENTS -> close(CloseReason.PROTOCOL_VIOLATION, null);
            default -> close(CloseReason.PROTOCOL_VIOLATION, null);
        }
    }

    // ---------------------------------------------------------------- delivery (message path)

    /**
     * Queues one message for this connection: MSG (or HMSG for a client that declared headers;
     * the header block is stripped for one that did not). Returns whether it was queued. Called
     * on the publisher's event loop.
     */
    @Override
    protected boolean deliver(Connection producer, Subscription subscription, PublishedMessage message) {
        if (locking) {
            synchronized (this) {
                return deliverLocked(producer, subscription, message);
            }
        }
        return deliverLocked(producer, subscription, message);
    }

    /** Caller holds this connection's lock when there is more than one event loop. */
    private boolean deliverLocked(Connection producer, Subscription subscription, PublishedMessage message) {
        if (closed) {
            return false;
        }
        long max = subscription.max;
        if (max > 0 && subscription.delivered >= max) {
            return false;
        }
        ClientSecurity security = this.security;
        if (security.deliveryFilter || security.permissions() != null) {
            PermissionChecker checker = security.permissions();
            if (checker != null) {
                if (security.deliveryFilter && checker.deniesDelivery(
                        string(message.arguments(), message.subjectOffset(), message.subjectLength()))) {
                    return false;
                }
                ResponsePermission responses = checker.responses();
                if (responses != null && message.replyLength() > 0) {
                    security.grantReply(message.arguments(), message.replyOffset(), message.replyLength(), responses);
                }
            }
        }
        subscription.delivered++;
        int headerLength = message.headerLength();
        boolean asHeaders = headerLength > 0 && headers;
        int skip = asHeaders ? 0 : headerLength;
        int size = message.totalLength() - skip;
        ProtocolWriter.message(out, asHeaders, message, subscription.sidField(), skip, size);
        if (trace != null) {
            trace.sentMessage(asHeaders, message.arguments(), message.subjectOffset(), message.subjectLength(),
                    subscription.sid(), message.replyOffset(), message.replyLength(), headerLength, size);
        }
        outMsgs++;
        outBytes += size;
        if (max > 0 && subscription.delivered >= max) {
            autoUnsubscribe(subscription);
        }
        queued(producer);
        return true;
    }

    /** Queues a message the server itself publishes (a {@code $SYS} advisory); the work runs on this connection's loop. */
    void deliverSystem(Subscription subscription, ByteBuffer subject, ByteBuffer payload) {
        channel.execute(() -> {
            int length = payload.remaining();
            if (deliver(this, subscription, new PublishedMessage().set(subject, 0, subject.remaining(), 0, 0, payload, 0,
                    0, length))) {
                loop.outMsgs++;
                loop.outBytes += length;
            }
            flush();
        });
    }

    private void autoUnsubscribe(Subscription subscription) {
        subscription.markRemoved();
        if (channel.inEventLoop()) {
            removeSubscription(subscription);
        } else {
            channel.execute(() -> removeSubscription(subscription));
        }
    }

    // ---------------------------------------------------------------- replies

    private void sendOk() {
        if (verbose) {
            queue(ProtocolWriter.OK);
        }
    }

    private void sendError(String text) {
        queue(ProtocolWriter.errorLine(text));
    }

    /**
     * Sends an INFO with {@code "ldm":true} (lame duck mode) to a client that takes asynchronous
     * INFO (CONNECT {@code "protocol":1}), as nats-server does; any thread.
     */
    void announceLameDuck() {
        channel.execute(() -> {
            if (!closed && connectInfo.protocol() >= 1) {
                queue(server.infoFor(id(), channel.remoteHost(), null, true));
                flush();
            }
        });
    }

    /** Sends the current INFO to a client that takes asynchronous INFO (the cluster changed); any thread. */
    void announceInfo() {
        channel.execute(() -> {
            if (!closed && connectInfo.protocol() >= 1) {
                queue(server.infoFor(id(), channel.remoteHost(), null, false));
                flush();
            }
        });
    }

    // ---------------------------------------------------------------- monitoring

    public String name() {
        return connectInfo.name();
    }

    public String lang() {
        return connectInfo.lang();
    }

    public String clientVersion() {
        return connectInfo.version();
    }

    /** The authenticated user (name or NKey), or {@code null}. */
    public String authorizedUser() {
        return security.authorizedUser();
    }

    /** The subscriptions as of now; any thread (the map is concurrent, so a copy never fails). */
    public Collection<Subscription> subscriptionsSnapshot() {
        return new ArrayList<>(subscriptions.values());
    }

    /**
     * What monitoring shows of this open connection now; any thread. Counters written by the
     * event loops are read without a lock and may be slightly old.
     */
    public ConnectionSnapshot snapshot(boolean withSubscriptions) {
        return snapshot(withSubscriptions, null, "");
    }

    private ConnectionSnapshot snapshot(boolean withSubscriptions, Instant stop, String reason) {
        // One pass over the concurrent map: the count always equals the list given with it.
        List<SubDetail> details = List.of();
        int count = subscriptions.size();
        if (withSubscriptions) {
            details = new ArrayList<>(count + 4);
            for (Subscription subscription : subscriptions.values()) {
                details.add(detail(subscription));
            }
            count = details.size();
        }
        ConnectInfo info = connectInfo;
        TlsSession tls = channel.tlsSession();
        String authorizedUser = security.authorizedUser();
        String authorized = info.identity();
        if (authorized.isEmpty() || (authorized.equals(ConnectInfo.REDACTED) && authorizedUser != null)) {
            authorized = authorizedUser == null ? authorized : authorizedUser;
        }
        return new ConnectionSnapshot(id(), channel.remoteHost(), channel.remotePort(), startTime(), lastActivity(),
                roundTripNanos(), pendingBytes(), inMsgs, outMsgs, inBytes, outBytes, count, details,
                info.name(), info.lang(), info.version(), info.user(), authorized, GLOBAL_ACCOUNT,
                tls == null ? "" : GoTlsNames.version(tls.protocol()), tls == null ? "" : GoTlsNames.cipherSuite(tls.cipherSuite()),
                stop, reason);
    }

    /** A subscription as monitoring lists it (account left empty). */
    public static SubDetail detail(Subscription subscription) {
        return new SubDetail(null, subscription.subject(), subscription.queue(), subscription.sid(),
                subscription.delivered, subscription.max, subscription.owner().id());
    }

    private static String string(ByteBuffer buffer, int offset, int length) {
        byte[] bytes = new byte[length];
        buffer.get(offset, bytes, 0, length);
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }
}
