package io.natsee.streaming.server;

import com.google.protobuf.InvalidProtocolBufferException;
import io.nats.client.Message;
import io.natsee.streaming.protocol.PubAck;
import io.natsee.streaming.protocol.PubMsg;
import io.natsee.streaming.store.ChannelNames;
import io.natsee.streaming.store.StoreException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Client publishes, a batch at a time: each is checked and appended to its channel's log, the store is flushed
 * once for the whole batch, and only then are the PubAcks sent and the new messages delivered.
 */
final class PublishPipeline {
    private static final System.Logger LOG = System.getLogger(PublishPipeline.class.getName());
    static final String INVALID_PUBLISH = "stan: invalid publish request";

    private final ServerState state;
    private final Deliveries deliveries;
    private final List<String> ackSubjects = new ArrayList<>();
    private final List<String> ackGuids = new ArrayList<>();
    private final Set<ChannelState> touched = new LinkedHashSet<>();

    PublishPipeline(ServerState state, Deliveries deliveries) {
        this.state = state;
        this.deliveries = deliveries;
    }

    /** Caller is the engine thread. */
    void handle(List<Message> batch) {
        long now = state.nowNanos();
        for (Message message : batch) {
            append(message, now);
        }
        if (!ackSubjects.isEmpty()) {
            try {
                state.flushNow();
            } catch (StoreException e) {
                LOG.log(System.Logger.Level.ERROR, "the store failed to flush {0} publishes: {1}",
                        ackSubjects.size(), e.getMessage());
                for (int i = 0; i < ackSubjects.size(); i++) {
                    refuse(ackSubjects.get(i), ackGuids.get(i), e.getMessage());
                }
                ackSubjects.clear();
                ackGuids.clear();
                touched.clear();
                return;
            }
            for (int i = 0; i < ackSubjects.size(); i++) {
                String reply = ackSubjects.get(i);
                if (reply != null && !reply.isEmpty()) {
                    state.publish(reply, PubAck.newBuilder().setGuid(ackGuids.get(i)).build().toByteArray());
                }
            }
        }
        for (ChannelState channel : touched) {
            channel.lastActivityNanos = now;
            channel.deliverAvailable(deliveries);
        }
        ackSubjects.clear();
        ackGuids.clear();
        touched.clear();
    }

    private void append(Message message, long now) {
        byte[] payload = message.getData();
        PubMsg publish;
        try {
            publish = PubMsg.parseFrom(payload == null ? new byte[0] : payload);
        } catch (InvalidProtocolBufferException e) {
            LOG.log(System.Logger.Level.ERROR, "Unable to unmarshal PubMsg: {0}", e.getMessage());
            refuse(message.getReplyTo(), "", INVALID_PUBLISH);
            return;
        }
        state.inMsgs.incrementAndGet();
        state.inBytes.addAndGet(payload.length);
        if (publish.getGuid().isEmpty() || !ChannelNames.isValid(publish.getSubject(), false)
                || !isValidClient(publish)) {
            LOG.log(System.Logger.Level.ERROR, "Received invalid client publish message (client {0}, subject {1})",
                    publish.getClientID(), publish.getSubject());
            refuse(message.getReplyTo(), publish.getGuid(), INVALID_PUBLISH);
            return;
        }
        ChannelState channel;
        try {
            channel = state.channel(publish.getSubject());
            channel.log.append(publish.getReply(), publish.getData().toByteArray(), now);
        } catch (StoreException e) {
            LOG.log(System.Logger.Level.ERROR, "[Client:{0}] publish on {1} not stored: {2}",
                    publish.getClientID(), publish.getSubject(), e.getMessage());
            refuse(message.getReplyTo(), publish.getGuid(), e.getMessage());
            return;
        }
        touched.add(channel);
        ackSubjects.add(message.getReplyTo());
        ackGuids.add(publish.getGuid());
    }

    private boolean isValidClient(PubMsg publish) {
        ClientState client = state.clients.get(publish.getClientID());
        if (client == null) {
            return false;
        }
        byte[] connectionId = publish.getConnID().toByteArray();
        return connectionId.length == 0 || Arrays.equals(connectionId, client.connectionId);
    }

    private void refuse(String reply, String guid, String error) {
        if (reply != null && !reply.isEmpty()) {
            state.publish(reply, PubAck.newBuilder().setGuid(guid).setError(error).build().toByteArray());
        }
    }
}
