package io.natsee.ra.streaming;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.JetStreamStatusException;
import io.nats.client.Message;
import io.nats.client.Subscription;
import io.nats.client.NUID;
import io.natsee.ra.api.NatsConnectionClosedException;
import io.natsee.ra.api.NatsException;
import io.natsee.ra.api.NatsRequestTimeoutException;
import io.natsee.ra.api.StreamingException;
import io.natsee.streaming.protocol.CloseRequest;
import io.natsee.streaming.protocol.CloseResponse;
import io.natsee.streaming.protocol.ConnectRequest;
import io.natsee.streaming.protocol.ConnectResponse;
import io.natsee.streaming.protocol.Ping;
import io.natsee.streaming.protocol.PingResponse;
import io.natsee.streaming.protocol.PubAck;
import io.natsee.streaming.protocol.PubMsg;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Timer;
import java.util.TimerTask;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One NATS Streaming session over a jnats connection the caller owns: connect with a client id,
 * answer the server's heartbeats, publish with acknowledgement, subscribe, and close.
 *
 * <p>The session pings the server (protocol 1) every ping interval. When the server answers that
 * it no longer knows this client (it was restarted, or it dropped the client while NATS was
 * down), or leaves {@code pingMaxOut} pings unanswered, the session connects again under the
 * same client id with a new heartbeat inbox and subscribes every open subscription again:
 * durables resume where they were acknowledged, plain subscriptions continue after the last
 * sequence they received. Call {@link #onReconnected()} when jnats reconnects, so the check runs
 * at once. Plain Java: the timer and the executor for blocking work come from the caller.
 */
public final class StreamingClient implements AutoCloseable {

    private static final System.Logger LOGGER = System.getLogger(StreamingClient.class.getName());
    /** The protocol version that pings the server. */
    private static final int PROTOCOL_ONE = 1;

    private final Connection nats;
    private final StreamingClientOptions options;
    private final Timer timer;
    private final Executor executor;
    private final Dispatcher control;
    private final String ackSubject;
    private final Map<String, CompletableFuture<String>> pendingPublishes = new ConcurrentHashMap<>();
    private final Semaphore publishSlots;
    private final List<StreamingSubscription> subscriptions = new CopyOnWriteArrayList<>();
    private final AtomicBoolean recovering = new AtomicBoolean();
    private final AtomicInteger pingsOut = new AtomicInteger();
    private final AtomicInteger sessionsOpened = new AtomicInteger();
    private volatile Session session;
    private volatile boolean closed;
    private TimerTask pinger;

    /** What one successful connect request established. */
    record Session(ConnectResponse response, byte[] connectionId, Subscription heartbeats) {
    }

    private StreamingClient(Connection nats, StreamingClientOptions options, Timer timer, Executor executor) {
        this.nats = nats;
        this.options = options;
        this.timer = timer;
        this.executor = executor;
        this.publishSlots = new Semaphore(options.maxPubAcksInFlight());
        this.ackSubject = "_STAN.acks." + NUID.nextGlobal();
        this.control = nats.createDispatcher();
    }

    /**
     * Connects a streaming session.
     *
     * @param nats the jnats connection to use; the caller keeps it and closes it after this session
     * @param timer runs the pings
     * @param executor runs the blocking requests of a recovery
     * @throws StreamingException if the server refused the connect (e.g. the client id is in use) or none answered
     * @throws NatsRequestTimeoutException if the server did not answer within the request timeout
     */
    public static StreamingClient connect(Connection nats, StreamingClientOptions options, Timer timer,
            Executor executor) {
        StreamingClient client = new StreamingClient(nats, options, timer, executor);
        try {
            client.control.subscribe(client.ackSubject, client::onPubAck);
            client.session = client.openSession();
        } catch (RuntimeException e) {
            nats.closeDispatcher(client.control);
            throw e;
        }
        client.startPinging();
        return client;
    }

    private Session openSession() {
        String heartbeatInbox = nats.createInbox();
        Subscription heartbeats = control.subscribe(heartbeatInbox, this::onHeartbeat);
        byte[] connectionId = NUID.nextGlobal().getBytes(StandardCharsets.US_ASCII);
        ConnectRequest request = ConnectRequest.newBuilder()
                .setClientID(options.clientId())
                .setHeartbeatInbox(heartbeatInbox)
                .setProtocol(PROTOCOL_ONE)
                .setConnID(ByteString.copyFrom(connectionId))
                .setPingInterval((int) Math.max(1, options.pingInterval().toSeconds()))
                .setPingMaxOut(options.pingMaxOut())
                .build();
        try {
            String discover = options.discoverPrefix() + "." + options.clusterId();
            ConnectResponse response = ConnectResponse.parseFrom(request(discover, request.toByteArray(), "connect"));
            if (!response.getError().isEmpty()) {
                throw new StreamingException(response.getError());
            }
            sessionsOpened.incrementAndGet();
            return new Session(response, connectionId, heartbeats);
        } catch (InvalidProtocolBufferException e) {
            control.unsubscribe(heartbeats);
            throw new StreamingException("the streaming server sent an unreadable connect response", e);
        } catch (RuntimeException e) {
            control.unsubscribe(heartbeats);
            throw e;
        }
    }

    private void onHeartbeat(Message heartbeat) {
        if (heartbeat.getReplyTo() != null && !closed) {
            try {
                nats.publish(heartbeat.getReplyTo(), null);
            } catch (IllegalStateException e) {
                LOGGER.log(Level.DEBUG, "cannot answer a streaming heartbeat: {0}", e.getMessage());
            }
        }
    }

    /**
     * Sends a request and waits for the reply's payload, translating jnats' failures.
     *
     * @param what names the request in errors
     */
    byte[] request(String subject, byte[] data, String what) {
        Duration timeout = options.requestTimeout();
        CompletableFuture<Message> reply;
        try {
            reply = nats.requestWithTimeout(subject, null, data, timeout);
        } catch (IllegalStateException e) {
            throw closedOrRefused(e);
        }
        try {
            Message message = reply.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            return message.getData() == null ? new byte[0] : message.getData();
        } catch (InterruptedException e) {
            reply.cancel(false);
            Thread.currentThread().interrupt();
            throw new NatsException("interrupted while waiting for the streaming " + what + " response", e);
        } catch (TimeoutException e) {
            reply.cancel(false);
            throw new NatsRequestTimeoutException("no streaming " + what + " response from cluster '"
                    + options.clusterId() + "' within " + timeout.toMillis() + " ms", e);
        } catch (ExecutionException | CancellationException e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            if (cause instanceof CancellationException || cause instanceof JetStreamStatusException) {
                throw new StreamingException("no streaming server of cluster '" + options.clusterId()
                        + "' answers on " + subject);
            }
            if (cause instanceof TimeoutException) {
                throw new NatsRequestTimeoutException("no streaming " + what + " response from cluster '"
                        + options.clusterId() + "' within " + timeout.toMillis() + " ms", cause);
            }
            throw new StreamingException("streaming " + what + " failed: " + cause, cause);
        }
    }

    private NatsException closedOrRefused(IllegalStateException e) {
        if (nats.getStatus() == Connection.Status.CLOSED) {
            NatsConnectionClosedException closedException =
                    new NatsConnectionClosedException("the NATS connection is closed: " + e.getMessage());
            closedException.initCause(e);
            return closedException;
        }
        return new NatsException("NATS refused the operation: " + e.getMessage(), e);
    }

    /**
     * Publishes and waits for the acknowledgement.
     *
     * @return the publish's guid
     */
    public String publish(String channel, byte[] data) {
        CompletableFuture<String> acknowledged = publishAsync(channel, data);
        try {
            return acknowledged.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NatsException("interrupted while waiting for the acknowledgement of a publish to " + channel, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof NatsException natsException) {
                throw natsException;
            }
            throw new StreamingException("publish to " + channel + " failed: " + cause, cause);
        }
    }

    /**
     * Publishes and returns a future that completes with the guid once the server stored the
     * message, or exceptionally with {@link StreamingException} or
     * {@link NatsRequestTimeoutException}. Waits for a slot while {@code maxPubAcksInFlight}
     * publishes are unacknowledged.
     */
    public CompletableFuture<String> publishAsync(String channel, byte[] data) {
        Channels.check(channel);
        Session current = openSessionOrThrow();
        Duration ackWait = options.pubAckWait();
        try {
            if (!publishSlots.tryAcquire(ackWait.toNanos(), TimeUnit.NANOSECONDS)) {
                throw new NatsRequestTimeoutException(options.maxPubAcksInFlight()
                        + " publishes still unacknowledged after " + ackWait.toMillis() + " ms");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NatsException("interrupted while waiting to publish to " + channel, e);
        }
        String guid = NUID.nextGlobal();
        CompletableFuture<String> acknowledged = new CompletableFuture<>();
        pendingPublishes.put(guid, acknowledged);
        acknowledged.whenComplete((id, failure) -> {
            pendingPublishes.remove(guid);
            publishSlots.release();
        });
        PubMsg message = PubMsg.newBuilder()
                .setClientID(options.clientId())
                .setGuid(guid)
                .setSubject(channel)
                .setData(data == null ? ByteString.EMPTY : ByteString.copyFrom(data))
                .setConnID(ByteString.copyFrom(current.connectionId()))
                .build();
        try {
            nats.publish(current.response().getPubPrefix() + "." + channel, ackSubject, message.toByteArray());
        } catch (IllegalStateException e) {
            acknowledged.completeExceptionally(closedOrRefused(e));
            return acknowledged;
        }
        acknowledged.orTimeout(ackWait.toNanos(), TimeUnit.NANOSECONDS);
        return acknowledged.handle((id, failure) -> {
            if (failure == null) {
                return id;
            }
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
            if (cause instanceof TimeoutException) {
                throw new NatsRequestTimeoutException("stan: publish ack timeout: no acknowledgement of the publish to "
                        + channel + " within " + ackWait.toMillis() + " ms", cause);
            }
            throw cause instanceof RuntimeException runtime ? runtime : new StreamingException(cause.toString(), cause);
        });
    }

    private void onPubAck(Message message) {
        PubAck ack;
        try {
            ack = PubAck.parseFrom(message.getData() == null ? new byte[0] : message.getData());
        } catch (InvalidProtocolBufferException e) {
            LOGGER.log(Level.WARNING, "unreadable streaming publish acknowledgement on {0} ignored", message.getSubject());
            return;
        }
        CompletableFuture<String> acknowledged = pendingPublishes.get(ack.getGuid());
        if (acknowledged == null) {
            return; // timed out already, or a duplicate
        }
        if (ack.getError().isEmpty()) {
            acknowledged.complete(ack.getGuid());
        } else {
            acknowledged.completeExceptionally(new StreamingException(ack.getError()));
        }
    }

    /**
     * Subscribes; {@code handler} runs on a dispatcher thread of this subscription's own and may
     * block (the subscription then stops taking messages from jnats' pending queue).
     *
     * @throws StreamingException if the server refused the subscription
     */
    public StreamingSubscription subscribe(SubscriptionOptions subscription, StreamingSubscription.Handler handler) {
        openSessionOrThrow();
        StreamingSubscription created = new StreamingSubscription(this, subscription, handler, nats.createInbox());
        created.open(nats);
        try {
            created.request(false);
        } catch (RuntimeException e) {
            created.closeLocally();
            throw e;
        }
        subscriptions.add(created);
        return created;
    }

    void forget(StreamingSubscription subscription) {
        subscriptions.remove(subscription);
    }

    private Session openSessionOrThrow() {
        if (closed) {
            throw new NatsConnectionClosedException("stan: connection closed");
        }
        return session;
    }

    Session session() {
        return session;
    }

    Connection nats() {
        return nats;
    }

    StreamingClientOptions options() {
        return options;
    }

    /** Returns true once {@link #close()} ran. */
    public boolean isClosed() {
        return closed;
    }

    /** Returns how many times a connect request succeeded: 1, plus one per recovery (for tests and monitoring). */
    public int sessionsOpened() {
        return sessionsOpened.get();
    }

    /** Returns the client id. */
    public String clientId() {
        return options.clientId();
    }

    private void startPinging() {
        long period = options.pingInterval().toMillis();
        TimerTask task = new TimerTask() {
            @Override
            public void run() {
                try {
                    pingOnce();
                } catch (RuntimeException e) {
                    // An exception would end the (container's) timer thread for every task.
                    LOGGER.log(Level.WARNING, "streaming ping failed: {0}", e.toString());
                }
            }
        };
        synchronized (this) {
            pinger = task;
        }
        timer.schedule(task, period, period);
    }

    private void pingOnce() {
        if (closed || nats.getStatus() != Connection.Status.CONNECTED) {
            return;
        }
        Session current = session;
        if (!recovering.get() && subscriptions.stream().anyMatch(subscription -> !subscription.isRegistered())) {
            recoverLater(this::retrySubscriptions);
        }
        if (pingsOut.incrementAndGet() > options.pingMaxOut()) {
            pingsOut.set(0);
            LOGGER.log(Level.WARNING, "streaming client {0}: {1} pings unanswered, connecting again",
                    options.clientId(), options.pingMaxOut());
            recoverLater(this::recover);
            return;
        }
        String pingSubject = current.response().getPingRequests();
        if (pingSubject.isEmpty()) {
            return; // a server without pings (protocol 0)
        }
        byte[] ping = Ping.newBuilder().setConnID(ByteString.copyFrom(current.connectionId())).build().toByteArray();
        CompletableFuture<Message> reply;
        try {
            reply = nats.requestWithTimeout(pingSubject, null, ping, options.pingInterval());
        } catch (IllegalStateException e) {
            return;
        }
        reply.whenComplete((message, failure) -> {
            if (failure != null || message == null || message.isStatusMessage()) {
                return; // counted as out
            }
            pingsOut.set(0);
            try {
                PingResponse response = PingResponse.parseFrom(message.getData() == null ? new byte[0] : message.getData());
                if (!response.getError().isEmpty() && session == current) {
                    LOGGER.log(Level.WARNING, "streaming client {0}: the server answered a ping with \"{1}\"; connecting again",
                            options.clientId(), response.getError());
                    recoverLater(this::recover);
                }
            } catch (InvalidProtocolBufferException e) {
                LOGGER.log(Level.DEBUG, "unreadable streaming ping response ignored");
            }
        });
    }

    /** Tells the session that jnats reconnected: it checks at once whether the server still knows it. */
    public void onReconnected() {
        if (closed) {
            return;
        }
        pingsOut.set(0);
        executor.execute(() -> {
            try {
                pingOnce();
            } catch (RuntimeException e) {
                LOGGER.log(Level.DEBUG, "streaming ping after reconnect failed: {0}", e.toString());
            }
        });
    }

    private void retrySubscriptions() {
        if (!recovering.compareAndSet(false, true)) {
            return;
        }
        try {
            if (!closed && nats.getStatus() == Connection.Status.CONNECTED) {
                resubscribeLost();
            }
        } finally {
            recovering.set(false);
        }
    }

    private void recoverLater(Runnable recovery) {
        try {
            executor.execute(recovery);
        } catch (RuntimeException e) {
            LOGGER.log(Level.WARNING, "streaming client {0}: cannot schedule the recovery ({1}); the next ping retries",
                    options.clientId(), e.toString());
        }
    }

    /**
     * Connects again under the same client id and subscribes every open subscription again.
     * Runs on the executor; one recovery at a time; a failed one is retried after the next pings.
     */
    void recover() {
        if (!recovering.compareAndSet(false, true)) {
            return;
        }
        try {
            if (closed || nats.getStatus() != Connection.Status.CONNECTED) {
                return;
            }
            Session old = session;
            // The server checks a reused client id by sending a request to the old heartbeat inbox:
            // stop answering on it first, or the new connect is refused as a duplicate.
            control.unsubscribe(old.heartbeats());
            nats.flush(options.requestTimeout());
            Session renewed;
            try {
                renewed = openSession();
            } catch (RuntimeException e) {
                // Keep a heartbeat inbox answering while the old session may still be known to the server.
                session = new Session(old.response(), old.connectionId(), control.subscribe(nats.createInbox(), this::onHeartbeat));
                throw e;
            }
            session = renewed;
            for (StreamingSubscription subscription : subscriptions) {
                subscription.lost();
            }
            int resumed = resubscribeLost();
            LOGGER.log(Level.INFO, "streaming client {0} connected again; {1} of {2} subscriptions restored",
                    options.clientId(), resumed, subscriptions.size());
        } catch (TimeoutException | RuntimeException e) {
            LOGGER.log(Level.WARNING, "streaming client {0}: connecting again failed ({1}); the next pings retry",
                    options.clientId(), e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            recovering.set(false);
        }
    }

    /** Subscribes again every subscription the server lost; returns how many succeeded. The others are retried on the next ping. */
    private int resubscribeLost() {
        int resumed = 0;
        for (StreamingSubscription subscription : subscriptions) {
            if (subscription.isRegistered()) {
                continue;
            }
            try {
                subscription.request(true);
                resumed++;
            } catch (RuntimeException e) {
                LOGGER.log(Level.WARNING, "streaming client {0}: cannot subscribe to {1} again ({2}); the next ping retries",
                        options.clientId(), subscription.options().channel(), e.toString());
            }
        }
        return resumed;
    }

    /**
     * Closes the session: stops pinging, closes the subscriptions here (durables stay on the
     * server), sends the close request when the connection is up, and fails unacknowledged
     * publishes. The jnats connection stays open. Closing twice does nothing.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        synchronized (this) {
            if (pinger != null) {
                pinger.cancel();
            }
        }
        for (StreamingSubscription subscription : subscriptions) {
            subscription.closeLocally();
        }
        subscriptions.clear();
        Session current = session;
        if (nats.getStatus() == Connection.Status.CONNECTED && current != null) {
            try {
                byte[] reply = request(current.response().getCloseRequests(),
                        CloseRequest.newBuilder().setClientID(options.clientId()).build().toByteArray(), "close");
                CloseResponse response = CloseResponse.parseFrom(reply);
                if (!response.getError().isEmpty()) {
                    LOGGER.log(Level.DEBUG, "streaming close of {0}: {1}", options.clientId(), response.getError());
                }
            } catch (InvalidProtocolBufferException | RuntimeException e) {
                LOGGER.log(Level.DEBUG, "streaming close of {0} not confirmed: {1}", options.clientId(), e.toString());
            }
        }
        try {
            nats.closeDispatcher(control);
        } catch (IllegalStateException e) {
            LOGGER.log(Level.DEBUG, "streaming control dispatcher already closed: {0}", e.getMessage());
        }
        for (CompletableFuture<String> pending : pendingPublishes.values()) {
            pending.completeExceptionally(new NatsConnectionClosedException("stan: connection closed before the publish was acknowledged"));
        }
    }
}
