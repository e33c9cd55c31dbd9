package io.natsee.admin.it;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.natsee.ra.streaming.StreamingClient;
import io.natsee.ra.streaming.StreamingClientOptions;
import io.natsee.ra.streaming.StreamingSubscription;
import io.natsee.ra.streaming.SubscriptionOptions;
import io.natsee.streaming.cli.StreamingHttpServer;
import io.natsee.streaming.server.StreamingOptions;
import io.natsee.streaming.server.StreamingServer;
import java.io.IOException;
import java.util.Timer;
import java.util.concurrent.Executors;

/**
 * A real streaming server (memory store) on the test's broker, with its monitoring port and the
 * delete-channel action (with a token), and a streaming client that fills channels, for the
 * console inside Payara to read and act on.
 */
final class MonitoredStreaming implements AutoCloseable {

    static final String CLUSTER = "it-streaming";

    private final StreamingServer server;
    private final StreamingHttpServer http;
    private final Timer timer = new Timer("it-streaming-pings", true);
    private final java.util.concurrent.ExecutorService recovery = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "it-streaming-recovery");
        thread.setDaemon(true);
        return thread;
    });
    private Connection nats;
    private StreamingClient client;

    MonitoredStreaming(String natsUrl, int monitorPort, String token) throws IOException, InterruptedException {
        server = new StreamingServer(StreamingOptions.builder().clusterId(CLUSTER).natsUrl(natsUrl)
                // no heartbeats during the test: the dashboard's message counts stay still between publishes
                .heartbeatInterval(java.time.Duration.ofMinutes(10)).build());
        server.start();
        http = new StreamingHttpServer(server, token);
        try {
            http.start("127.0.0.1", monitorPort);
        } catch (IOException e) {
            server.close();
            throw e;
        }
    }

    /** The test's streaming client (connected on first use). */
    synchronized StreamingClient client(String natsUrl) throws IOException, InterruptedException {
        if (client == null) {
            nats = Nats.connect(natsUrl);
            client = StreamingClient.connect(nats, StreamingClientOptions.of(CLUSTER, "it-streamer")
                    .withPings(java.time.Duration.ofMinutes(10), 3), timer, recovery);
        }
        return client;
    }

    /** Publishes {@code count} messages to the channel and subscribes to it (new messages only). */
    StreamingSubscription fill(String natsUrl, String channel, int count) throws IOException, InterruptedException {
        StreamingClient streaming = client(natsUrl);
        for (int i = 0; i < count; i++) {
            streaming.publish(channel, ("message " + i).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        return streaming.subscribe(SubscriptionOptions.newOnly(channel), message -> { });
    }

    /** Whether the server has the channel. */
    boolean hasChannel(String channel) throws InterruptedException {
        return server.monitor().channelsz(channel, false, 0, 10) != null;
    }

    @Override
    public void close() throws InterruptedException {
        if (client != null) {
            client.close();
        }
        if (nats != null) {
            nats.close();
        }
        timer.cancel();
        recovery.shutdownNow();
        http.close();
        server.close();
    }
}
