package io.natsee.streaming.store.file;

import io.natsee.streaming.store.ClientRecord;
import io.natsee.streaming.store.CorruptStoreException;
import io.natsee.streaming.store.StoreException;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The store's client records in {@code clients.dat}: a log of add and delete records, plus the
 * store-wide subscription id floor (so that ids stay unique after the channel holding the highest
 * one was deleted), compacted when mostly obsolete.
 */
final class ClientLog extends CompactedLog {

    static final String FILE = "clients.dat";
    private static final int MAGIC = 0x4E45_434C; // "NECL"
    private static final int ADD = 1;
    private static final int DELETE = 2;
    private static final int ID_FLOOR = 3;

    private final Map<String, ClientRecord> clients = new LinkedHashMap<>();
    private final Map<String, Integer> recordBytes = new LinkedHashMap<>();
    private long liveBytes;

    ClientLog(FileStore store, Path root, FileStoreOptions options) {
        super(store, root.resolve(FILE), MAGIC, options);
    }

    synchronized void add(ClientRecord client) {
        RecordLog log = log();
        long start = log.position();
        writeAdd(log, client);
        int bytes = (int) (log.position() - start);
        Integer previous = recordBytes.put(client.id(), bytes);
        liveBytes += bytes - (previous == null ? 0 : previous);
        clients.put(client.id(), client);
        appended();
    }

    synchronized void delete(String clientId) {
        if (!clients.containsKey(clientId)) {
            return;
        }
        RecordLog log = log();
        log.begin();
        log.putByte(DELETE);
        log.putString(clientId);
        log.end();
        clients.remove(clientId);
        liveBytes -= recordBytes.remove(clientId);
        appended();
    }

    synchronized List<ClientRecord> clients() {
        return new ArrayList<>(clients.values());
    }

    /** Records the subscription id floor and makes it durable now (before a channel's files go). */
    synchronized void recordIdFloorNow(long floor) {
        RecordLog log = log();
        log.begin();
        log.putByte(ID_FLOOR);
        log.putLong(floor);
        log.end();
        try {
            syncNow();
        } catch (IOException e) {
            throw new StoreException("cannot write " + FILE + ": " + e, e);
        }
    }

    private static void writeAdd(RecordLog log, ClientRecord client) {
        log.begin();
        log.putByte(ADD);
        log.putString(client.id());
        log.putString(client.heartbeatInbox());
        log.putBlob(client.connectionId());
        log.putInt(client.protocol());
        log.putInt(client.pingIntervalSeconds());
        log.putInt(client.pingMaxOut());
        log.end();
    }

    @Override
    protected void replay(int type, RecordReader record, long offset) {
        switch (type) {
            case ADD -> {
                ClientRecord client = new ClientRecord(record.getString(), record.getString(), record.getBlob(),
                        record.getInt(), record.getInt(), record.getInt());
                int bytes = RecordLog.FRAME + record.length();
                Integer previous = recordBytes.put(client.id(), bytes);
                liveBytes += bytes - (previous == null ? 0 : previous);
                clients.put(client.id(), client);
            }
            case DELETE -> {
                String id = record.getString();
                if (clients.remove(id) != null) {
                    liveBytes -= recordBytes.remove(id);
                }
            }
            case ID_FLOOR -> store.observeSubscriptionId(record.getLong());
            default -> throw new CorruptStoreException("unknown record type " + type + " at offset " + offset);
        }
    }

    @Override
    protected void writeSnapshot(RecordLog target) {
        target.begin();
        target.putByte(ID_FLOOR);
        target.putLong(store.currentSubscriptionId());
        target.end();
        for (ClientRecord client : clients.values()) {
            long start = target.position();
            writeAdd(target, client);
            recordBytes.put(client.id(), (int) (target.position() - start));
        }
    }

    @Override
    protected long liveBytes() {
        return liveBytes;
    }
}
