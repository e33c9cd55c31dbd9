package io.natsee.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.google.protobuf.ByteString;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.natsee.streaming.protocol.CloseRequest;
import io.natsee.streaming.protocol.CloseResponse;
import io.natsee.streaming.protocol.ConnectRequest;
import io.natsee.streaming.protocol.ConnectResponse;
import java.time.Duration;

/** A streaming client's connect and close over a NATS connection, with the protocol's generated classes. */
public final class StreamingSession {

    private StreamingSession() {
    }

    /** Connects {@code clientId} to cluster {@code clusterId} (its heartbeats answered) and returns the server's subjects. */
    public static ConnectResponse connect(Connection nc, String clusterId, String clientId) throws Exception {
        String heartbeats = nc.createInbox();
        nc.createDispatcher(beat -> nc.publish(beat.getReplyTo(), new byte[0])).subscribe(heartbeats);
        ConnectRequest request = ConnectRequest.newBuilder().setClientID(clientId).setHeartbeatInbox(heartbeats)
                .setProtocol(1).setConnID(ByteString.copyFromUtf8("conn-" + clientId)).setPingInterval(5).setPingMaxOut(3).build();
        Message reply = nc.request("_STAN.discover." + clusterId, request.toByteArray(), Duration.ofSeconds(10));
        assertNotNull(reply, "the streaming server answered the connect");
        ConnectResponse response = ConnectResponse.parseFrom(reply.getData());
        assertEquals("", response.getError());
        return response;
    }

    /** Closes {@code clientId}'s session; the server must answer without an error. */
    public static void close(Connection nc, ConnectResponse session, String clientId) throws Exception {
        Message closed = nc.request(session.getCloseRequests(), CloseRequest.newBuilder().setClientID(clientId).build().toByteArray(),
                Duration.ofSeconds(10));
        assertNotNull(closed, "the streaming server answered the close of " + clientId);
        assertEquals("", CloseResponse.parseFrom(closed.getData()).getError());
    }
}
