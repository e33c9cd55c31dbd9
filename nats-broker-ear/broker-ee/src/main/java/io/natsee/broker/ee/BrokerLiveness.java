package io.natsee.broker.ee;

import io.natsee.broker.Broker;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * MicroProfile Health liveness ({@code /health/live}): up while the broker runs, lame duck mode
 * included (readiness, {@link BrokerReadiness}, goes down there because the client port stops
 * accepting); down once it has stopped, so a supervisor restarts the server. On a server without
 * MicroProfile Health this bean is skipped.
 */
@Liveness
@ApplicationScoped
public class BrokerLiveness implements HealthCheck {

    @Inject
    BrokerLifecycle lifecycle;

    @Override
    public HealthCheckResponse call() {
        Broker broker = lifecycle.broker();
        boolean running = broker != null && broker.isRunning();
        return HealthCheckResponse.named("nats-broker").status(running)
                .withData("lame_duck", broker != null && broker.inLameDuckMode()).build();
    }
}
