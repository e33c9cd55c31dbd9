package io.natsee.streaming.ee;

import io.natsee.streaming.server.StreamingServer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * MicroProfile Health liveness ({@code /health/live}): up while the streaming server runs and its
 * engine answers (a {@code serverz} read, which the engine bounds at 10 s), reconnecting included; down once
 * stopped or when the engine is stuck. On a server without MicroProfile Health this bean is skipped.
 */
@Liveness
@ApplicationScoped
public class StreamingLiveness implements HealthCheck {

    @Inject
    StreamingLifecycle lifecycle;

    @Override
    public HealthCheckResponse call() {
        StreamingServer server = lifecycle.server();
        boolean answers = false;
        if (server != null) {
            try {
                answers = StreamingMetrics.serverz(server) != null;
            } catch (RuntimeException e) {
                answers = false;
            }
        }
        return HealthCheckResponse.named("nats-streaming").status(answers).build();
    }
}
