package io.natsee.streaming.server;

import com.google.protobuf.InvalidProtocolBufferException;
import io.nats.client.Message;
import io.natsee.streaming.protocol.CloseRequest;
import io.natsee.streaming.protocol.CloseResponse;
import io.natsee.streaming.protocol.ConnectRequest;
import io.natsee.streaming.protocol.ConnectResponse;
import io.natsee.streaming.protocol.Ping;
import io.natsee.streaming.protocol.PingResponse;
import io.natsee.streaming.store.ClientRecord;
import io.natsee.streaming.store.StoreException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Connect, close and ping requests of streaming clients, the duplicate-client-id check, and the server's
 * heartbeats to each client, as nats-streaming-server does them. Engine thread only.
 */
final class ClientRequests {
    private static final System.Logger LOG = System.getLogger(ClientRequests.class.getName());
    static final String INVALID_CONNECT = "stan: invalid connection request";
    static final String INVALID_CLIENT_ID =
            "stan: invalid clientID: only alphanumeric and `-` or `_` characters allowed";
    static final String ALREADY_REGISTERED = "stan: clientID already registered";
    static final String UNKNOWN_CLIENT = "stan: unknown clientID";
    static final String INVALID_CLOSE = "stan: invalid close request";
    static final String REPLACED = "client has been replaced or is no longer registered";
    /** How long the old client of a reused id has to answer its heartbeat inbox. */
    static final Duration DUPLICATE_CHECK = Duration.ofMillis(500);
    private static final Pattern CLIENT_ID = Pattern.compile("^[a-zA-Z0-9_-]+$");
    private static final int PROTOCOL_ONE = 1;

    private final ServerState state;
    private final SubscriptionRequests subscriptions;
    private final Set<String> checking = new HashSet<>();

    ClientRequests(ServerState state, SubscriptionRequests subscriptions) {
        this.state = state;
        this.subscriptions = subscriptions;
    }

    void connect(Message message) {
        ConnectRequest request;
        try {
            request = ConnectRequest.parseFrom(message.getData() == null ? new byte[0] : message.getData());
        } catch (InvalidProtocolBufferException e) {
            request = null;
        }
        if (request == null || request.getHeartbeatInbox().isEmpty()) {
            LOG.log(System.Logger.Level.ERROR, "[Client:?] Invalid conn request");
            connectError(message, INVALID_CONNECT);
            return;
        }
        if (!CLIENT_ID.matcher(request.getClientID()).matches()) {
            LOG.log(System.Logger.Level.ERROR,
                    "[Client:{0}] Invalid ClientID, only alphanumeric and `-` or `_` characters allowed",
                    request.getClientID());
            connectError(message, INVALID_CLIENT_ID);
            return;
        }
        ClientState existing = state.clients.get(request.getClientID());
        if (existing == null) {
            accept(request, message);
            return;
        }
        String id = request.getClientID();
        if (!checking.add(id)) {
            connectError(message, ALREADY_REGISTERED);
            return;
        }
        ConnectRequest pendingRequest = request;
        state.nats.requestWithTimeout(existing.heartbeatInbox, null, DUPLICATE_CHECK)
                .orTimeout(DUPLICATE_CHECK.toMillis() + 250, TimeUnit.MILLISECONDS)
                .whenComplete((reply, failure) -> state.engine.post(() -> {
                    checking.remove(id);
                    boolean alive = failure == null && reply != null && !reply.isStatusMessage();
                    if (alive) {
                        LOG.log(System.Logger.Level.DEBUG, "[Client:{0}] Connect failed; already connected", id);
                        connectError(message, ALREADY_REGISTERED);
                        return;
                    }
                    ClientState old = state.clients.get(id);
                    if (old != null) {
                        closeClient(old);
                    }
                    accept(pendingRequest, message);
                }));
    }

    private void accept(ConnectRequest request, Message message) {
        ClientState client = new ClientState(request.getClientID(), request.getHeartbeatInbox(),
                request.getConnID().toByteArray(), request.getProtocol());
        state.clients.put(client.id, client);
        try {
            state.store.addClient(new ClientRecord(client.id, client.heartbeatInbox, client.connectionId,
                    client.protocol, request.getPingInterval(), request.getPingMaxOut()));
            state.flushNow();
        } catch (StoreException e) {
            state.clients.remove(client.id);
            LOG.log(System.Logger.Level.ERROR, "[Client:{0}] not stored: {1}", client.id, e.getMessage());
            connectError(message, e.getMessage());
            return;
        }
        scheduleHeartbeat(client);
        ProtocolSubjects subjects = state.subjects;
        ConnectResponse.Builder response = ConnectResponse.newBuilder()
                .setPubPrefix(subjects.publish())
                .setSubRequests(subjects.subscribe())
                .setUnsubRequests(subjects.unsubscribe())
                .setSubCloseRequests(subjects.subscriptionClose())
                .setCloseRequests(subjects.close())
                .setProtocol(PROTOCOL_ONE);
        if (request.getProtocol() >= PROTOCOL_ONE) {
            response.setPingRequests(subjects.pings())
                    .setPingInterval(request.getPingInterval())
                    .setPingMaxOut(request.getPingMaxOut());
        }
        LOG.log(System.Logger.Level.DEBUG, "[Client:{0}] Connected (Inbox={1})", client.id, client.heartbeatInbox);
        if (message.getReplyTo() != null) {
            state.publish(message.getReplyTo(), response.build().toByteArray());
        }
    }

