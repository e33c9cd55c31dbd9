package io.natsee.streaming.compat.bench;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.streaming.protobuf.CloseResponse;
import io.nats.streaming.protobuf.ConnectRequest;
import io.nats.streaming.protobuf.ConnectResponse;
import io.nats.streaming.protobuf.PingResponse;
import io.nats.streaming.protobuf.PubAck;
import io.nats.streaming.protobuf.PubMsg;

import java.util.concurrent.CountDownLatch;

/**
 * The benchmark's stand-in for a streaming server: it answers connects and acknowledges every publish at once,
 * storing nothing, so the client's rate against it is the ceiling of the Java streaming client on this machine.
 * Arguments: {@code NATS_URL CLUSTER_ID}. Prints {@code ready} when it serves; runs until killed.
 */
public final class AckOnlyServer {

    private AckOnlyServer() {
    }

    public static void main(String[] args) throws Exception {
        String cluster = args[1];
        Connection nats = Nats.connect(new Options.Builder().server(args[0]).noEcho().build());
        String publish = "_STAN.pub." + cluster;
        Dispatcher dispatcher = nats.createDispatcher(message -> { });
        dispatcher.subscribe("_STAN.discover." + cluster, message -> {
            try {
                ConnectRequest request = ConnectRequest.parseFrom(message.getData());
                nats.publish(message.getReplyTo(), ConnectResponse.newBuilder().setPubPrefix(publish)
                        .setSubRequests("_STAN.sub." + cluster).setUnsubRequests("_STAN.unsub." + cluster)
                        .setSubCloseRequests("_STAN.subclose." + cluster).setCloseRequests("_STAN.close." + cluster)
                        .setPingRequests("_STAN.discover." + cluster + ".pings")
                        .setPingInterval(request.getPingInterval()).setPingMaxOut(request.getPingMaxOut())
                        .setProtocol(1).build().toByteArray());
            } catch (Exception e) {
                e.printStackTrace();
            }
        });
        dispatcher.subscribe("_STAN.discover." + cluster + ".pings",
                message -> nats.publish(message.getReplyTo(), PingResponse.newBuilder().build().toByteArray()));
        dispatcher.subscribe("_STAN.close." + cluster,
                message -> nats.publish(message.getReplyTo(), CloseResponse.newBuilder().build().toByteArray()));
        dispatcher.subscribe(publish + ".>", message -> {
            try {
                String guid = PubMsg.parseFrom(message.getData()).getGuid();
                nats.publish(message.getReplyTo(), PubAck.newBuilder().setGuid(guid).build().toByteArray());
            } catch (Exception e) {
                e.printStackTrace();
            }
        });
        nats.flush(java.time.Duration.ofSeconds(5));
        System.out.println("ready");
        new CountDownLatch(1).await();
    }
}
