package io.natsee.ra.streaming;

import com.google.protobuf.InvalidProtocolBufferException;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.natsee.ra.api.StreamingException;
import io.natsee.streaming.protocol.Ack;
import io.natsee.streaming.protocol.MsgProto;
import io.natsee.streaming.protocol.StartPosition;
import io.natsee.streaming.protocol.SubscriptionRequest;
import io.natsee.streaming.protocol.SubscriptionResponse;
import io.natsee.streaming.protocol.UnsubscribeRequest;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One subscription of a {@link StreamingClient}: its inbox (with a jnats dispatcher of its own),
 * the ack inbox the server gave it, the last sequence it received, and manual acknowledgement.
 *
 * <p>After a recovery the same inbox is subscribed again; a durable resumes on the server's side,
 * a plain subscription asks for the sequence after the last one it received.
 */
public final class StreamingSubscription {

    private static final System.Logger LOGGER = System.getLogger(StreamingSubscription.class.getName());

    /** Receives the messages of one subscription. */
    @FunctionalInterface
    public interface Handler {
        /** Handles one message; may block, which holds back this subscription's later messages. */
        void onMessage(ReceivedMessage message) throws InterruptedException;
    }

    private final StreamingClient client;
    private final SubscriptionOptions options;
    private final Handler handler;
    private final String inbox;
    private final AtomicLong lastSequence = new AtomicLong();
    private Dispatcher dispatcher;
    private volatile String ackInbox;
    /**
     * Completes with the ack inbox of the registration in progress. The server sends messages
     * before its answer reaches us, so an ack may come before {@link #request} has returned.
     */
    private volatile CompletableFuture<String> registration = new CompletableFuture<>();
    private volatile boolean registered;
    private volatile boolean closed;

    StreamingSubscription(StreamingClient client, SubscriptionOptions options, Handler handler, String inbox) {
        this.client = client;
        this.options = options;
        this.handler = handler;
        this.inbox = inbox;
    }

    void open(Connection nats) {
        dispatcher = nats.createDispatcher();
        dispatcher.subscribe(inbox, this::onMessage);
    }

    /**
     * Sends the subscription request (again, after a recovery, when {@code resuming}).
     *
     * @throws StreamingException if the server refused it
     */
    synchronized void request(boolean resuming) {
        CompletableFuture<String> registering = registration.isDone() ? new CompletableFuture<>() : registration;
        registration = registering;
        try {
            ackInbox = register(resuming);
            registered = true;
            registering.complete(ackInbox);
        } catch (RuntimeException e) {
            registering.completeExceptionally(e);
            throw e;
        }
    }

    private String register(boolean resuming) {
        SubscriptionRequest.Builder request = SubscriptionRequest.newBuilder()
                .setClientID(client.clientId())
                .setSubject(options.channel())
                .setInbox(inbox)
                .setMaxInFlight(options.maxInFlight())
                .setAckWaitInSecs((int) Math.max(1, options.ackWait().toSeconds()));
        if (options.queueGroup() != null) {
            request.setQGroup(options.queueGroup());
        }
        if (options.durableName() != null) {
            request.setDurableName(options.durableName());
        }
        long last = lastSequence.get();
        if (resuming && options.durableName() == null && last > 0) {
            // A plain subscription is gone on the server: continue after what it received.
            request.setStartPosition(StartPosition.SequenceStart).setStartSequence(last + 1);
        } else {
            startPosition(request);
        }
        byte[] reply = client.request(client.session().response().getSubRequests(), request.build().toByteArray(),
                "subscription");
        SubscriptionResponse response;
        try {
            response = SubscriptionResponse.parseFrom(reply);
        } catch (InvalidProtocolBufferException e) {
            throw new StreamingException("the streaming server sent an unreadable subscription response", e);
        }
        if (!response.getError().isEmpty()) {
            throw new StreamingException(response.getError());
        }
        return response.getAckInbox();
    }

    private void startPosition(SubscriptionRequest.Builder request) {
        switch (options.start()) {
            case NEW_ONLY -> request.setStartPosition(StartPosition.NewOnly);
            case LAST_RECEIVED -> request.setStartPosition(StartPosition.LastReceived);
            case ALL -> request.setStartPosition(StartPosition.First);
            case SEQUENCE -> request.setStartPosition(StartPosition.SequenceStart).setStartSequence(options.startSequence());
            case TIME -> {
                long delta = Math.max(0, Duration.between(options.startTime(), Instant.now()).toNanos());
                request.setStartPosition(StartPosition.TimeDeltaStart).setStartTimeDelta(delta);
            }
            case TIME_DELTA -> request.setStartPosition(StartPosition.TimeDeltaStart)
                    .setStartTimeDelta(options.startTimeDelta().toNanos());
        }
    }