    void close(Message message) {
        CloseRequest request;
        try {
            request = CloseRequest.parseFrom(message.getData() == null ? new byte[0] : message.getData());
        } catch (InvalidProtocolBufferException e) {
            closeResponse(message, INVALID_CLOSE);
            return;
        }
        ClientState client = state.clients.get(request.getClientID());
        if (client == null) {
            LOG.log(System.Logger.Level.ERROR, "Unknown client {0} in close request", request.getClientID());
            closeResponse(message, UNKNOWN_CLIENT);
            return;
        }
        closeClient(client);
        closeResponse(message, "");
    }

    void ping(Message message) {
        if (message.getData() == null || message.getData().length == 0 || message.getReplyTo() == null) {
            return;
        }
        Ping ping;
        try {
            ping = Ping.parseFrom(message.getData());
        } catch (InvalidProtocolBufferException e) {
            return;
        }
        byte[] connectionId = ping.getConnID().toByteArray();
        ClientState found = null;
        for (ClientState client : state.clients.values()) {
            if (Arrays.equals(client.connectionId, connectionId)) {
                found = client;
                break;
            }
        }
        PingResponse.Builder response = PingResponse.newBuilder();
        if (found == null) {
            response.setError(REPLACED);
        } else if (found.failedHeartbeats > 0 && !found.heartbeatInFlight) {
            ClientState client = found;
            cancelHeartbeat(client);
            client.heartbeat = state.schedule(() -> heartbeat(client), TimeUnit.MILLISECONDS.toNanos(1));
        }
        state.publish(message.getReplyTo(), response.build().toByteArray());
    }

    /** Removes a client: plain subscriptions deleted, durables suspended, queue members removed. */
    void closeClient(ClientState client) {
        cancelHeartbeat(client);
        for (Subscriber subscriber : new ArrayList<>(client.subscriptions)) {
            subscriptions.remove(subscriber, false);
        }
        client.subscriptions.clear();
        state.clients.remove(client.id);
        state.store.deleteClient(client.id);
        state.flushNow();
        LOG.log(System.Logger.Level.DEBUG, "[Client:{0}] Closed", client.id);
    }

    /** Starts the heartbeats of a client (a new one, or one recovered from the store). */
    void scheduleHeartbeat(ClientState client) {
        client.heartbeat = state.schedule(() -> heartbeat(client), state.options.heartbeatInterval().toNanos());
    }

    private void cancelHeartbeat(ClientState client) {
        if (client.heartbeat != null) {
            client.heartbeat.cancel(false);
            client.heartbeat = null;
        }
    }

    private void heartbeat(ClientState client) {
        if (state.clients.get(client.id) != client || client.heartbeatInFlight) {
            return;
        }
        client.heartbeatInFlight = true;
        Duration timeout = state.options.heartbeatTimeout();
        state.nats.requestWithTimeout(client.heartbeatInbox, null, timeout)
                .orTimeout(timeout.toMillis() + 250, TimeUnit.MILLISECONDS)
                .whenComplete((reply, failure) -> state.engine.post(() -> {
                    client.heartbeatInFlight = false;
                    if (state.clients.get(client.id) != client) {
                        return;
                    }
                    if (failure == null && reply != null && !reply.isStatusMessage()) {
                        client.failedHeartbeats = 0;
                    } else if (++client.failedHeartbeats >= state.options.heartbeatFailCount()) {
                        LOG.log(System.Logger.Level.ERROR, "[Client:{0}] Timed out on heartbeats", client.id);
                        closeClient(client);
                        return;
                    }
                    scheduleHeartbeat(client);
                }));
    }

    private void connectError(Message message, String error) {
        if (message.getReplyTo() != null) {
            state.publish(message.getReplyTo(), ConnectResponse.newBuilder().setError(error).build().toByteArray());
        }
    }

    private void closeResponse(Message message, String error) {
        if (message.getReplyTo() != null) {
            CloseResponse.Builder response = CloseResponse.newBuilder();
            if (!error.isEmpty()) {
                response.setError(error);
            }
            state.publish(message.getReplyTo(), response.build().toByteArray());
        }
    }
}
