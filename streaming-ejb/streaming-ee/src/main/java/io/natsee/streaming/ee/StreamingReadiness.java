package io.natsee.streaming.ee;

import io.natsee.streaming.server.StreamingServer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * MicroProfile Health readiness ({@code /health/ready}): up while the streaming server is
 * connected to its NATS server (clients can reach it); down while it reconnects or once stopped.
 * On a server without MicroProfile Health this bean is skipped.
 */
@Readiness
@ApplicationScoped
public class StreamingReadiness implements HealthCheck {

    @Inject
    StreamingLifecycle lifecycle;

    @Override
    public HealthCheckResponse call() {
        StreamingServer server = lifecycle.server();
        String connected = server == null ? null : server.natsUrl();
        var response = HealthCheckResponse.named("nats-streaming").status(connected != null);
        if (server != null) {
            response.withData("cluster_id", server.options().clusterId())
                    .withData("nats_server", connected == null ? "disconnected" : connected);
        }
        return response.build();
    }
}