    private void onMessage(Message message) throws InterruptedException {
        if (closed) {
            return;
        }
        MsgProto proto;
        try {
            proto = MsgProto.parseFrom(message.getData() == null ? new byte[0] : message.getData());
        } catch (InvalidProtocolBufferException e) {
            LOGGER.log(Level.WARNING, "unreadable streaming message on {0} ignored", options.channel());
            return;
        }
        lastSequence.accumulateAndGet(proto.getSequence(), Math::max);
        handler.onMessage(new ReceivedMessage(proto, this));
    }

    /**
     * Acknowledges a message to the server. Returns false when it could not be sent (the
     * subscription is closed or the connection is down); the server then redelivers it.
     */
    boolean ack(long sequence) {
        if (closed) {
            return false;
        }
        String target;
        try {
            target = registration.get(client.options().requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | TimeoutException e) {
            LOGGER.log(Level.DEBUG, "acknowledgement of {0} #{1} not sent: the subscription is not registered ({2})",
                    options.channel(), sequence, e.toString());
            return false;
        }
        byte[] ack = Ack.newBuilder().setSubject(options.channel()).setSequence(sequence).build().toByteArray();
        try {
            client.nats().publish(target, ack);
            return true;
        } catch (IllegalStateException e) {
            LOGGER.log(Level.DEBUG, "acknowledgement of {0} #{1} not sent: {2}", options.channel(), sequence, e.getMessage());
            return false;
        }
    }

    /** Removes the subscription on the server: a durable forgets its position. */
    public void unsubscribe() {
        end(false);
    }

    /**
     * Closes the subscription: a durable keeps its position and unacknowledged messages on the
     * server, to be resumed by a later subscription with the same client id and durable name; a
     * plain subscription is removed.
     */
    public void close() {
        end(true);
    }

    private void end(boolean closeOnly) {
        if (closed) {
            return;
        }
        StreamingClient.Session session = client.session();
        String target = closeOnly && !session.response().getSubCloseRequests().isEmpty()
                ? session.response().getSubCloseRequests() : session.response().getUnsubRequests();
        UnsubscribeRequest.Builder request = UnsubscribeRequest.newBuilder()
                .setClientID(client.clientId())
                .setSubject(options.channel())
                .setInbox(ackInbox == null ? "" : ackInbox);
        if (options.durableName() != null) {
            request.setDurableName(options.durableName());
        }
        closeLocally();
        client.forget(this);
        SubscriptionResponse response;
        try {
            response = SubscriptionResponse.parseFrom(client.request(target, request.build().toByteArray(),
                    closeOnly ? "subscription close" : "unsubscribe"));
        } catch (InvalidProtocolBufferException e) {
            throw new StreamingException("the streaming server sent an unreadable unsubscribe response", e);
        }
        if (!response.getError().isEmpty()) {
            throw new StreamingException(response.getError());
        }
    }

    /** Stops receiving here without telling the server (the session is closing, or the request failed). */
    void closeLocally() {
        closed = true;
        registered = false;
        registration.completeExceptionally(new IllegalStateException("subscription closed"));
        Dispatcher current = dispatcher;
        if (current != null) {
            try {
                client.nats().closeDispatcher(current);
            } catch (IllegalStateException e) {
                LOGGER.log(Level.DEBUG, "subscription dispatcher already closed: {0}", e.getMessage());
            }
        }
    }

    /** Marks the subscription as unknown to the server (its session was replaced). */
    void lost() {
        registered = false;
        if (registration.isDone()) {
            registration = new CompletableFuture<>(); // acks wait for the new registration's ack inbox
        }
    }

    boolean isRegistered() {
        return registered || closed;
    }

    /** Returns what this subscription asked for. */
    public SubscriptionOptions options() {
        return options;
    }

    /** Returns the inbox the server delivers to. */
    public String inbox() {
        return inbox;
    }

    /** Returns the ack inbox of the current registration. */
    public String ackInbox() {
        return ackInbox;
    }

    /** Returns the highest sequence received so far (0 before the first message). */
    public long lastSequence() {
        return lastSequence.get();
    }

    /** Returns true once closed or unsubscribed. */
    public boolean isClosed() {
        return closed;
    }
}
