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
        while (running) {
            try {
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
