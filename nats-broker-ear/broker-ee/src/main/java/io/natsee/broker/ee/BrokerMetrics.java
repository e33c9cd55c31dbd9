package io.natsee.broker.ee;

import io.natsee.broker.Broker;
import io.natsee.broker.BrokerStatistics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.function.ToLongFunction;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.MetricUnits;

/**
 * The broker's counters as MicroProfile Metrics 5 gauges in the application registry (the
 * container's {@code /metrics}, for example {@code nats_broker_in_msgs{mp_scope="application"}}),
 * read from {@link Broker#statistics()} at each scrape. Counts since start are gauges because the
 * broker keeps them itself (an MP counter can only be incremented by the application). The
 * monitoring port's {@code /metrics} serves the same figures in prometheus-nats-exporter's names.
 * On a server without MicroProfile Metrics (WildFly 36) this bean is skipped.
 */
@ApplicationScoped
public class BrokerMetrics {

    @Inject
    MetricRegistry registry;

    @Inject
    BrokerLifecycle lifecycle;

    void register(@Observes @Initialized(ApplicationScoped.class) Object started) {
        gauge("nats_broker_connections", "client connections open now", BrokerStatistics::connections, MetricUnits.NONE);
        gauge("nats_broker_total_connections", "client connections accepted since start", BrokerStatistics::totalConnections, MetricUnits.NONE);
        gauge("nats_broker_subscriptions", "subscriptions registered now", BrokerStatistics::subscriptions, MetricUnits.NONE);
        gauge("nats_broker_in_msgs", "messages received from clients since start", BrokerStatistics::inMsgs, MetricUnits.NONE);
        gauge("nats_broker_out_msgs", "messages delivered to clients since start", BrokerStatistics::outMsgs, MetricUnits.NONE);
        gauge("nats_broker_in_bytes", "payload bytes received from clients since start", BrokerStatistics::inBytes, MetricUnits.BYTES);
        gauge("nats_broker_out_bytes", "payload bytes delivered to clients since start", BrokerStatistics::outBytes, MetricUnits.BYTES);
        gauge("nats_broker_slow_consumers", "connections closed as slow consumers since start", BrokerStatistics::slowConsumers, MetricUnits.NONE);
    }

    private void gauge(String name, String description, ToLongFunction<BrokerStatistics> figure, String unit) {
        Metadata metadata = Metadata.builder().withName(name).withDescription(description).withUnit(unit).build();
        registry.gauge(metadata, () -> {
            Broker broker = lifecycle.broker();
            return broker == null ? 0L : figure.applyAsLong(broker.statistics());
        });
    }
}
