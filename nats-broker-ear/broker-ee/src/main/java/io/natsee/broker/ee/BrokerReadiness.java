package io.natsee.broker.ee;

import io.natsee.broker.Broker;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * MicroProfile Health readiness ({@code /health/ready}): up when the client port accepts a
 * connection. On a server without MicroProfile Health this bean is skipped; {@code /healthz}
 * answers there.
 */
@Readiness
@ApplicationScoped
public class BrokerReadiness implements HealthCheck {

    @Inject
    BrokerLifecycle lifecycle;

    @Override
    public HealthCheckResponse call() {
        Broker broker = lifecycle.broker();
        if (broker == null) {
            return HealthCheckResponse.named("nats-broker").down().build();
        }
        String host = broker.host();
        if (host == null || host.isEmpty() || host.equals("0.0.0.0") || host.equals("::")) {
            host = "127.0.0.1";
        }
        boolean accepts;
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, broker.port()), 2000);
            accepts = true;
        } catch (IOException e) {
            accepts = false;
        }
        return HealthCheckResponse.named("nats-broker").status(accepts)
                .withData("client_port", broker.port()).build();
    }
}
