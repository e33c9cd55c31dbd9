package io.natsee.broker.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.natsee.broker.auth.Authenticator;
import io.natsee.broker.auth.PermissionChecker;
import io.natsee.broker.auth.Permissions;
import io.natsee.broker.auth.ResponsePermission;
import io.natsee.broker.monitor.ConnectionSnapshot;
import io.natsee.broker.monitor.SubDetail;
import io.natsee.broker.protocol.ProtocolException;
import io.natsee.broker.protocol.ProtocolHandler;
import io.natsee.broker.protocol.ProtocolParser;
import io.natsee.broker.subject.MatchResult;
import io.natsee.broker.subject.Subjects;
import io.natsee.broker.subject.Subscriber;
import io.natsee.broker.subject.Subscription;
import io.natsee.broker.transport.ChannelListener;
import io.natsee.broker.transport.TransportChannel;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Base64;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * One client connection: it parses what the client sends, keeps its subscriptions, publishes
 * through the {@link MessageRouter}, and queues what is delivered to it in its
 * {@link OutboundBuffer}, flushed once per read of the publishing connection.
 *
 * <p>Threads: everything runs on the connection's event loop except {@link #deliver}, which the
 * publishing connection's loop calls. With one event loop that is the same thread; with several,
 * deliveries and flushes synchronize on this connection (see docs/LOCKING.md).
 */
public final class ClientConnection implements ChannelListener, ProtocolHandler, Subscriber {

    /** The account every client belongs to while accounts are not configurable. */
    private static final String GLOBAL_ACCOUNT = "$G";
    /** What monitoring shows in place of a token. */
    private static final String REDACTED = "[REDACTED]";
    private static final byte[] MSG = ascii("MSG ");
    private static final byte[] HMSG = ascii("HMSG ");
    private static final byte[] CRLF = ascii("\r\n");
    private static final byte[] PONG = ascii("PONG\r\n");
    private static final byte[] PING = ascii("PING\r\n");
    private static final byte[] OK = ascii("+OK\r\n");
    private static final ByteBuffer NO_RESPONDERS = ByteBuffer.wrap(ascii("NATS/1.0 503\r\n\r\n")).asReadOnlyBuffer();
    /** The first ping measures the round trip: it comes at most this soon after connecting. */
    private static final long FIRST_PING_NANOS = TimeUnit.SECONDS.toNanos(2);
    /** A stalled producer reads again after this long even if its consumer did not drain. */
    private static final long STALL_MAX_MILLIS = 1000;

    private final ServerContext server;
    private final TransportChannel channel;
    private final LoopContext loop;
    private final long id;
    private final boolean locking;
    private final ProtocolParser parser;
    private final OutboundBuffer out = new OutboundBuffer();
    /** Changed on this connection's loop only; concurrent so that monitoring can read it from any thread. */
    private final Map<String, Subscription> subscriptions = new ConcurrentHashMap<>();
    private final Instant start;
    /** {@link System#nanoTime()} at {@link #start}, to turn activity times into instants. */
    private final long startNanos;
    private final long maxPending;

    // Client options from CONNECT; the defaults are nats-server's for a client that sent none.
    boolean echo = true;
    private boolean verbose = true;
    private boolean pedantic = true;
    private boolean headers;
    private boolean noResponders;
    private int protocol;
    private String name = "";
    private String lang = "";
    private String version = "";
    /** The user name sent in CONNECT, for monitoring's user filter (never the password). */
    private volatile String connectUser = "";
    /** Who CONNECT says the client is, as monitoring shows it: NKey, else user, else a hidden token. */
    private volatile String connectIdentity = "";

    private volatile boolean closed;
    private volatile boolean announced;
    private volatile CloseReason closeReason;
    private boolean touched;
    private volatile boolean flushScheduled;

    long inMsgs;
    long inBytes;
    long outMsgs;
    long outBytes;

