package io.natsee.streaming.store.raft;

import io.natsee.streaming.store.RecoveredState;
import io.natsee.streaming.store.Store;
import org.apache.ratis.io.MD5Hash;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.statemachine.impl.SimpleStateMachineStorage;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.util.MD5FileUtil;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The Ratis state machine of a streaming cluster: applies the committed entries, in log order, to this node's own
 * store. That store is a materialised view of the log: on every start it is rebuilt from the latest snapshot (a
 * zip of the store directory taken at an applied index) and the entries after it, so an operation that a crashed
 * leader stored but never committed cannot survive anywhere.
 *
 * <p>Only this class writes to the store; the serving leader reads it (the store is thread-safe) and writes
 * through {@link RaftStore}, which replicates. Applying, snapshots and reopening hold this object's lock.
 */
final class StoreStateMachine extends BaseStateMachine {
    private static final System.Logger LOG = System.getLogger(StoreStateMachine.class.getName());

    /** Marks a store directory as a replica that may be emptied and rebuilt. */
    static final String MARKER = ".cluster-replica";

    private final SimpleStateMachineStorage storage = new SimpleStateMachineStorage();
    private final Path storeDirectory;
    private final Function<Path, Store> opener;
    private volatile Store store;

    StoreStateMachine(Path storeDirectory, Function<Path, Store> opener) {
        this.storeDirectory = storeDirectory.toAbsolutePath().normalize();
        this.opener = opener;
    }

    @Override
    public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage) throws IOException {
        super.initialize(server, groupId, raftStorage);
        storage.init(raftStorage);
        restoreLatest();
    }

    @Override
    public synchronized void reinitialize() throws IOException {
        closeStore();
        restoreLatest();
    }

    /** Rebuilds the store from the latest snapshot (or empty); the log after it is applied by Ratis. */
    private synchronized void restoreLatest() throws IOException {
        Path marker = storeDirectory.resolve(MARKER);
        if (Files.isDirectory(storeDirectory) && !Files.exists(marker)) {
            try (var entries = Files.list(storeDirectory)) {
                if (entries.findAny().isPresent()) {
                    throw new IOException("the store directory " + storeDirectory + " holds a store that is not a"
                            + " cluster replica: a clustered node rebuilds its store from the Raft log, give it an"
                            + " empty directory");
                }
            }
        }
        SingleFileSnapshotInfo snapshot = storage.loadLatestSnapshot();
        if (snapshot != null) {
            SnapshotArchive.unpack(snapshot.getFile().getPath(), storeDirectory);
            setLastAppliedTermIndex(snapshot.getTermIndex());
            LOG.log(System.Logger.Level.INFO, "store restored from the snapshot at {0}", snapshot.getTermIndex());
        } else {
            SnapshotArchive.clear(storeDirectory);
            setLastAppliedTermIndex(null);
        }
        Files.writeString(marker, "rebuilt from the Raft log on every start\n");
        store = opener.apply(storeDirectory);
    }

    @Override
    public StateMachineStorage getStateMachineStorage() {
        return storage;
    }

    @Override
    public synchronized CompletableFuture<Message> applyTransaction(TransactionContext transaction) {
        LogEntryProto entry = transaction.getLogEntry();
        byte[] data = entry.getStateMachineLogEntry().getLogData().toByteArray();
        byte[] reply;
        try {
            reply = StoreOperations.apply(store, data, entry.getTerm());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "entry " + entry.getIndex() + " could not be applied", e);
            reply = StoreOperations.reply(StoreOperations.ERROR, 0, String.valueOf(e.getMessage()));
        }
        updateLastAppliedTermIndex(entry.getTerm(), entry.getIndex());
        return CompletableFuture.completedFuture(Message.valueOf(
                org.apache.ratis.thirdparty.com.google.protobuf.ByteString.copyFrom(reply)));
    }

    @Override
    public synchronized long takeSnapshot() throws IOException {
        TermIndex last = getLastAppliedTermIndex();
        if (last == null || last.getIndex() < 0 || store == null) {
            return -1;
        }
        store.flush();
        File file = storage.getSnapshotFile(last.getTerm(), last.getIndex());
        SnapshotArchive.pack(storeDirectory, file.toPath());
        MD5Hash md5 = MD5FileUtil.computeAndSaveMd5ForFile(file);
        storage.updateLatestSnapshot(new SingleFileSnapshotInfo(new FileInfo(file.toPath(), md5), last));
        LOG.log(System.Logger.Level.DEBUG, "snapshot taken at {0} ({1} bytes)", last, Files.size(file.toPath()));
        return last.getIndex();
    }

    /** The store as applied so far. */
    Store store() {
        return store;
    }

    /**
     * The state of everything applied so far, for a node that is about to serve; nothing is applied meanwhile. The
     * store's live state where it can tell it ({@link Store#currentState()}: the file store can), so the failover
     * does not read every stored message again; otherwise the store is closed and reopened.
     */
    synchronized RecoveredState stateForServing() {
        long started = System.nanoTime();
        Store current = store;
        Optional<RecoveredState> live = current == null ? Optional.empty() : current.currentState();
        RecoveredState state;
        if (live.isPresent()) {
            state = live.get();
        } else {
            closeStore();
            store = opener.apply(storeDirectory);
            state = store.recover();
        }
        LOG.log(System.Logger.Level.INFO, "replica state for serving: {0} channel(s), {1} client(s), {2} in {3} ms",
                state.channels().size(), state.clients().size(), live.isPresent() ? "live" : "reopened",
                (System.nanoTime() - started) / 1_000_000);
        return state;
    }

    private void closeStore() {
        Store current = store;
        store = null;
        if (current != null) {
            try {
                current.close();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "closing the replica store failed", e);
            }
        }
    }

    @Override
    public synchronized void close() throws IOException {
        closeStore();
        super.close();
    }
}
