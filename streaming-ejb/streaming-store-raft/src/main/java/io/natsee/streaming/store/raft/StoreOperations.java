package io.natsee.streaming.store.raft;

import io.natsee.streaming.store.Channel;
import io.natsee.streaming.store.ClientRecord;
import io.natsee.streaming.store.NotFoundException;
import io.natsee.streaming.store.ServerInfoRecord;
import io.natsee.streaming.store.Store;
import io.natsee.streaming.store.StoreException;
import io.natsee.streaming.store.SubscriptionRecord;
import io.natsee.streaming.store.TooManyChannelsException;
import io.natsee.streaming.store.TooManySubscriptionsException;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The replicated log's entries: a batch of store operations written by the leader, and their application to a
 * node's own store. An entry opens with the term its leader served in; an entry whose log term differs (a deposed
 * leader's batch) is not applied, on every node alike. The result of the batch's last operation is the reply.
 */
final class StoreOperations {
    private static final System.Logger LOG = System.getLogger(StoreOperations.class.getName());

    static final byte INIT = 1;
    static final byte CHANNEL = 2;
    static final byte DELETE_CHANNEL = 3;
    static final byte ADD_CLIENT = 4;
    static final byte DELETE_CLIENT = 5;
    static final byte APPEND = 6;
    static final byte EXPIRE = 7;
    static final byte SUB_CREATE = 8;
    static final byte SUB_UPDATE = 9;
    static final byte SUB_DELETE = 10;
    static final byte ADD_PENDING = 11;
    static final byte ACK = 12;

    /** Reply kinds. */
    static final byte OK = 0;
    static final byte ERROR = 1;
    static final byte TOO_MANY_CHANNELS = 2;
    static final byte TOO_MANY_SUBSCRIPTIONS = 3;
    static final byte NOT_FOUND = 4;
    static final byte STALE_LEADER = 5;

    private StoreOperations() {
    }

    /** Writes one batch; not thread-safe. */
    static final class Batch {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(4096);
        private final DataOutputStream out = new DataOutputStream(bytes);
        private int count;

        Batch(long term) {
            try {
                out.writeLong(term);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        int count() {
            return count;
        }

        int size() {
            return bytes.size();
        }

        byte[] toByteArray() {
            return bytes.toByteArray();
        }

        Batch init(ServerInfoRecord info) {
            return op(INIT, () -> {
                for (String s : new String[] {info.clusterId(), info.discoverSubject(), info.publishPrefix(),
                        info.subscribeSubject(), info.unsubscribeSubject(), info.closeSubject(),
                        info.subCloseSubject(), info.acksSubject(), info.nodeId()}) {
                    out.writeUTF(s);
                }
            });
        }

        Batch channel(byte kind, String name) {
            return op(kind, () -> out.writeUTF(name));
        }

        Batch addClient(ClientRecord client) {
            return op(ADD_CLIENT, () -> {
                out.writeUTF(client.id());
                out.writeUTF(client.heartbeatInbox());
                bytes(client.connectionId());
                out.writeInt(client.protocol());
                out.writeInt(client.pingIntervalSeconds());
                out.writeInt(client.pingMaxOut());
            });
        }

        Batch deleteClient(String id) {
            return op(DELETE_CLIENT, () -> out.writeUTF(id));
        }

        Batch append(String channel, long sequence, String reply, byte[] data, long timestamp) {
            return op(APPEND, () -> {
                out.writeUTF(channel);
                out.writeLong(sequence);
                out.writeUTF(reply == null ? "" : reply);
                bytes(data);
                out.writeLong(timestamp);
            });
        }

        Batch expire(String channel, long now) {
            return op(EXPIRE, () -> {
                out.writeUTF(channel);
                out.writeLong(now);
            });
        }

        Batch subscription(byte kind, String channel, SubscriptionRecord record) {
            return op(kind, () -> {
                out.writeUTF(channel);
                out.writeLong(record.id());
                out.writeUTF(record.clientId());
                out.writeUTF(record.queueGroup());
                out.writeUTF(record.inbox());
                out.writeUTF(record.ackInbox());
                out.writeInt(record.maxInFlight());
                out.writeInt(record.ackWaitSeconds());
                out.writeUTF(record.durableName());
                out.writeLong(record.lastSent());
                out.writeBoolean(record.durable());
                out.writeBoolean(record.closed());
                out.writeInt(record.attributes().size());
                for (Map.Entry<String, String> attribute : record.attributes().entrySet()) {
                    out.writeUTF(attribute.getKey());
                    out.writeUTF(attribute.getValue());
                }
            });
        }

        Batch position(byte kind, String channel, long subscriptionId, long sequence) {
            return op(kind, () -> {
                out.writeUTF(channel);
                out.writeLong(subscriptionId);
                out.writeLong(sequence);
            });
        }

        private void bytes(byte[] data) throws IOException {
            out.writeInt(data.length);
            out.write(data);
        }

        private Batch op(byte kind, IoAction body) {
            try {
                out.writeByte(kind);
                body.run();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            count++;
            return this;
        }
    }

    private interface IoAction {
        void run() throws IOException;
    }

    /**
     * Applies an entry to the store and returns the reply: the kind of the last operation's outcome and its value
     * (a subscription id, an expired count) or error text. Operations that fail are skipped, identically on every
     * node since every node holds the same state.
     */
    static byte[] apply(Store store, byte[] entry, long logTerm) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(entry))) {
            long term = in.readLong();
            if (term != logTerm) {
                return reply(STALE_LEADER, 0, "stan: the leader of term " + term + " was deposed");
            }
            byte kind = OK;
            long value = 0;
            String error = "";
            while (in.available() > 0) {
                byte op = in.readByte();
                kind = OK;
                value = 0;
                error = "";
                try {
                    value = applyOne(store, op, in);
                } catch (TooManyChannelsException e) {
                    kind = TOO_MANY_CHANNELS;
                    error = e.getMessage();
                } catch (TooManySubscriptionsException e) {
                    kind = TOO_MANY_SUBSCRIPTIONS;
                    error = e.getMessage();
                } catch (NotFoundException e) {
                    kind = NOT_FOUND;
                    error = e.getMessage();
                } catch (StoreException | IllegalArgumentException e) {
                    kind = ERROR;
                    error = String.valueOf(e.getMessage());
                }
            }
            return reply(kind, value, error);
        } catch (IOException e) {
            throw new UncheckedIOException("a replicated entry could not be read", e);
        }
    }