    private int pingsOutstanding;
    private boolean firstPingSent;
    private long outMsgsAtLastPingTick;
    private long lastActivityNanos;
    private long lastClientPingNanos;
    private long pingSentNanos;
    private long rttNanos;
    private TransportChannel.Cancellable pingTimer;
    private long blockedSinceNanos;
    private TransportChannel.Cancellable writeDeadlineTimer;
    private boolean stallRequested;
    private final List<ClientConnection> stalledProducers = new ArrayList<>(0);
    private boolean stalled;
    private TransportChannel.Cancellable stallTimer;

    // Authentication and permissions; see docs/LOCKING.md for which thread touches what.
    private boolean authenticated;
    private String nonce;
    private Authenticator.Credentials credentials;
    private volatile String authorizedUser;
    private volatile PermissionChecker permissions;
    /** Whether some wildcard subscription needs messages checked against the subscribe deny list. */
    private volatile boolean deliveryFilter;
    /** Reply subjects this client may answer (allow_responses): subject to uses left and deadline. */
    private final Map<String, long[]> replyGrants = new ConcurrentHashMap<>();
    private TransportChannel.Cancellable authTimer;

    ClientConnection(ServerContext server, TransportChannel channel, LoopContext loop, long id, boolean locking) {
        this.server = server;
        this.channel = channel;
        this.loop = loop;
        this.id = id;
        this.locking = locking;
        this.parser = new ProtocolParser(this, server.options.maxControlLine(), server.options.maxPayload());
        this.start = server.clock.instant();
        this.maxPending = server.options.maxPending();
        this.lastActivityNanos = System.nanoTime();
        this.startNanos = lastActivityNanos;
    }

    /** Sends INFO and starts the keep-alive timer. Called on the connection's loop. */
    void start() {
        Authenticator authenticator = server.authenticator();
        authenticated = !authenticator.required();
        if (authenticator.usesNonce()) {
            byte[] random = new byte[11];
            ThreadLocalRandom.current().nextBytes(random);
            nonce = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        }
        out.append(server.infoFor(id, channel.remoteHost(), nonce));
        flush();
        if (!authenticated) {
            long timeout = server.authTimeout().toNanos();
            authTimer = channel.schedule(this::onAuthTimeout, timeout, TimeUnit.NANOSECONDS);
        }
        if (server.options.tls() != null) {
            channel.startTls();
        }
        long interval = server.options.pingInterval().toNanos();
        long first = Math.min(interval, FIRST_PING_NANOS);
        first += ThreadLocalRandom.current().nextLong(Math.max(1, first / 5));
        pingTimer = channel.schedule(this::onPingTimer, first, TimeUnit.NANOSECONDS);
    }

    /** Sends INFO and an error (if any), then closes: for connections over a limit. */
    void refuse(String error, CloseReason reason) {
        closed = true;
        closeReason = reason;
        parser.stop();
        out.append(server.infoFor(id, channel.remoteHost(), null));
        if (error != null) {
            out.append(errorLine(error));
        }
        flush();
        channel.closeAfterFlush();
    }

