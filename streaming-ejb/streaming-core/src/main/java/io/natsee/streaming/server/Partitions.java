package io.natsee.streaming.server;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.nats.client.NUID;
import io.nats.client.Subscription;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Channel partitioning ({@code partitioning: true}): this server owns the channels (patterns allowed) listed in
 * {@code store_limits.channels}, and servers with the same cluster id must own disjoint sets. At start the list is
 * sent on {@code _STAN.part.<cid>}; every other server answers with the first channel both own (empty when none),
 * and a conflict refuses the start, as the reference does. When the NATS cluster's topology changes (a NATS server
 * joins: the connection learns new server URLs), the list is sent again after {@link #WAIT_ON_TOPOLOGY_CHANGE}, so
 * that two servers that started apart, each checking alone, find their overlap once their NATS servers connect; a
 * conflict then stops the server, as the reference's fatal error does. Publishes, subscriptions and unsubscriptions
 * on channels this server does not own are left to the others, unanswered.
 */
final class Partitions {
    private static final System.Logger LOG = System.getLogger(Partitions.class.getName());
    static final String PREFIX = "_STAN.part";
    /** How long the start waits for conflict answers, as the reference. */
    static final Duration REPLY_WAIT = Duration.ofSeconds(1);
    /** How long after a topology change the list is sent again: the joining NATS server forwards its interest first. */
    static final Duration WAIT_ON_TOPOLOGY_CHANGE = Duration.ofMillis(500);
    /** The reference's error when partitioning has no channel list. */
    static final String NO_CHANNEL = "stan: no configured channel";

    private final List<String> channels;
    private final String serverId;
    private final String subject;
    private final Connection nats;
    private Dispatcher dispatcher;
    /** A re-check is scheduled and has not started sending yet: further changes need no other. */
    private final AtomicBoolean recheckPending = new AtomicBoolean();
    private volatile boolean closed;

    Partitions(List<String> channels, String serverId, String clusterId, Connection nats) {
        if (channels.isEmpty()) {
            throw new IllegalArgumentException(NO_CHANNEL);
        }
        this.channels = List.copyOf(channels);
        this.serverId = serverId;
        this.subject = PREFIX + "." + clusterId;
        this.nats = nats;
    }

    List<String> channels() {
        return channels;
    }

    /** Whether a channel (a literal name) is this server's. */
    boolean owns(String channel) {
        for (String pattern : channels) {
            if (matches(pattern, channel)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Answers other servers' lists, then sends this server's list and waits {@link #REPLY_WAIT} for conflicts.
     *
     * @throws IllegalStateException with the reference's text on a conflict
     */
    void start() throws IOException, InterruptedException {
        dispatcher = nats.createDispatcher(this::answer);
        dispatcher.subscribe(subject);
        checkUnique();
    }

    /**
     * The NATS cluster's topology changed: after {@link #WAIT_ON_TOPOLOGY_CHANGE}, on a thread of {@code threads},
     * the list is sent again; a conflict goes to {@code fatal} with the reference's text
     * ({@code Partitioning error: channel "x" causes conflict with channels on server "y"}).
     */
    void topologyChanged(ThreadFactory threads, Consumer<String> fatal) {
        if (closed || recheckPending.getAndSet(true)) {
            return;
        }
        Thread recheck = threads.newThread(() -> {
            try {
                Thread.sleep(WAIT_ON_TOPOLOGY_CHANGE.toMillis());
                recheckPending.set(false);
                if (!closed) {
                    LOG.log(System.Logger.Level.DEBUG, "NATS topology changed, checking the channels partition again");
                    checkUnique();
                }
            } catch (IllegalStateException e) {
                if (!closed) {
                    fatal.accept("Partitioning error: " + e.getMessage());
                }
            } catch (IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "Partitioning check after a topology change failed: {0}",
                        String.valueOf(e.getMessage()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        recheck.setName("streaming-partitions-recheck");
        recheck.setDaemon(true);
        recheck.start();
    }

    /**
     * Sends this server's list and waits {@link #REPLY_WAIT} for conflicts; one check at a time.
     *
     * @throws IllegalStateException with the reference's text on a conflict
     */
    private synchronized void checkUnique() throws IOException, InterruptedException {
        String inbox = "_INBOX." + NUID.nextGlobal();
        Subscription replies = nats.subscribe(inbox);
        try {
            nats.flush(Duration.ofSeconds(5));
            nats.publish(subject, inbox,
                    new ControlMessage(ControlMessage.PARTITIONING, serverId, ControlMessage.channels(channels)).encode());
            nats.flush(Duration.ofSeconds(5));
            long deadline = System.nanoTime() + REPLY_WAIT.toNanos();
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                Message reply = replies.nextMessage(Duration.ofNanos(left));
                if (reply == null) {
                    break;
                }
                ControlMessage answer = ControlMessage.decode(reply.getData());
                if (answer == null) {
                    throw new IllegalStateException("unable to decode partitioning response");
                }
                if (answer.data().length > 0) {
                    throw new IllegalStateException("channel \"" + new String(answer.data(),
                            java.nio.charset.StandardCharsets.UTF_8) + "\" causes conflict with channels on server \""
                            + answer.serverId() + "\"");
                }
            }
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IOException("the NATS server did not confirm the partitioning subscription", e);
        } finally {
            replies.unsubscribe();
        }
    }

    /** Another server's list: the reply names the first channel both own, or nothing. */
    private void answer(Message message) {
        if (message.getReplyTo() == null || message.getData() == null || message.getData().length == 0) {
            return;
        }
        ControlMessage request = ControlMessage.decode(message.getData());
        if (request == null || request.serverId().equals(serverId)) {
            return;
        }
        List<String> theirs = ControlMessage.channels(request.data());
        if (theirs == null) {
            LOG.log(System.Logger.Level.ERROR, "Error processing partitioning request: cut channel list");
            return;
        }
        String conflict = "";
        for (String channel : theirs) {
            if (ownsAsSubject(channels, channel)) {
                conflict = channel;
                break;
            }
        }
        if (conflict.isEmpty()) {
            for (String channel : channels) {
                if (ownsAsSubject(theirs, channel)) {
                    conflict = channel;
                    break;
                }
            }
        }
        nats.publish(message.getReplyTo(), new ControlMessage(ControlMessage.PARTITIONING, serverId,
                conflict.getBytes(java.nio.charset.StandardCharsets.UTF_8)).encode());
    }

    private static boolean ownsAsSubject(List<String> patterns, String subject) {
        for (String pattern : patterns) {
            if (matches(pattern, subject)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a pattern ({@code *} one token, {@code >} the rest) matches a subject whose tokens are taken
     * literally, as the reference's sublist matches: {@code foo.*} matches {@code foo.bar} and {@code foo.*}, while
     * {@code foo.bar} does not match {@code foo.*}.
     */
    static boolean matches(String pattern, String subject) {
        String[] patternTokens = pattern.split("\\.", -1);
        String[] subjectTokens = subject.split("\\.", -1);
        for (int i = 0; i < patternTokens.length; i++) {
            String token = patternTokens[i];
            if (token.equals(">")) {
                return subjectTokens.length > i;
            }
            if (i >= subjectTokens.length) {
                return false;
            }
            if (!token.equals("*") && !token.equals(subjectTokens[i])) {
                return false;
            }
        }
        return patternTokens.length == subjectTokens.length;
    }

    void close() {
        closed = true;
        if (dispatcher != null) {
            try {
                nats.closeDispatcher(dispatcher);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "closing the partitioning dispatcher: {0}", e.getMessage());
            }
        }
    }
}
