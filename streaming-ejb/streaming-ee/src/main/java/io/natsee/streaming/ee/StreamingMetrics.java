package io.natsee.streaming.ee;

import io.natsee.streaming.server.StreamingMonitor;
import io.natsee.streaming.server.StreamingServer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.function.ToLongFunction;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.MetricUnits;

/**
 * The streaming server's figures as MicroProfile Metrics 5 gauges in the application registry
 * (the container's {@code /metrics}: {@code nats_streaming_clients{mp_scope="application"}}, ...),
 * read from {@code /streaming/serverz}'s data at each scrape. On a server without MicroProfile
 * Metrics (WildFly 36) this bean is skipped.
 */
@ApplicationScoped
public class StreamingMetrics {

    @Inject
    MetricRegistry registry;

    @Inject
    StreamingLifecycle lifecycle;

    void register(@Observes @Initialized(ApplicationScoped.class) Object started) {
        gauge("nats_streaming_clients", "streaming clients connected", StreamingMonitor.Serverz::clients, MetricUnits.NONE);
        gauge("nats_streaming_channels", "channels", StreamingMonitor.Serverz::channels, MetricUnits.NONE);
        gauge("nats_streaming_subscriptions", "subscriptions, durable ones offline included", StreamingMonitor.Serverz::subscriptions, MetricUnits.NONE);
        gauge("nats_streaming_msgs", "messages stored in all channels", StreamingMonitor.Serverz::total_msgs, MetricUnits.NONE);
        gauge("nats_streaming_stored_bytes", "bytes stored in all channels", StreamingMonitor.Serverz::total_bytes, MetricUnits.NONE);
        gauge("nats_streaming_in_msgs", "messages published since start", StreamingMonitor.Serverz::in_msgs, MetricUnits.NONE);
        gauge("nats_streaming_out_msgs", "messages delivered since start", StreamingMonitor.Serverz::out_msgs, MetricUnits.NONE);
    }

    private void gauge(String name, String description, ToLongFunction<StreamingMonitor.Serverz> figure, String unit) {
        Metadata metadata = Metadata.builder().withName(name).withDescription(description).withUnit(unit).build();
        registry.gauge(metadata, () -> {
            StreamingServer server = lifecycle.server();
            StreamingMonitor.Serverz serverz = server == null ? null : serverz(server);
            return serverz == null ? 0L : figure.applyAsLong(serverz);
        });
    }

    /** The server's {@code serverz} figures, or {@code null} when it is not running (or the read was interrupted). */
    static StreamingMonitor.Serverz serverz(StreamingServer server) {
        try {
            return server.monitor().serverz();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (IllegalStateException notRunning) {
            return null;
        }
    }
}
