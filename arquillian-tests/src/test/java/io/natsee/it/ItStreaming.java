package io.natsee.it;

import io.natsee.streaming.server.StreamingOptions;
import io.natsee.streaming.server.StreamingServer;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The streaming server the streaming integration tests share: the project's own, in the test
 * JVM, with the memory store, as a client of {@link ItNats}' broker, cluster id {@code test-cluster}
 * (the adapter's default).
 */
public final class ItStreaming {

    public static final String CLUSTER_ID = StreamingOptions.DEFAULT_CLUSTER_ID;
    private static StreamingServer server;

    private ItStreaming() {
    }

    /** Starts the broker and the streaming server if they are not running. */
    public static synchronized void start() {
        ItNats.start();
        if (server != null) {
            return;
        }
        StreamingServer started = new StreamingServer(StreamingOptions.builder().clusterId(CLUSTER_ID).natsUrl(ItNats.url()).build());
        try {
            started.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        server = started;
        Runtime.getRuntime().addShutdownHook(new Thread(ItStreaming::stop, "it-streaming-stop"));
    }

    /** Returns the server's view of a channel and of its clients (monitoring data), for failure messages. */
    public static synchronized String describe(String channel) {
        if (server == null) {
            return "no streaming server";
        }
        try {
            return server.monitor().channelsz(channel, true, 0, 1024) + " / " + server.monitor().clientsz(null, true, 0, 1024);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        } catch (RuntimeException e) {
            return "cannot describe " + channel + ": " + e;
        }
    }

    /** Stops the streaming server. */
    public static synchronized void stop() {
        if (server != null) {
            server.close();
            server = null;
        }
    }
}
