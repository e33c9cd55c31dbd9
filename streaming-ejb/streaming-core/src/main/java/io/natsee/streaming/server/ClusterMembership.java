package io.natsee.streaming.server;

import io.natsee.streaming.store.Store;
import io.natsee.streaming.store.file.FileStore;
import io.natsee.streaming.store.file.FileStoreOptions;
import io.natsee.streaming.store.raft.RaftNode;
import io.natsee.streaming.store.raft.RaftStore;

import java.io.IOException;
import java.util.concurrent.ThreadFactory;

/**
 * Clustered mode's leadership gating: runs this node's {@link RaftNode} and watches its role. When the node leads
 * (and has applied every earlier entry) the server serves clients from the replicated store, as after a restart:
 * clients, subscriptions and unacknowledged messages come from the store, redeliveries start again. When it stops
 * leading, or a replicated write fails, the server stops serving; a follower only applies the log.
 */
final class ClusterMembership implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ClusterMembership.class.getName());
    /** How often the role is checked: bounds the delay between an election and serving. */
    static final long WATCH_MILLIS = 20;
    /** A leader reports its followers in step when each answered lately and lags by at most this many entries... */
    static final long IN_STEP_ENTRIES = 1;
    /** ...and one behind again once it lags by more than this many (entries are batches) or stops answering. */
    static final long BEHIND_ENTRIES = 10;

    /** Held so that the level set on it stays (java.util.logging keeps loggers weakly). */
    private static final java.util.logging.Logger RATIS_LOGGER = java.util.logging.Logger.getLogger("org.apache.ratis");

    private final StreamingServer server;
    private final StreamingOptions options;
    private final ThreadFactory threadFactory;
    private RaftNode node;
    private Thread watcher;
    private volatile boolean running;
    /** The store being served from; null when not serving. Watcher thread only. */
    private RaftStore serving;

    ClusterMembership(StreamingServer server, StreamingOptions options, ThreadFactory threadFactory) {
        this.server = server;
        this.options = options;
        this.threadFactory = threadFactory;
    }

    void start() throws IOException {
        // Ratis and its netty log through java.util.logging at INFO (every connection); only with raft_logging.
        RATIS_LOGGER.setLevel(options.cluster().raftLogging() ? java.util.logging.Level.INFO
                : java.util.logging.Level.WARNING);
        LOG.log(System.Logger.Level.INFO, "Cluster Node ID : {0}", options.cluster().nodeId());
        LOG.log(System.Logger.Level.INFO, "Cluster Log Path: {0}", options.cluster().logPathFor(options.clusterId()));
        node = new RaftNode(options.clusterId(), options.cluster(), options.directory(), this::openReplica);
        node.start();
        running = true;
        watcher = threadFactory.newThread(this::watch);
        watcher.setName("streaming-cluster-" + options.cluster().nodeId());
        watcher.setDaemon(true);
        watcher.start();
    }

    /** This node's own store: a file store without fsync (the Raft log is the durable copy; see {@link RaftNode}). */
    private Store openReplica(java.nio.file.Path directory) {
        return new FileStore(directory, options.limits(), FileStoreOptions.DEFAULT.withSync(false));
    }

    String role() {
        RaftNode current = node;
        return current == null ? "Follower" : current.role();
    }

    private void watch() {
        String reported = "";
        boolean inStep = false;
        while (running) {
            try {
                reported = reportRole(reported);
                inStep = reportFollowers(inStep);
                if (serving == null) {
                    if (node.isReadyLeader()) {
                        lead();
                    }
                } else if (serving.failed() || !node.isReadyLeader() || node.term() != serving.term()) {
                    LOG.log(System.Logger.Level.INFO, "server lost leadership, stopping serving");
                    step();
                }
                Thread.sleep(WATCH_MILLIS);
            } catch (InterruptedException e) {
                break;
            } catch (Exception | Error e) {
                LOG.log(System.Logger.Level.ERROR, "leader promotion failed", e);
                step();
                try {
                    Thread.sleep(500);
                } catch (InterruptedException interrupted) {
                    break;
                }
            }
        }
    }

    /**
     * Logs this node's Raft role when it changed (role and term; a leader also says whether it applied the earlier
     * terms' entries yet): the steps of a failover can then be timed from the log. Returns what it reported.
     */
    private String reportRole(String reported) {
        String role = node.role();
        String now = role + " in term " + node.term()
                + ("Leader".equals(role) && !node.isReadyLeader() ? ", applying the earlier entries" : "");
        if (!now.equals(reported)) {
            LOG.log(System.Logger.Level.INFO, "Raft role: {0}", now);
        }
        return now;
    }

    /**
     * On the leader, logs when every follower answers and its log has caught up with the applied entries, and when
     * one falls behind or goes silent (with hysteresis, so a busy log does not flap): a restarted node's catch-up is
     * visible, and a failover is fast only while the surviving majority is in step. Returns the state reported.
     */
    private boolean reportFollowers(boolean inStep) {
        RaftNode.FollowerProgress slowest = node.slowestFollower();
        if (slowest == null) {
            return false;
        }
        boolean silent = slowest.silentMillis() > node.maxElectionTimeoutMillis();
        if (!inStep && !silent && slowest.lag() <= IN_STEP_ENTRIES) {
            LOG.log(System.Logger.Level.INFO, "Raft followers: all in step (at index {0})", node.appliedIndex());
            return true;
        }
        if (inStep && (silent || slowest.lag() > BEHIND_ENTRIES)) {
            LOG.log(System.Logger.Level.INFO, "Raft followers: one is behind ({0} entries, silent for {1} ms)",
                    slowest.lag(), slowest.silentMillis());
            return false;
        }
        return inStep;
    }

    private void lead() throws IOException, InterruptedException {
        LOG.log(System.Logger.Level.INFO, "server became leader, performing leader promotion actions");
        RaftNode.Serving opened = node.openForServing();
        serving = opened.store();
        server.serveAsLeader(opened.store(), opened.recovered(), options.cluster().nodeId());
        LOG.log(System.Logger.Level.INFO, "finished leader promotion actions");
    }

    private void step() {
        server.stopServing();
        serving = null;
    }

    @Override
    public void close() {
        running = false;
        if (watcher != null) {
            watcher.interrupt();
            try {
                watcher.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        server.stopServing();
        if (node != null) {
            node.close();
        }
    }
}
