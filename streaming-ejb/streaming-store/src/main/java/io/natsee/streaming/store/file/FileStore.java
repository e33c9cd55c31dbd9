package io.natsee.streaming.store.file;

import io.natsee.streaming.store.Channel;
import io.natsee.streaming.store.ChannelLimits;
import io.natsee.streaming.store.ChannelNames;
import io.natsee.streaming.store.ClientRecord;
import io.natsee.streaming.store.CorruptStoreException;
import io.natsee.streaming.store.NotFoundException;
import io.natsee.streaming.store.RecoveredChannel;
import io.natsee.streaming.store.RecoveredState;
import io.natsee.streaming.store.ServerInfoRecord;
import io.natsee.streaming.store.Store;
import io.natsee.streaming.store.StoreException;
import io.natsee.streaming.store.StoreLimits;
import io.natsee.streaming.store.TooManyChannelsException;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link Store} in a directory: the reference's FILE store.
 *
 * <p>Layout: {@code .rootdir.lck} (the directory lock, see {@link StoreLock}), {@code server.dat}
 * (the server info, replaced atomically), {@code clients.dat} (client records, {@link ClientLog}),
 * and {@code channels/<encoded name>/} per channel ({@link ChannelDirectory}) with
 * {@code channel.dat}, the message segments {@code msgs.<n>.dat} ({@link FileMsgStore}) and
 * {@code subs.dat} ({@link FileSubStore}). Every file is a sequence of records framed with their
 * length and CRC32C; the index of the messages is rebuilt from the segments when the store opens.
 *
 * <p>Durability: changes are buffered; {@link #flush()} writes every buffer out and, when
 * {@link FileStoreOptions#sync()} is on, fsyncs the files it wrote, as one group commit shared by
 * all concurrent callers ({@link GroupCommit}). Channel creation and deletion and the server info
 * are made durable at once. Recovery truncates a torn last record of a log with a warning (logged
 * through {@link System.Logger}, i.e. java.util.logging by default, under this class's name).
 */
public final class FileStore implements Store {

    static final String CHANNELS = "channels";
    static final String SERVER_FILE = "server.dat";
    private static final String DELETED_PREFIX = ".deleted-";
    private static final int SERVER_MAGIC = 0x4E45_5356; // "NESV"
    private static final System.Logger LOG = System.getLogger(FileStore.class.getName());

    /** One open channel with its files. */
    private record OpenChannel(Channel channel, Path directory, FileMsgStore messages, FileSubStore subscriptions) {
    }

    private final Path root;
    private final Path channelsDirectory;
    private final FileStoreOptions options;
    private final StoreLock lock;
    private final ClientLog clients;
    private final AtomicLong subscriptionIds = new AtomicLong();
    /** Open channels in creation order; guarded by this store's lock. */
    private final Map<String, OpenChannel> channels = new LinkedHashMap<>();
    /** The same channels for lookups without the lock (the publish path must not wait for a creation's fsyncs). */
    private final Map<String, OpenChannel> lookup = new ConcurrentHashMap<>();
    private final Set<Durable> dirty = ConcurrentHashMap.newKeySet();
    private final GroupCommit commit = new GroupCommit(this::flushRound);
    private final RecoveredState recovered;
    /** Runs the fsyncs of one flush in parallel; null with one sync thread. */
    private final ThreadPoolExecutor syncPool;
    private volatile StoreLimits limits;
    private long nextChannelOrder = 1;
    /** The server info as last stored (recovered or given to {@link #init}); null before any. */
    private ServerInfoRecord serverInfo;
    private volatile boolean closed;

    /**
     * Opens (or creates) the store in {@code root} and recovers what it holds.
     *
     * @throws io.natsee.streaming.store.StoreLockedException if another process or store holds the directory
     * @throws CorruptStoreException if flushed records cannot be recovered
     * @throws StoreException on an I/O error
     */
    public FileStore(Path root, StoreLimits limits, FileStoreOptions options) {
        this(root, limits, options, null);
    }

    /**
     * Opens (or creates) the store in {@code root}, with the sync threads
     * ({@link FileStoreOptions#syncThreads()}) made by {@code threads} (in an application server,
     * its managed thread factory); null for daemon threads of this store's own. Threads exist
     * only while flushes use them.
     *
     * @throws io.natsee.streaming.store.StoreLockedException if another process or store holds the directory
     * @throws CorruptStoreException if flushed records cannot be recovered
     * @throws StoreException on an I/O error
     */
    public FileStore(Path root, StoreLimits limits, FileStoreOptions options, ThreadFactory threads) {
        this.limits = limits.validate();
        this.options = options;
        this.root = root;
        this.channelsDirectory = root.resolve(CHANNELS);
        try {
            Files.createDirectories(channelsDirectory);
        } catch (IOException e) {
            throw new StoreException("cannot create store directory " + root + ": " + e, e);
        }
        this.lock = StoreLock.acquire(root);
        this.syncPool = options.syncThreads() <= 1 ? null : syncPool(root, options.syncThreads(), threads);
        this.clients = new ClientLog(this, root, options);
        try {
            this.recovered = recoverAll();
        } catch (IOException | RuntimeException e) {
            closeFiles();
            if (syncPool != null) {
                syncPool.shutdownNow();
            }
            lock.close();
            if (e instanceof StoreException storeException) {
                throw storeException;
            }
            throw new StoreException("cannot open file store " + root + ": " + e, e);
        }
    }

    /** A store with the default options. */
    public FileStore(Path root, StoreLimits limits) {
        this(root, limits, FileStoreOptions.DEFAULT);
    }

    private static ThreadPoolExecutor syncPool(Path root, int size,
                                                                   ThreadFactory threads) {
        ThreadFactory factory = threads;
        if (factory == null) {
            AtomicLong count = new AtomicLong();
            String name = "natsee-file-sync-" + root.getFileName() + "-";
            factory = task -> {
                Thread thread = new Thread(task, name + count.incrementAndGet());
                thread.setDaemon(true);
                return thread;
            };
        }
        ThreadPoolExecutor pool = new ThreadPoolExecutor(size, size,
                30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), factory);
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    private RecoveredState recoverAll() throws IOException {
        serverInfo = readServerInfo();
        clients.open();
        List<Path> directories = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(channelsDirectory)) {
            entries.forEach(directories::add);
        }
        List<Map.Entry<ChannelDirectory.Meta, Path>> found = new ArrayList<>();
        for (Path directory : directories) {
            String fileName = directory.getFileName().toString();
            if (fileName.startsWith(DELETED_PREFIX) || !Files.isDirectory(directory)) {
                FileUtil.deleteTree(directory);
                continue;
            }
            ChannelDirectory.Meta meta = ChannelDirectory.readMeta(directory);
            if (meta == null) {
                LOG.log(System.Logger.Level.WARNING, "removed channel directory {0} without {1} (torn creation)",
                        directory, ChannelDirectory.FILE);
                FileUtil.deleteTree(directory);
                continue;
            }
            found.add(Map.entry(meta, directory));
        }
        found.sort(Comparator.comparingLong(entry -> entry.getKey().order()));
        Map<String, RecoveredChannel> recoveredChannels = new LinkedHashMap<>();
        for (Map.Entry<ChannelDirectory.Meta, Path> entry : found) {
            ChannelDirectory.Meta meta = entry.getKey();
            OpenChannel open = openChannel(meta.name(), entry.getValue());
            nextChannelOrder = Math.max(nextChannelOrder, meta.order() + 1);
            recoveredChannels.put(meta.name(), new RecoveredChannel(open.channel(), open.subscriptions().recovered()));
        }
        return new RecoveredState(serverInfo, clients.clients(), recoveredChannels);
    }

    private OpenChannel openChannel(String name, Path directory) throws IOException {
        ChannelLimits channelLimits = limits.forChannel(name);
        FileSubStore subscriptions = new FileSubStore(this, directory, channelLimits, options);
        FileMsgStore messages = null;
        try {
            subscriptions.open();
            messages = FileMsgStore.open(this, name, directory, channelLimits, options);
        } catch (IOException | RuntimeException e) {
            subscriptions.close();
            throw e;
        }
        OpenChannel open = new OpenChannel(new Channel(name, messages, subscriptions, channelLimits), directory,
                messages, subscriptions);
        channels.put(name, open);
        lookup.put(name, open);
        return open;
    }

    // ---- Store ----

    @Override
    public String type() {
        return "FILE";
    }

    @Override
    public RecoveredState recover() {
        return recovered;
    }

    /**
     * The live state, built as {@link #recoverAll()} builds it at open: the same channels (in
     * creation order), clients and subscriptions, each subscription's last sent sequence raised to
     * the highest it was given, as a reopen would find them once this store's changes are flushed.
     */
    @Override
    public synchronized Optional<RecoveredState> currentState() {
        checkOpen();
        Map<String, RecoveredChannel> open = new LinkedHashMap<>();
        for (OpenChannel channel : channels.values()) {
            open.put(channel.channel().name(),
                    new RecoveredChannel(channel.channel(), channel.subscriptions().recovered()));
        }
        return Optional.of(new RecoveredState(serverInfo, clients.clients(), open));
    }

    @Override
    public synchronized void init(ServerInfoRecord info) {
        checkOpen();
        byte[] payload;
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeInt(SERVER_MAGIC);
            out.writeInt(1);
            for (String field : List.of(info.clusterId(), info.discoverSubject(), info.publishPrefix(),
                    info.subscribeSubject(), info.unsubscribeSubject(), info.closeSubject(), info.subCloseSubject(),
                    info.acksSubject(), info.nodeId())) {
                out.writeUTF(field);
            }
            out.flush();
            payload = bytes.toByteArray();
        } catch (IOException e) {
            throw new IllegalArgumentException("server info too long to store: " + e.getMessage(), e);
        }
        try {
            FileUtil.writeAtomically(root.resolve(SERVER_FILE), RecordLog.frame(payload), options.sync());
        } catch (IOException e) {
            throw new StoreException("cannot write " + SERVER_FILE + ": " + e, e);
        }
        serverInfo = info;
    }

    private ServerInfoRecord readServerInfo() throws IOException {
        Path file = root.resolve(SERVER_FILE);
        Files.deleteIfExists(root.resolve(SERVER_FILE + ".tmp"));
        if (!Files.exists(file)) {
            return null;
        }
        ServerInfoRecord[] info = new ServerInfoRecord[1];
        RecordLog.ScanResult result = RecordLog.scan(file, true, (offset, payload) -> {
            RecordReader reader = new RecordReader(payload);
            if (reader.getInt() != SERVER_MAGIC || reader.getInt() != 1) {
                throw new CorruptStoreException(file + " is not a server info file of this version");
            }
            try {
                DataInputStream in = new DataInputStream(new ByteArrayInputStream(reader.rest()));
                info[0] = new ServerInfoRecord(in.readUTF(), in.readUTF(), in.readUTF(), in.readUTF(), in.readUTF(),
                        in.readUTF(), in.readUTF(), in.readUTF(), in.readUTF());
            } catch (IOException e) {
                throw new CorruptStoreException(file + ": bad server info record: " + e, e);
            }
        });
        if (!result.clean() || info[0] == null) {
            throw new CorruptStoreException(file + ": " + (result.problem() == null ? "empty" : result.problem()));
        }
        return info[0];
    }

    @Override
    public StoreLimits limits() {
        return limits;
    }

    @Override
    public void setLimits(StoreLimits newLimits) {
        this.limits = newLimits.validate();
    }

    @Override
    public Channel getOrCreateChannel(String name) {
        OpenChannel existing = lookup.get(name);
        return existing != null ? existing.channel() : createChannel(name);
    }

    private synchronized Channel createChannel(String name) {
        OpenChannel existing = channels.get(name);
        if (existing != null) {
            return existing.channel();
        }
        checkOpen();
        if (!ChannelNames.isValid(name, false)) {
            throw new IllegalArgumentException("invalid channel name \"" + name + "\"");
        }
        StoreLimits current = limits;
        if (current.maxChannels() > 0 && channels.size() >= current.maxChannels()) {
            throw new TooManyChannelsException();
        }
        try {
            Path directory = freeDirectory(name);
            Files.createDirectory(directory);
            ChannelDirectory.writeMeta(directory, new ChannelDirectory.Meta(name, nextChannelOrder++), options.sync());
            if (options.sync()) {
                FileUtil.syncDirectory(channelsDirectory);
            }
            return openChannel(name, directory).channel();
        } catch (IOException e) {
            throw new StoreException("cannot create channel " + name + ": " + e, e);
        }
    }

    /** A directory for a new channel: its encoded name, or with a suffix if a hashed name collides. */
    private Path freeDirectory(String name) throws IOException {
        String encoded = ChannelDirectory.encode(name);
        for (int attempt = 1; ; attempt++) {
            Path candidate = channelsDirectory.resolve(attempt == 1 ? encoded : encoded + "~" + attempt);
            if (!Files.exists(candidate)) {
                return candidate;
            }
            ChannelDirectory.Meta meta = ChannelDirectory.readMeta(candidate);
            if (meta == null || meta.name().equals(name)) {
                // A stale directory of this channel that is not open: the remains of a torn creation.
                FileUtil.deleteTree(candidate);
                return candidate;
            }
        }
    }

    @Override
    public Channel lookupChannel(String name) {
        OpenChannel open = lookup.get(name);
        return open == null ? null : open.channel();
    }

    @Override
    public synchronized Collection<Channel> channels() {
        List<Channel> result = new ArrayList<>(channels.size());
        for (OpenChannel open : channels.values()) {
            result.add(open.channel());
        }
        return result;
    }

    @Override
    public synchronized void deleteChannel(String name) {
        checkOpen();
        OpenChannel open = channels.get(name);
        if (open == null) {
            throw new NotFoundException("channel " + name + " not found");
        }
        clients.recordIdFloorNow(subscriptionIds.get());
        channels.remove(name);
        lookup.remove(name);
        open.messages().close();
        open.subscriptions().close();
        dirty.remove(open.messages());
        dirty.remove(open.subscriptions());
        Path doomed = channelsDirectory.resolve(DELETED_PREFIX + open.directory().getFileName() + "-"
                + System.nanoTime());
        try {
            Files.move(open.directory(), doomed, StandardCopyOption.ATOMIC_MOVE);
            if (options.sync()) {
                FileUtil.syncDirectory(channelsDirectory);
            }
        } catch (IOException e) {
            throw new StoreException("cannot delete channel " + name + ": " + e, e);
        }
        try {
            FileUtil.deleteTree(doomed);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot remove the files of deleted channel {0} in {1}: {2}", name,
                    doomed, e.toString());
        }
    }

    @Override
    public void addClient(ClientRecord client) {
        checkOpen();
        clients.add(client);
    }

    @Override
    public void deleteClient(String clientId) {
        checkOpen();
        clients.delete(clientId);
    }

    @Override
    public Collection<ClientRecord> clients() {
        return clients.clients();
    }

    @Override
    public void flush() {
        checkOpen();
        commit.commit();
    }

    /** One group-commit round: every dirty part writes out, then the written files are synced. */
    private void flushRound() throws IOException {
        Durable.Batch batch = new Durable.Batch();
        for (Durable part : dirty) {
            dirty.remove(part);
            part.writeOut(batch);
        }
        if (!options.sync()) {
            return;
        }
        forceAll(batch.logs);
        for (Path directory : batch.directories) {
            try {
                FileUtil.syncDirectory(directory);
            } catch (NoSuchFileException e) {
                // The channel was deleted meanwhile.
            }
        }
    }

    /** Forces the logs, in parallel on the sync pool when there are several; rethrows the first failure. */
    private void forceAll(List<RecordLog> logs) throws IOException {
        if (syncPool == null || logs.size() < 2) {
            for (RecordLog log : logs) {
                force(log);
            }
            return;
        }
        List<Future<?>> pending = new ArrayList<>(logs.size() - 1);
        for (int i = 1; i < logs.size(); i++) {
            RecordLog log = logs.get(i);
            pending.add(syncPool.submit(() -> {
                force(log);
                return null;
            }));
        }
        IOException failure = null;
        try {
            force(logs.get(0));
        } catch (IOException e) {
            failure = e;
        }
        boolean interrupted = false;
        for (Future<?> future : pending) {
            while (true) {
                try {
                    future.get();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    if (failure == null) {
                        failure = e.getCause() instanceof IOException io ? io
                                : new IOException("fsync failed: " + e.getCause(), e.getCause());
                    }
                    break;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static void force(RecordLog log) throws IOException {
        try {
            log.force();
        } catch (ClosedChannelException e) {
            // Closed since: compacted (the new file was synced) or its channel was deleted.
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        try {
            commit.commit();
        } catch (StoreException e) {
            LOG.log(System.Logger.Level.WARNING, "file store {0}: last flush failed on close: {1}", root,
                    e.getMessage());
        }
        synchronized (this) {
            closeFiles();
        }
        if (syncPool != null) {
            syncPool.shutdown();
        }
        lock.close();
    }

    private void closeFiles() {
        for (OpenChannel open : channels.values()) {
            open.messages().close();
            open.subscriptions().close();
        }
        clients.close();
    }

    // ---- for the parts ----

    void markDirty(Durable part) {
        dirty.add(part);
    }

    long nextSubscriptionId() {
        return subscriptionIds.incrementAndGet();
    }

    void observeSubscriptionId(long id) {
        subscriptionIds.accumulateAndGet(id, Math::max);
    }

    long currentSubscriptionId() {
        return subscriptionIds.get();
    }

    /** Group-commit rounds run so far (for tests and measurements). */
    long flushRounds() {
        return commit.rounds();
    }

    /** The directory of a channel (for tests). */
    synchronized Path directoryOf(String name) {
        OpenChannel open = channels.get(name);
        return open == null ? null : open.directory();
    }

    /** The subscription log of a channel (for tests). */
    synchronized FileSubStore subscriptionLog(String name) {
        OpenChannel open = channels.get(name);
        return open == null ? null : open.subscriptions();
    }

    /** The client log (for tests). */
    ClientLog clientLog() {
        return clients;
    }

    private void checkOpen() {
        if (closed) {
            throw new StoreException("file store " + root + " is closed");
        }
    }

    @Override
    public String toString() {
        return "FileStore[" + root + "]";
    }
}
