package io.natsee.broker.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import io.natsee.broker.BrokerDefaults;
import io.natsee.broker.BrokerStatistics;
import io.natsee.broker.monitor.ConnectionSnapshot;
import io.natsee.broker.monitor.GoFormats;
import io.natsee.broker.monitor.SystemRequests;
import io.natsee.broker.subject.MatchResult;
import io.natsee.broker.subject.Subscription;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The advisories the server publishes on {@code $SYS} subjects when {@code system_account} is
 * configured, in the JSON of nats-server 2.9.10's system events:
 * <ul>
 * <li>{@code $SYS.ACCOUNT.<acc>.CONNECT} ({@code io.nats.server.advisory.v1.client_connect}) when a
 * client has authenticated, and {@code $SYS.ACCOUNT.<acc>.DISCONNECT}
 * ({@code io.nats.server.advisory.v1.client_disconnect}, with the client's sent and received
 * counters and the close reason) when it has closed;</li>
 * <li>{@code $SYS.ACCOUNT.<acc>.SERVER.CONNS} and its older twin {@code $SYS.SERVER.ACCOUNT.<acc>.CONNS}
 * ({@code io.nats.server.advisory.v1.account_connections}) before each of those, with the
 * account's connection count and message counters;</li>
 * <li>{@code $SYS.ACCOUNT.<acc>.SLOW_CONSUMER} ({@code io.natsee.advisory.v1.slow_consumer}, this
 * server's own: nats-server 2.9 has none) when a client is closed as a slow consumer;</li>
 * <li>{@code $SYS.SERVER.<id>.ROUTE.CONNECT} and {@code .DISCONNECT}
 * ({@code io.natsee.advisory.v1.route_connect}, {@code route_disconnect}; also this server's own),
 * published by the cluster code through {@link #routeConnected} and {@link #routeDisconnected}.</li>
 * </ul>
 * This server has one account, {@code $G}, so the advisories are published into it: any client
 * whose permissions allow subscribing to {@code $SYS.>} receives them (deny it to ordinary users,
 * and deny publishing to {@code $SYS.>}, so nobody can forge one). Without {@code system_account},
 * as with nats-server 2.9.10, nothing is published. Advisories are rare (one per connect or
 * close), so each is built as a tree and handed to every receiver's own event loop.
 */
public final class SystemEvents {

    private static final System.Logger LOG = System.getLogger(SystemEvents.class.getName());
    private static final char[] BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final String ACCOUNT = "$G";

    private final ServerContext server;
    private final AtomicLong sequence = new AtomicLong();
    private final SecureRandom random = new SecureRandom();
    private final String idPrefix;
    private final AtomicLong ids = new AtomicLong();
    private volatile SystemRequests requests;

    /** The subjects of server requests start so. */
    static final String REQUEST_PREFIX = "$SYS.REQ.SERVER.";

    SystemEvents(ServerContext server) {
        this.server = server;
        StringBuilder prefix = new StringBuilder(12);
        for (int i = 0; i < 12; i++) {
            prefix.append(BASE62[random.nextInt(BASE62.length)]);
        }
        this.idPrefix = prefix.toString();
    }

    /** Whether advisories are published ({@code system_account} is set). */
    public boolean enabled() {
        return server.options().systemAccount() != null;
    }

    /** The registry listener that publishes the connect and disconnect advisories. */
    ConnectionRegistry.Listener connectionListener() {
        return new ConnectionRegistry.Listener() {
            @Override
            public void connected(ConnectionSnapshot connection) {
                accountConnections();
                ObjectNode event = event("io.nats.server.advisory.v1.client_connect", server.clock.instant());
                event.set("client", client(connection));
                publish("$SYS.ACCOUNT." + ACCOUNT + ".CONNECT", event);
            }

            @Override
            public void disconnected(ConnectionSnapshot last) {
                accountConnections();
                ObjectNode event = event("io.nats.server.advisory.v1.client_disconnect", last.stop());
                event.set("client", client(last));
                event.set("sent", stats(last.inMsgs(), last.inBytes()));
                event.set("received", stats(last.outMsgs(), last.outBytes()));
                event.put("reason", last.reason());
                publish("$SYS.ACCOUNT." + ACCOUNT + ".DISCONNECT", event);
            }
        };
    }

    /** A client is being closed as a slow consumer; {@code reason} is the close reason's text. */
    void slowConsumer(ClientConnection connection, String reason) {
        if (!enabled()) {
            return;
        }
        ConnectionSnapshot snapshot = connection.snapshot(false);
        ObjectNode event = event("io.natsee.advisory.v1.slow_consumer", server.clock.instant());
        event.set("client", client(snapshot));
        event.put("pending_bytes", snapshot.pendingBytes());
        event.put("reason", reason);
        publish("$SYS.ACCOUNT." + ACCOUNT + ".SLOW_CONSUMER", event);
    }

    /**
     * A route to another server is up: the cluster code calls this once per route.
     *
     * @param rid the route's id, as {@code /routez} shows it
     * @param remoteId the other server's id
     * @param ip the other server's address
     * @param port the other server's port
     * @param solicited whether this server dialled it
     */
    public void routeConnected(long rid, String remoteId, String ip, int port, boolean solicited) {
        if (!enabled()) {
            return;
        }
        ObjectNode event = event("io.natsee.advisory.v1.route_connect", server.clock.instant());
        event.set("route", route(rid, remoteId, ip, port, solicited));
        publish("$SYS.SERVER." + server.serverId() + ".ROUTE.CONNECT", event);
    }

    /** A route is gone, for {@code reason} (a close reason's text); see {@link #routeConnected}. */
    public void routeDisconnected(long rid, String remoteId, String ip, int port, boolean solicited, String reason) {
        if (!enabled()) {
            return;
        }
        ObjectNode event = event("io.natsee.advisory.v1.route_disconnect", server.clock.instant());
        event.set("route", route(rid, remoteId, ip, port, solicited));
        event.put("reason", reason);
        publish("$SYS.SERVER." + server.serverId() + ".ROUTE.DISCONNECT", event);
    }

    /** Both subjects nats-server 2.9.10 publishes the account's connection count on. */
    private void accountConnections() {
        BrokerStatistics statistics = server.statistics();
        ObjectNode event = event("io.nats.server.advisory.v1.account_connections", server.clock.instant());
        event.put("acc", ACCOUNT);
        int open = server.registry().openCount();
        event.put("conns", open);
        event.put("leafnodes", 0);
        event.put("total_conns", open);
        event.set("sent", stats(statistics.outMsgs(), statistics.outBytes()));
        event.set("received", stats(statistics.inMsgs(), statistics.inBytes()));
        event.put("slow_consumers", statistics.slowConsumers());
        publish("$SYS.SERVER.ACCOUNT." + ACCOUNT + ".CONNS", event);
        publish("$SYS.ACCOUNT." + ACCOUNT + ".SERVER.CONNS", event);
    }

    /** Answers the server requests ({@code $SYS.REQ.SERVER...}) with {@code requests}; none are answered before. */
    public void answerRequestsWith(SystemRequests requests) {
        this.requests = requests;
    }

    /**
     * Answers a request a client published, when it is one for this server: {@code $SYS.REQ.SERVER.PING}
     * (STATSZ), {@code $SYS.REQ.SERVER.PING.<endpoint>} or {@code $SYS.REQ.SERVER.<this id>.<endpoint>}.
     * The answer goes to {@code reply} as nats-server 2.9.10 writes it: the {@code "server"} object, then
     * {@code "statsz"}, {@code "data"} or {@code "error"}. Any thread.
     *
     * @return whether it was answered
     */
    boolean request(String subject, String reply, byte[] body) {
        SystemRequests answers = requests;
        if (answers == null || !enabled() || !subject.startsWith(REQUEST_PREFIX)) {
            return false;
        }
        String[] tokens = subject.substring(REQUEST_PREFIX.length()).split("\\.", -1);
        String endpoint;
        if (tokens.length == 1 && tokens[0].equals("PING")) {
            endpoint = "STATSZ";
        } else if (tokens.length == 2 && (tokens[0].equals("PING") || tokens[0].equals(server.serverId()))) {
            endpoint = tokens[1];
        } else {
            return false;
        }
        if (!SystemRequests.answers(endpoint)) {
            return false;
        }
        SystemRequests.Answer answer = answers.answer(endpoint, body);
        ObjectNode response = Json.MAPPER.createObjectNode();
        serverInfo(response.putObject("server"));
        response.putRawValue(answer.field(), new RawValue(new String(answer.json(), StandardCharsets.UTF_8)));
        publish(reply, response);
        return true;
    }

    private ObjectNode event(String type, Instant timestamp) {
        ObjectNode event = Json.MAPPER.createObjectNode();
        event.put("type", type);
        event.put("id", nextId());
        event.put("timestamp", GoFormats.rfc3339Nano(timestamp));
        serverInfo(event.putObject("server"));
        return event;
    }

    /** nats-server's {@code ServerInfo} of events and responses. */
    private void serverInfo(ObjectNode info) {
        info.put("name", server.serverName());
        info.put("host", server.options().host());
        info.put("id", server.serverId());
        info.put("ver", BrokerDefaults.VERSION);
        info.put("seq", sequence.incrementAndGet());
        info.put("jetstream", false);
        info.put("time", GoFormats.rfc3339Nano(server.clock.instant()));
    }

    /** nats-server's {@code ClientInfo}: empty strings and a zero round trip left out. */
    private ObjectNode client(ConnectionSnapshot connection) {
        ObjectNode client = Json.MAPPER.createObjectNode();
        client.put("start", GoFormats.rfc3339Nano(connection.start()));
        client.put("host", connection.ip());
        client.put("id", connection.cid());
        client.put("acc", ACCOUNT);
        putIfNotEmpty(client, "user", connection.authorizedUser());
        putIfNotEmpty(client, "name", connection.name());
        putIfNotEmpty(client, "lang", connection.lang());
        putIfNotEmpty(client, "ver", connection.version());
        if (connection.rttNanos() > 0) {
            client.put("rtt", connection.rttNanos());
        }
        if (connection.stop() != null) {
            client.put("stop", GoFormats.rfc3339Nano(connection.stop()));
        }
        client.put("kind", "Client");
        client.put("client_type", "nats");
        return client;
    }

    private ObjectNode route(long rid, String remoteId, String ip, int port, boolean solicited) {
        ObjectNode route = Json.MAPPER.createObjectNode();
        route.put("rid", rid);
        route.put("remote_id", remoteId);
        route.put("ip", ip);
        route.put("port", port);
        route.put("did_solicit", solicited);
        return route;
    }

    private ObjectNode stats(long msgs, long bytes) {
        ObjectNode stats = Json.MAPPER.createObjectNode();
        stats.put("msgs", msgs);
        stats.put("bytes", bytes);
        return stats;
    }

    private static void putIfNotEmpty(ObjectNode node, String field, String value) {
        if (value != null && !value.isEmpty()) {
            node.put(field, value);
        }
    }

    /** A 22-character id, as nats-server's NUIDs are: a random prefix and a counter, base 62. */
    private String nextId() {
        StringBuilder id = new StringBuilder(22).append(idPrefix);
        long n = ids.incrementAndGet();
        char[] digits = new char[10];
        for (int i = 9; i >= 0; i--) {
            digits[i] = BASE62[(int) (n % 62)];
            n /= 62;
        }
        return id.append(digits).toString();
    }

    /**
     * Delivers one advisory to every subscription its subject matches: every plain one and one
     * member of each queue group, each on its connection's own loop.
     */
    private void publish(String subject, ObjectNode event) {
        if (server.shuttingDown()) {
            return;
        }
        byte[] payload;
        try {
            payload = Json.MAPPER.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write advisory " + subject, e);
        }
        MatchResult match = server.trie.match(subject);
        if (match.isEmpty()) {
            return;
        }
        ByteBuffer subjectBytes = ByteBuffer.wrap(subject.getBytes(StandardCharsets.US_ASCII)).asReadOnlyBuffer();
        ByteBuffer payloadBytes = ByteBuffer.wrap(payload).asReadOnlyBuffer();
        for (Subscription subscription : match.plain()) {
            send(subscription, subjectBytes, payloadBytes);
        }
        for (Subscription[] group : match.queues()) {
            send(group[random.nextInt(group.length)], subjectBytes, payloadBytes);
        }
    }

    private static void send(Subscription subscription, ByteBuffer subject, ByteBuffer payload) {
        if (!(subscription.owner() instanceof ClientConnection client)) {
            return; // a route's interest: advisories and answers stay on this server
        }
        try {
            client.deliverSystem(subscription, subject, payload);
        } catch (RejectedExecutionException closing) {
            LOG.log(System.Logger.Level.DEBUG, "advisory not delivered to a closing event loop");
        }
    }

    /** Jackson's data binding, loaded with the first event rather than with every server. */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }
}