    private static long applyOne(Store store, byte op, DataInputStream in) throws IOException {
        switch (op) {
            case INIT -> {
                store.init(new ServerInfoRecord(in.readUTF(), in.readUTF(), in.readUTF(), in.readUTF(), in.readUTF(),
                        in.readUTF(), in.readUTF(), in.readUTF(), in.readUTF()));
                return 0;
            }
            case CHANNEL -> {
                store.getOrCreateChannel(in.readUTF());
                return 0;
            }
            case DELETE_CHANNEL -> {
                store.deleteChannel(in.readUTF());
                return 0;
            }
            case ADD_CLIENT -> {
                store.addClient(new ClientRecord(in.readUTF(), in.readUTF(), bytes(in), in.readInt(), in.readInt(),
                        in.readInt()));
                return 0;
            }
            case DELETE_CLIENT -> {
                store.deleteClient(in.readUTF());
                return 0;
            }
            case APPEND -> {
                Channel channel = channel(store, in.readUTF());
                long expected = in.readLong();
                String reply = in.readUTF();
                byte[] data = bytes(in);
                long sequence = channel.messages().append(reply, data, in.readLong());
                if (sequence != expected) {
                    LOG.log(System.Logger.Level.ERROR, "replica diverged: channel {0} stored sequence {1}, the"
                            + " leader assigned {2}", channel.name(), sequence, expected);
                }
                return sequence;
            }
            case EXPIRE -> {
                Channel channel = channel(store, in.readUTF());
                return channel.messages().expire(in.readLong());
            }
            case SUB_CREATE, SUB_UPDATE -> {
                Channel channel = channel(store, in.readUTF());
                SubscriptionRecord record = readRecord(in);
                if (op == SUB_CREATE) {
                    return channel.subscriptions().create(record).id();
                }
                channel.subscriptions().update(record);
                return record.id();
            }
            case SUB_DELETE, ADD_PENDING, ACK -> {
                Channel channel = channel(store, in.readUTF());
                long id = in.readLong();
                long sequence = in.readLong();
                switch (op) {
                    case SUB_DELETE -> channel.subscriptions().delete(id);
                    case ADD_PENDING -> channel.subscriptions().addPending(id, sequence);
                    default -> channel.subscriptions().ack(id, sequence);
                }
                return 0;
            }
            default -> throw new StoreException("unknown replicated operation " + op);
        }
    }

    private static SubscriptionRecord readRecord(DataInputStream in) throws IOException {
        long id = in.readLong();
        String clientId = in.readUTF();
        String queueGroup = in.readUTF();
        String inbox = in.readUTF();
        String ackInbox = in.readUTF();
        int maxInFlight = in.readInt();
        int ackWait = in.readInt();
        String durableName = in.readUTF();
        long lastSent = in.readLong();
        boolean durable = in.readBoolean();
        boolean closed = in.readBoolean();
        int attributeCount = in.readInt();
        Map<String, String> attributes = new LinkedHashMap<>();
        for (int i = 0; i < attributeCount; i++) {
            attributes.put(in.readUTF(), in.readUTF());
        }
        return new SubscriptionRecord(id, clientId, queueGroup, inbox, ackInbox, maxInFlight, ackWait, durableName,
                lastSent, durable, closed, attributes);
    }

    private static Channel channel(Store store, String name) {
        Channel channel = store.lookupChannel(name);
        if (channel == null) {
            throw new NotFoundException("channel " + name + " not found");
        }
        return channel;
    }

    private static byte[] bytes(DataInputStream in) throws IOException {
        byte[] data = new byte[in.readInt()];
        in.readFully(data);
        return data;
    }

    static byte[] reply(byte kind, long value, String error) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(16);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(kind);
            out.writeLong(value);
            out.writeUTF(error == null ? "" : error);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** The value of a reply, or the store exception it reports. */
    static long valueOf(byte[] reply) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(reply))) {
            byte kind = in.readByte();
            long value = in.readLong();
            String error = in.readUTF();
            return switch (kind) {
                case OK -> value;
                case TOO_MANY_CHANNELS -> throw new TooManyChannelsException();
                case TOO_MANY_SUBSCRIPTIONS -> throw new TooManySubscriptionsException();
                case NOT_FOUND -> throw new NotFoundException(error);
                default -> throw new StoreException(error);
            };
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether the reply says the batch came from a deposed leader. */
    static boolean isStale(byte[] reply) {
        return reply.length > 0 && reply[0] == STALE_LEADER;
    }
}
