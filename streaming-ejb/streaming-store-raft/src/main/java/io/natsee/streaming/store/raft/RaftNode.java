package io.natsee.streaming.store.raft;

import io.natsee.streaming.store.RecoveredState;
import io.natsee.streaming.store.Store;
import io.natsee.streaming.store.StoreException;
import org.apache.ratis.RaftConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.netty.NettyConfigKeys;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.rpc.SupportedRpcType;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.TimeDuration;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * One node of a streaming cluster: a Ratis server (netty transport) in a group named after the cluster id, whose
 * state machine applies the replicated operations to this node's own store. The serving leader writes through
 * {@link #openForServing()}'s {@link RaftStore}; {@link #isReadyLeader()} tells whether this node may serve.
 */
public final class RaftNode implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(RaftNode.class.getName());
    /** How long a replicated write may take before the leader gives up on it (the publish is then refused). */
    static final long WRITE_TIMEOUT_SECONDS = 10;

    private final ClusterOptions options;
    private final RaftGroupId groupId;
    private final RaftPeerId self;
    private final StoreStateMachine stateMachine;
    private final RaftServer server;
    private final ClientId clientId = ClientId.randomId();
    private final AtomicLong callIds = new AtomicLong();

    /**
     * A node of the cluster {@code clusterId}, applying the log to the store that {@code opener} opens in
     * {@code storeDirectory} (emptied and rebuilt from snapshot and log on every start).
     */
    public RaftNode(String clusterId, ClusterOptions options, Path storeDirectory, Function<Path, Store> opener)
            throws IOException {
        this.options = options;
        this.groupId = RaftGroupId.valueOf(UUID.nameUUIDFromBytes(
                ("natsee-streaming:" + clusterId).getBytes(StandardCharsets.UTF_8)));
        this.self = RaftPeerId.valueOf(options.nodeId());
        List<RaftPeer> peers = options.peers().stream()
                .map(p -> RaftPeer.newBuilder().setId(p.id()).setAddress(p.address()).build()).toList();
        RaftGroup group = RaftGroup.valueOf(groupId, peers);
        Path logPath = options.logPathFor(clusterId).toAbsolutePath();
        Files.createDirectories(logPath);
        this.stateMachine = new StoreStateMachine(storeDirectory, opener);
        boolean existing = Files.isDirectory(logPath.resolve(groupId.getUuid().toString()));
        this.server = RaftServer.newBuilder()
                .setServerId(self)
                .setGroup(group)
                .setProperties(properties(options, logPath))
                .setStateMachine(stateMachine)
                .setOption(existing ? RaftStorage.StartupOption.RECOVER : RaftStorage.StartupOption.FORMAT)
                .build();
    }

    private static RaftProperties properties(ClusterOptions options, Path logPath) {
        RaftProperties properties = new RaftProperties();
        RaftConfigKeys.Rpc.setType(properties, SupportedRpcType.NETTY);
        NettyConfigKeys.Server.setHost(properties, options.self().host());
        NettyConfigKeys.Server.setPort(properties, options.self().port());
        RaftServerConfigKeys.setStorageDir(properties, List.of(logPath.toFile()));
        long election = Math.max(50, options.electionTimeout().toMillis());
        long electionMax = maxElectionTimeout(election);
        RaftServerConfigKeys.Rpc.setTimeoutMin(properties, TimeDuration.valueOf(election, TimeUnit.MILLISECONDS));
        RaftServerConfigKeys.Rpc.setTimeoutMax(properties, TimeDuration.valueOf(electionMax, TimeUnit.MILLISECONDS));
        RaftServerConfigKeys.Rpc.setFirstElectionTimeoutMin(properties,
                TimeDuration.valueOf(election, TimeUnit.MILLISECONDS));
        RaftServerConfigKeys.Rpc.setFirstElectionTimeoutMax(properties,
                TimeDuration.valueOf(electionMax, TimeUnit.MILLISECONDS));
        // A leader that stepped down for lost heartbeats (a CPU-starved moment) would otherwise not stand again for
        // 10 s; if the new leader then dies, that node cannot replace it. Pre-vote already keeps a cut-off node
        // from disrupting the group, so it may stand again after one election timeout.
        RaftServerConfigKeys.LeaderElection.setLeaderStepDownWaitTime(properties,
                TimeDuration.valueOf(electionMax, TimeUnit.MILLISECONDS));
        RaftServerConfigKeys.Rpc.setRequestTimeout(properties,
                TimeDuration.valueOf(Math.max(3000, 3 * election), TimeUnit.MILLISECONDS));
        RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(properties, true);
        RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(properties, options.snapshotThreshold());
        RaftServerConfigKeys.Snapshot.setTriggerWhenStopEnabled(properties, false);
        RaftServerConfigKeys.Snapshot.setRetentionFileNum(properties, 2);
        // Entries are batches of publishes of up to about a megabyte each.
        RaftServerConfigKeys.Log.setSegmentSizeMax(properties, SizeInBytes.valueOf("64MB"));
        RaftServerConfigKeys.Log.setWriteBufferSize(properties, SizeInBytes.valueOf("9MB"));
        RaftServerConfigKeys.Log.Appender.setBufferByteLimit(properties, SizeInBytes.valueOf("8MB"));
        RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(properties, true);
        RaftServerConfigKeys.Log.setPurgePreservationLogNum(properties, 1000);
        return properties;
    }

    /**
     * The longest election timeout for the shortest one, {@code min}: 1.6 times it. A Ratis follower sleeps one
     * random timeout between the two, then stands only if no heartbeat came during that whole sleep; the sleep
     * under way when the leader dies usually saw one, so a dead leader is noticed after up to two timeouts
     * (about {@code 2 * max}). A narrow range keeps that bound low; the spread still separates the candidates.
     */
    static long maxElectionTimeout(long min) {
        return min + min * 3 / 5;
    }

    /** Starts the Raft server: it joins its peers, replays its log into the store and takes part in elections. */
    public void start() throws IOException {
        server.start();
        LOG.log(System.Logger.Level.INFO, "Raft node {0} of group {1} listens on {2}", self, groupId,
                options.self().address());
    }

    public String nodeId() {
        return options.nodeId();
    }

    /** Whether this node leads and has applied every entry of earlier terms: it may serve clients. */
    public boolean isReadyLeader() {
        try {
            RaftServer.Division division = server.getDivision(groupId);
            return division.getInfo().isLeader() && division.getInfo().isLeaderReady();
        } catch (IOException e) {
            return false;
        }
    }

    /** The role as the monitoring names it: Leader, Follower or Candidate. */
    public String role() {
        try {
            RaftServer.Division division = server.getDivision(groupId);
            if (division.getInfo().isLeader()) {
                return "Leader";
            }
            return division.getInfo().isCandidate() ? "Candidate" : "Follower";
        } catch (IOException e) {
            return "Follower";
        }
    }

    /** The current term. */
    public long term() {
        try {
            return server.getDivision(groupId).getInfo().getCurrentTerm();
        } catch (IOException e) {
            return -1;
        }
    }

    /**
     * On the leader, how far behind its slowest follower is: {@code lag} entries that this node applied and the
     * follower's log does not hold yet (0 when it holds them all), and {@code silentMillis} since the follower that
     * answered least recently last answered (a dead follower's grows). Null when this node does not lead.
     */
    public FollowerProgress slowestFollower() {
        try {
            RaftServer.Division division = server.getDivision(groupId);
            long[] matched = division.getInfo().getFollowerMatchIndices();
            var role = division.getInfo().getRoleInfoProto();
            if (matched == null || !division.getInfo().isLeader() || !role.hasLeaderInfo()) {
                return null;
            }
            long applied = division.getInfo().getLastAppliedIndex();
            long lag = 0;
            for (long index : matched) {
                lag = Math.max(lag, applied - index);
            }
            long silent = 0;
            for (var follower : role.getLeaderInfo().getFollowerInfoList()) {
                silent = Math.max(silent, follower.getLastRpcElapsedTimeMs());
            }
            return new FollowerProgress(lag, silent);
        } catch (IOException e) {
            return null;
        }
    }

    /** What {@link #slowestFollower()} gives. */
    public record FollowerProgress(long lag, long silentMillis) {
    }

    /** The longest election timeout in milliseconds: a follower silent for longer is counted as gone. */
    public long maxElectionTimeoutMillis() {
        return maxElectionTimeout(Math.max(50, options.electionTimeout().toMillis()));
    }

    /** The highest log index this node applied to its store. */
    public long appliedIndex() {
        var last = stateMachine.getLastAppliedTermIndex();
        return last == null ? -1 : last.getIndex();
    }

    /**
     * The store to serve from, with what it holds so far: a {@link RaftStore} whose writes are replicated under the
     * current term. Call it once {@link #isReadyLeader()}, before serving.
     */
    public Serving openForServing() {
        long term = term();
        RecoveredState recovered = stateMachine.stateForServing();
        RaftStore store = new RaftStore(this, stateMachine.store(), term);
        return new Serving(store, store.wrap(recovered), term);
    }

    /** What {@link #openForServing()} gives: the replicating store, its recovered state, and the term. */
    public record Serving(RaftStore store, RecoveredState recovered, long term) {
    }

    /** Submits one entry to this node (which must lead) and completes with the state machine's reply. */
    CompletableFuture<byte[]> submit(byte[] entry) {
        RaftClientRequest request = RaftClientRequest.newBuilder()
                .setClientId(clientId)
                .setServerId(self)
                .setGroupId(groupId)
                .setCallId(callIds.incrementAndGet())
                .setMessage(Message.valueOf(ByteString.copyFrom(entry)))
                .setType(RaftClientRequest.writeRequestType())
                .build();
        try {
            return server.submitClientRequestAsync(request).thenApply(RaftNode::replyBytes);
        } catch (IOException e) {
            return CompletableFuture.failedFuture(new StoreException("the Raft node refused the write: " + e, e));
        }
    }

    private static byte[] replyBytes(RaftClientReply reply) {
        if (!reply.isSuccess()) {
            throw new StoreException("stan: not replicated: " + reply.getException());
        }
        return reply.getMessage().getContent().toByteArray();
    }

    /** Stops the Raft server and closes the store. */
    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.ERROR, "closing the Raft node failed", e);
        }
    }
}