    @Override
    public long id() {
        return id;
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    // ---------------------------------------------------------------- transport events

    @Override
    public void onRead(ByteBuffer bytes) {
        if (closed) {
            return;
        }
        lastActivityNanos = System.nanoTime();
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
    public void onReadComplete() {
        loop.flushTouched();
        if (stallRequested) {
            stallRequested = false;
            stall();
        }
    }

    @Override
    public void onWritabilityChanged(boolean writable) {
        if (writable) {
            blockedSinceNanos = 0;
            resumeStalledProducers();
        }
    }

    @Override
    public void onTlsHandshake(Throwable failure) {
        if (failure != null) {
            close(CloseReason.TLS_HANDSHAKE_ERROR, null);
        }
    }

    @Override
    public void onClosed() {
        if (!closed) {
            closed = true;
            closeReason = CloseReason.CLIENT_CLOSED;
        }
        parser.stop();
        cancelTimers();
        ConnectionSnapshot last = snapshot(true, server.clock.instant(), closeReason.text());
        for (Subscription subscription : subscriptions.values()) {
            subscription.markRemoved();
            server.trie.remove(subscription);
        }
        subscriptions.clear();
        server.registry().closed(this, last);
        resumeStalledProducers();
        if (stalled) {
            stalled = false;
        }
        ServerContext.logClose(this, closeReason);
    }

    // ---------------------------------------------------------------- protocol operations

    @Override
    public boolean beginOperation(byte firstByte) {
        if (authenticated || firstByte == 'C' || firstByte == 'c') {
            return true;
        }
        authorizationViolation();
        return false;
    }

    @Override
    public void onConnect(ByteBuffer buffer, int offset, int length) {
        byte[] bytes = new byte[length];
        buffer.get(offset, bytes, 0, length);
        JsonNode connect;
        try {
            connect = server.json.readTree(bytes);
        } catch (IOException e) {
            connect = null;
        }
        if (connect == null || !connect.isObject()) {
            close(CloseReason.PROTOCOL_VIOLATION, null);
            return;
        }
        verbose = connect.path("verbose").asBoolean(true);
        pedantic = connect.path("pedantic").asBoolean(true);
        echo = connect.path("echo").asBoolean(true);
        headers = connect.path("headers").asBoolean(false);
        noResponders = connect.path("no_responders").asBoolean(false);
        protocol = connect.path("protocol").asInt(0);
        name = connect.path("name").asText("");
        lang = connect.path("lang").asText("");
        version = connect.path("version").asText("");
        connectUser = connect.path("user").asText("");
        connectIdentity = monitoredIdentity(connect);
        if (protocol < 0 || protocol > 1) {
            close(CloseReason.BAD_CLIENT_PROTOCOL_VERSION, "invalid client protocol");
            return;
        }
        if (noResponders && !headers) {
            close(CloseReason.PROTOCOL_VIOLATION, "no responders requires headers support");
            return;
        }
        if (!authorize(connect)) {
            return;
        }
        sendOk();
        if (!announced) {
            announced = true;
            server.registry().authenticated(this);
        }
    }

    /** Whether this client completed a CONNECT (the connect advisory went out for it). */
    boolean authenticatedOnce() {
        return announced;
    }

    /** Checks the CONNECT's credentials when authentication is required; closes the client if they fail. */
    private boolean authorize(JsonNode connect) {
        Authenticator authenticator = server.authenticator();
        if (!authenticator.required()) {
            authenticated = true;
            return true;
        }
        if (connect.hasNonNull("account") || connect.hasNonNull("new_account")) {
            authorizationViolation();
            return false;
        }
        credentials = new Authenticator.Credentials(text(connect, "user"), text(connect, "pass"),
                text(connect, "auth_token"), text(connect, "nkey"), text(connect, "sig"));
        Authenticator.Result result = authenticate(authenticator);
        if (result == null) {
            authorizationViolation();
            return false;
        }
        authenticated = true;
        if (authTimer != null) {
            authTimer.cancel();
            authTimer = null;
        }
        authorizedUser = result.user();
        applyPermissions(result.permissions());
        return true;
    }

    /** With TLS verify_and_map the client certificate names the user; otherwise the CONNECT's credentials do. */
    private Authenticator.Result authenticate(Authenticator authenticator) {
        if (server.options.tls() != null && server.options.tls().verifyAndMap()) {
            List<java.security.cert.X509Certificate> chain = channel.peerCertificates();
            return authenticator.authenticateByCertificate(chain.isEmpty() ? null : chain.get(0), credentials, nonce);
        }
        return authenticator.authenticate(credentials, nonce);
    }

    private static String text(JsonNode connect, String field) {
        JsonNode value = connect.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private void applyPermissions(Permissions granted) {
        permissions = PermissionChecker.unrestricted(granted) ? null : new PermissionChecker(granted);
        if (permissions == null || permissions.responses() == null) {
            replyGrants.clear();
        }
    }

    private void authorizationViolation() {
        close(CloseReason.AUTHENTICATION_FAILURE, "Authorization Violation");
    }

    private void onAuthTimeout() {
        authTimer = null;
        if (!authenticated && !closed) {
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
            if (closed || !authenticated) {
                return;
            }
            Authenticator authenticator = server.authenticator();
            if (!authenticator.required()) {
                applyPermissions(Permissions.ALL);
                return;
            }
            Authenticator.Result result = credentials == null ? null : authenticate(authenticator);
            if (result == null) {
                authorizationViolation();
                return;
            }
            authorizedUser = result.user();
            applyPermissions(result.permissions());
            PermissionChecker checker = permissions;
            if (checker == null) {
                deliveryFilter = false;
                return;
            }
            boolean filter = false;
            for (Subscription subscription : new ArrayList<>(subscriptions.values())) {
                if (!checker.canSubscribe(subscription.subject(), subscription.queue())) {
                    removeSubscription(subscription);
                    sendError(subscriptionViolation(subscription.subject(), subscription.queue()));
                } else {
                    filter |= checker.needsDeliveryFilter(subscription.subject());
                }
            }
            deliveryFilter = filter;
            flush();
        });
    }

    @Override
    public void onPub(ByteBuffer args, int subjectOffset, int subjectLength, int replyOffset, int replyLength,
                      ByteBuffer payload, int payloadOffset, int payloadLength) {
        if (!authenticated) {
            authorizationViolation();
            return;
        }
        publish(args, subjectOffset, subjectLength, replyOffset, replyLength, payload, payloadOffset, 0, payloadLength);
    }

    @Override
    public void onHpub(ByteBuffer args, int subjectOffset, int subjectLength, int replyOffset, int replyLength,
                       ByteBuffer message, int messageOffset, int headerLength, int totalLength) {
        if (!authenticated) {
            authorizationViolation();
            return;
        }
        if (!headers) {
            // nats-server logs "message headers not supported" and closes without -ERR.
            close(CloseReason.PROTOCOL_VIOLATION, null);
            return;
        }
        publish(args, subjectOffset, subjectLength, replyOffset, replyLength, message, messageOffset, headerLength, totalLength);
    }

    private void publish(ByteBuffer args, int subjectOffset, int subjectLength, int replyOffset, int replyLength,
                         ByteBuffer payload, int payloadOffset, int headerLength, int totalLength) {
        LoopContext loop = this.loop;
        MatchResult match = loop.matchCache.match(args, subjectOffset, subjectLength);
        if (pedantic && !loop.matchCache.lastWasLiteral()) {
            // nats-server reports this and goes on: to the permission check, then to delivery.
            sendError("Invalid Publish Subject");
        }
        PermissionChecker checker = permissions;
        if (checker != null) {
            String subject = string(args, subjectOffset, subjectLength);
            if (!checker.canPublish(subject) && !useReplyGrant(subject)) {
                sendError("Permissions Violation for Publish to \"" + subject + "\"");
                return;
            }
        }
        inMsgs++;
        inBytes += totalLength;
        loop.inMsgs++;
        loop.inBytes += totalLength;
        if (verbose) {
            sendOk();
        }
        MessageRouter.Sizes sizes = loop.sizes;
        sizes.sizeOffset = parser.sizeFieldOffset();
        sizes.sizeLength = parser.sizeFieldLength();
        sizes.headerSizeOffset = parser.headerSizeFieldOffset();
        sizes.headerSizeLength = parser.headerSizeFieldLength();
        int delivered = match.isEmpty() ? 0 : MessageRouter.route(loop, this, match, args, subjectOffset, subjectLength,
                replyOffset, replyLength, payload, payloadOffset, headerLength, totalLength, sizes);
        if (delivered == 0 && replyLength > 0 && noResponders) {
            sendNoResponders(args, replyOffset, replyLength);
        }
    }

    /** Answers a request nobody can answer with a 503 status to the requester's own subscription. */
    private void sendNoResponders(ByteBuffer args, int replyOffset, int replyLength) {
        String reply = string(args, replyOffset, replyLength);
        MatchResult match = server.trie.match(reply);
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
            deliver(this, target, args, replyOffset, replyLength, 0, 0, NO_RESPONDERS, 0, length, length,
                    MessageRouter.Sizes.COMPUTED);
        }
    }

    @Override
    public void onSub(ByteBuffer args, int subjectOffset, int subjectLength, int queueOffset, int queueLength,
                      int sidOffset, int sidLength) {
        if (!authenticated) {
            authorizationViolation();
            return;
        }
        String subject = string(args, subjectOffset, subjectLength);
        String queue = queueLength == 0 ? null : string(args, queueOffset, queueLength);
        String sid = string(args, sidOffset, sidLength);
        PermissionChecker checker = permissions;
        if (checker != null && !checker.canSubscribe(subject, queue)) {
            // nats-server checks permissions before the subject's syntax.
            sendError(subscriptionViolation(subject, queue));
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
            server.trie.insert(subscription);
            if (checker != null && checker.needsDeliveryFilter(subject)) {
                deliveryFilter = true;
            }
        }
        sendOk();
    }

    @Override
    public void onUnsub(ByteBuffer args, int sidOffset, int sidLength, long max) {
        if (!authenticated) {
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

    private static String subscriptionViolation(String subject, String queue) {
        return "Permissions Violation for Subscription to \"" + subject + "\""
                + (queue == null ? "" : " using queue \"" + queue + "\"");
    }

    /** Uses up one reply permission granted by allow_responses, if this subject has one left. */
    private boolean useReplyGrant(String subject) {
        long[] grant = replyGrants.get(subject);
        if (grant == null) {
            return false;
        }
        synchronized (grant) {
            if (System.nanoTime() - grant[1] > 0) {
                replyGrants.remove(subject, grant);
                return false;
            }
            if (--grant[0] <= 0) {
                replyGrants.remove(subject, grant);
            }
        }
        return true;
    }

    /** Remembers that this client may answer the request it is being sent (allow_responses). */
    private void grantReply(ByteBuffer args, int replyOffset, int replyLength, ResponsePermission responses) {
        long deadline = System.nanoTime() + responses.effectiveExpires().toNanos();
        replyGrants.put(string(args, replyOffset, replyLength), new long[] {responses.effectiveMax(), deadline});
    }

    private void removeSubscription(Subscription subscription) {
        if (subscriptions.remove(subscription.sid(), subscription)) {
            subscription.markRemoved();
            server.trie.remove(subscription);
        }
    }

    @Override
    public void onPing() {
        if (!authenticated) {
            authorizationViolation();
            return;
        }
        lastClientPingNanos = System.nanoTime();
        queue(PONG);
    }

    @Override
    public void onPong() {
        if (!authenticated) {
            authorizationViolation();
            return;
        }
        pingsOutstanding = 0;
        if (pingSentNanos != 0) {
            rttNanos = System.nanoTime() - pingSentNanos;
            pingSentNanos = 0;
        }
    }

    @Override
    public void onOk() {
        // Clients may acknowledge; nothing to do.
    }

    @Override
    public void onErr(ByteBuffer buffer, int offset, int length) {
        if (!authenticated) {
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
    boolean deliver(ClientConnection producer, Subscription subscription, ByteBuffer args, int subjectOffset, int subjectLength,
                    int replyOffset, int replyLength, ByteBuffer payload, int payloadOffset,
                    int headerLength, int totalLength, MessageRouter.Sizes sizes) {
        if (locking) {
            synchronized (this) {
                return deliverLocked(producer, subscription, args, subjectOffset, subjectLength, replyOffset, replyLength,
                        payload, payloadOffset, headerLength, totalLength, sizes);
            }
        }
        return deliverLocked(producer, subscription, args, subjectOffset, subjectLength, replyOffset, replyLength,
                payload, payloadOffset, headerLength, totalLength, sizes);
    }

    /** Caller holds this connection's lock when there is more than one event loop. */
    private boolean deliverLocked(ClientConnection producer, Subscription subscription, ByteBuffer args, int subjectOffset, int subjectLength,
                                  int replyOffset, int replyLength, ByteBuffer payload, int payloadOffset,
                                  int headerLength, int totalLength, MessageRouter.Sizes sizes) {
        if (closed) {
            return false;
        }
        long max = subscription.max;
        if (max > 0 && subscription.delivered >= max) {
            return false;
        }
        if (deliveryFilter || permissions != null) {
            PermissionChecker checker = permissions;
            if (checker != null) {
                if (deliveryFilter && checker.deniesDelivery(string(args, subjectOffset, subjectLength))) {
                    return false;
                }
                ResponsePermission responses = checker.responses();
                if (responses != null && replyLength > 0) {
                    grantReply(args, replyOffset, replyLength, responses);
                }
            }
        }
        subscription.delivered++;
        boolean asHeaders = headerLength > 0 && headers;
        int skip = asHeaders ? 0 : headerLength;
        int size = totalLength - skip;
        byte[] sidField = subscription.sidField();
        OutboundBuffer out = this.out;
        out.reserve(5 + subjectLength + sidField.length + replyLength + 1 + 24 + size + 2);
        out.put(asHeaders ? HMSG : MSG);
        out.put(args, subjectOffset, subjectLength);
        out.put(sidField);
        if (replyLength > 0) {
            out.put(args, replyOffset, replyLength);
            out.put((byte) ' ');
        }
        // The sizes as the client wrote them, as nats-server copies them; computed when stripped.
        if (asHeaders) {
            if (sizes.headerSizeLength > 0) {
                out.put(args, sizes.headerSizeOffset, sizes.headerSizeLength);
            } else {
                out.putDecimal(headerLength);
            }
            out.put((byte) ' ');
        }
        if (skip == 0 && sizes.sizeLength > 0) {
            out.put(args, sizes.sizeOffset, sizes.sizeLength);
        } else {
            out.putDecimal(size);
        }
        out.put(CRLF);
        out.put(payload, payloadOffset + skip, size);
        out.put(CRLF);
        outMsgs++;
        outBytes += size;
        if (max > 0 && subscription.delivered >= max) {
            autoUnsubscribe(subscription);
        }
        long pending = out.length() + channel.pendingBytes();
        if (pending > maxPending) {
            slowConsumer();
            return true;
        }
        scheduleFlush();
        if (pending > maxPending / 2) {
            requestStall(producer);
        }
        if (out.full() && channel.inEventLoop()) {
            flushLocked();
        }
        return true;
    }

    /** Queues a message the server itself publishes (a {@code $SYS} advisory); the work runs on this connection's loop. */
    void deliverSystem(Subscription subscription, ByteBuffer subject, ByteBuffer payload) {
        channel.execute(() -> {
            int length = payload.remaining();
            if (deliver(null, subscription, subject, 0, subject.remaining(), 0, 0, payload, 0, 0, length,
                    MessageRouter.Sizes.COMPUTED)) {
                loop.outMsgs++;
                loop.outBytes += length;
            }
            flush();
        });
    }

    /** Asks the producer (on whose loop this runs) to stop reading until this consumer drains. */
    private void requestStall(ClientConnection producer) {
        if (producer != null && producer != this) {
            producer.stallRequested = true;
            synchronized (stalledProducers) {
                if (!stalledProducers.contains(producer)) {
                    stalledProducers.add(producer);
                }
            }
        }
    }

    private void autoUnsubscribe(Subscription subscription) {
        subscription.markRemoved();
        if (channel.inEventLoop()) {
            removeSubscription(subscription);
        } else {
            channel.execute(() -> removeSubscription(subscription));
        }
    }

    /** Arranges a flush: at the end of the current read on this loop, or as a task on this connection's loop. */
    private void scheduleFlush() {
        if (channel.inEventLoop()) {
            if (!touched) {
                touched = true;
                loop.touch(this);
            }
        } else if (!flushScheduled) {
            flushScheduled = true;
            channel.execute(this::flushFromTask);
        }
    }

    void flushFromLoop() {
        touched = false;
        flush();
    }

    private void flushFromTask() {
        flushScheduled = false;
        flush();
    }

    /** Hands the queued bytes to the transport. On this connection's loop. */
    void flush() {
        if (locking) {
            synchronized (this) {
                flushLocked();
            }
        } else {
            flushLocked();
        }
    }

    private void flushLocked() {
        OutboundBuffer out = this.out;
        if (out.isEmpty()) {
            return;
        }
        try {
            channel.write(out.array(), 0, out.length());
        } catch (OutOfMemoryError exhausted) {
            // The transport's direct memory is used up by what clients have not read: this client
            // cannot be given more, which is what a slow consumer is. The others keep going.
            out.clear();
            closeSlowConsumer(CloseReason.SLOW_CONSUMER_PENDING_BYTES);
            return;
        }
        out.clear();
        if (!channel.isWritable() && blockedSinceNanos == 0 && !closed) {
            blockedSinceNanos = System.nanoTime();
            armWriteDeadline();
        }
    }

    private void armWriteDeadline() {
        if (writeDeadlineTimer != null) {
            writeDeadlineTimer.cancel();
        }
        long deadline = server.options.writeDeadline().toNanos();
        writeDeadlineTimer = channel.schedule(this::onWriteDeadline, deadline, TimeUnit.NANOSECONDS);
    }

    private void onWriteDeadline() {
        writeDeadlineTimer = null;
        long since = blockedSinceNanos;
        if (closed || since == 0) {
            return;
        }
        long waited = System.nanoTime() - since;
        long deadline = server.options.writeDeadline().toNanos();
        if (waited >= deadline) {
            closeSlowConsumer(CloseReason.SLOW_CONSUMER_WRITE_DEADLINE);
        } else {
            writeDeadlineTimer = channel.schedule(this::onWriteDeadline, deadline - waited, TimeUnit.NANOSECONDS);
        }
    }

    private void slowConsumer() {
        closeSlowConsumer(CloseReason.SLOW_CONSUMER_PENDING_BYTES);
    }

    /** Slow consumers are closed without -ERR, as nats-server 2.9 does, and counted. */
    private void closeSlowConsumer(CloseReason reason) {
        if (closed) {
            return;
        }
        closed = true;
        closeReason = reason;
        server.countSlowConsumer(this, reason);
        channel.closeNow();
    }

    // ---------------------------------------------------------------- producer stall

    /** Stops reading from this (producing) connection until its slow consumers drain, at most a second. */
    private void stall() {
        if (stalled || closed) {
            return;
        }
        stalled = true;
        channel.setReading(false);
        stallTimer = channel.schedule(this::resume, STALL_MAX_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void resume() {
        if (!stalled) {
            return;
        }
        stalled = false;
        if (stallTimer != null) {
            stallTimer.cancel();
            stallTimer = null;
        }
        if (!closed) {
            channel.setReading(true);
        }
    }

    private void resumeStalledProducers() {
        List<ClientConnection> producers;
        synchronized (stalledProducers) {
            if (stalledProducers.isEmpty()) {
                return;
            }
            producers = new ArrayList<>(stalledProducers);
            stalledProducers.clear();
        }
        for (ClientConnection producer : producers) {
            producer.channel.execute(producer::resume);
        }
    }

    // ---------------------------------------------------------------- keep-alive

    /**
     * Keep-alive as nats-server 2.9 does it: the first tick always pings (it measures the round
     * trip); later ticks ping only a client that was idle for a whole interval, reading nothing
     * and receiving nothing, and close it as stale when too many pings are unanswered.
     */
    private void onPingTimer() {
        pingTimer = null;
        if (closed) {
            return;
        }
        if (locking) {
            synchronized (this) {
                out.shrinkIfIdle();
            }
        } else {
            out.shrinkIfIdle();
        }
        long now = System.nanoTime();
        long interval = server.options.pingInterval().toNanos();
        long delivered = outMsgs;
        boolean received = delivered != outMsgsAtLastPingTick;
        outMsgsAtLastPingTick = delivered;
        boolean idle = now - lastActivityNanos >= interval && now - lastClientPingNanos >= interval && !received;
        if (!firstPingSent || idle) {
            firstPingSent = true;
            if (pingsOutstanding + 1 > server.options.pingMax()) {
                close(CloseReason.STALE_CONNECTION, "Stale Connection");
                return;
            }
            pingsOutstanding++;
            if (pingSentNanos == 0) {
                pingSentNanos = now;
            }
            queue(PING);
            flush();
        }
        pingTimer = channel.schedule(this::onPingTimer, interval, TimeUnit.NANOSECONDS);
    }

    // ---------------------------------------------------------------- replies and closing

    private void sendOk() {
        if (verbose) {
            queue(OK);
        }
    }

    private void sendError(String text) {
        queue(errorLine(text));
    }

    private static byte[] errorLine(String text) {
        return ("-ERR '" + text + "'\r\n").getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Queues protocol bytes for this connection from its own loop. */
    private void queue(byte[] bytes) {
        if (locking) {
            synchronized (this) {
                out.append(bytes);
            }
        } else {
            out.append(bytes);
        }
        scheduleFlush();
    }

    /**
     * Closes after sending an optional -ERR and everything queued before it. On this
     * connection's loop.
     */
    private void close(CloseReason reason, String error) {
        if (closed) {
            return;
        }
        if (error != null) {
            sendError(error);
        }
        closed = true;
        closeReason = reason;
        parser.stop();
        flush();
        channel.closeAfterFlush();
    }

    /** Closes after flushing what is queued; any thread. */
    public void closeGracefully(CloseReason reason) {
        channel.execute(() -> close(reason, null));
    }

    /**
     * Sends an INFO with {@code "ldm":true} (lame duck mode) to a client that takes asynchronous
     * INFO (CONNECT {@code "protocol":1}), as nats-server does; any thread.
     */
    void announceLameDuck() {
        channel.execute(() -> {
            if (!closed && protocol >= 1) {
                queue(server.infoFor(id, channel.remoteHost(), null, true));
                flush();
            }
        });
    }

    private void cancelTimers() {
        if (authTimer != null) {
            authTimer.cancel();
            authTimer = null;
        }
        if (pingTimer != null) {
            pingTimer.cancel();
            pingTimer = null;
        }
        if (writeDeadlineTimer != null) {
            writeDeadlineTimer.cancel();
            writeDeadlineTimer = null;
        }
        if (stallTimer != null) {
            stallTimer.cancel();
            stallTimer = null;
        }
    }

    // ---------------------------------------------------------------- monitoring

    String describe() {
        return channel.remoteHost() + ":" + channel.remotePort() + " - cid:" + id;
    }

    public Instant startTime() {
        return start;
    }

    public String name() {
        return name;
    }

    public String lang() {
        return lang;
    }

    public String clientVersion() {
        return version;
    }

    public CloseReason closeReason() {
        return closeReason;
    }

    /** The authenticated user (name or NKey), or {@code null}. */
    public String authorizedUser() {
        return authorizedUser;
    }

    public long roundTripNanos() {
        return rttNanos;
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
        Instant lastActivity = start.plusNanos(Math.max(0, lastActivityNanos - startNanos));
        String user = connectUser;
        String authorized = connectIdentity;
        if (authorized.isEmpty() || (authorized.equals(REDACTED) && authorizedUser != null)) {
            authorized = authorizedUser == null ? authorized : authorizedUser;
        }
        return new ConnectionSnapshot(id, channel.remoteHost(), channel.remotePort(), start, lastActivity, rttNanos,
                out.length(), inMsgs, outMsgs, inBytes, outBytes, count, details, name, lang, version,
                user, authorized, GLOBAL_ACCOUNT, "", "", stop, reason);
    }

    /**
     * nats-server's {@code getRawAuthUser}: the CONNECT's NKey, else its user; a token is shown
     * as {@value #REDACTED} (nats-server shows the token itself, which is a secret).
     */
    private static String monitoredIdentity(JsonNode connect) {
        String nkey = connect.path("nkey").asText("");
        if (!nkey.isEmpty()) {
            return nkey;
        }
        String user = connect.path("user").asText("");
        if (!user.isEmpty()) {
            return user;
        }
        return connect.path("auth_token").asText("").isEmpty() ? "" : REDACTED;
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

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
