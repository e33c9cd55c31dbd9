package io.natsee.ra.support;

import io.natsee.streaming.server.StreamingOptions;
import io.natsee.streaming.server.StreamingServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;

/**
 * The project's streaming server in-process, with the memory store, as a client of a
 * {@link TestBroker}; restartable (a restart forgets every client and message).
 */
public final class TestStreamingServer implements AutoCloseable {

    private final StreamingOptions options;
    private StreamingServer server;

    private TestStreamingServer(StreamingOptions options) {
        this.options = options;
    }

    /** Starts a server of cluster {@code clusterId} on {@code broker} with the reference's heartbeats. */
    public static TestStreamingServer start(TestBroker broker, String clusterId) {
        return start(StreamingOptions.builder().clusterId(clusterId).natsUrl(broker.url()).build());
    }

    /**
     * Starts a server that drops a client after one unanswered heartbeat of {@code heartbeat}
     * (interval and timeout): it forgets a client soon after the client's NATS connection dropped.
     */
    public static TestStreamingServer startForgetful(TestBroker broker, String clusterId, Duration heartbeat) {
        return start(StreamingOptions.builder().clusterId(clusterId).natsUrl(broker.url())
                .heartbeatInterval(heartbeat).heartbeatTimeout(heartbeat).heartbeatFailCount(1).build());
    }

    private static TestStreamingServer start(StreamingOptions options) {
        TestStreamingServer testServer = new TestStreamingServer(options);
        testServer.restart();
        return testServer;
    }

    /** Starts (again): a new server with an empty memory store. */
    public synchronized void restart() {
        if (server != null) {
            return;
        }
        StreamingServer started = new StreamingServer(options);
        try {
            started.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the streaming server", e);
        }
        server = started;
    }

    /** Stops the server. */
    public synchronized void stop() {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    public String clusterId() {
        return options.clusterId();
    }

    @Override
    public void close() {
        stop();
    }
}
