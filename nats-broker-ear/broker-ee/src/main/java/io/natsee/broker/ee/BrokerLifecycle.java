package io.natsee.broker.ee;

import io.natsee.broker.Broker;
import io.natsee.broker.BrokerOptions;
import io.natsee.broker.config.ConfigException;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import java.io.IOException;
import java.util.concurrent.ThreadFactory;
import java.util.logging.Logger;

/**
 * Runs the NATS broker for as long as this application is deployed: started when the container
 * starts the application, closed (flush, then close the clients) when it is undeployed or the
 * server stops. The IO threads come from the container's {@code ManagedThreadFactory}.
 * Configuration: see {@link BrokerConfiguration}. A broker that cannot start fails the deployment.
 */
@Singleton
@Startup
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class BrokerLifecycle {

    private static final Logger LOG = Logger.getLogger(BrokerLifecycle.class.getName());

    @Resource(lookup = "java:comp/DefaultManagedThreadFactory")
    private ManagedThreadFactory threadFactory;

    private volatile Broker broker;

    @PostConstruct
    void start() {
        broker = startBroker(threadFactory);
    }

    /**
     * Builds the options from the container's configuration and starts a broker on the factory's
     * threads. (Not an overload of {@link #start()}: Payara Server resolves the callback by name.)
     */
    static Broker startBroker(ThreadFactory threads) {
        BrokerOptions options;
        try {
            options = BrokerConfiguration.options(BrokerConfiguration.read());
        } catch (ConfigException e) {
            throw new IllegalStateException("NATS broker configuration: " + e.getMessage(), e);
        }
        Broker started = new Broker(options, threads);
        try {
            started.start();
        } catch (IOException e) {
            started.close();
            throw new IllegalStateException("NATS broker cannot listen on " + options.host() + ":" + options.port() + ": " + e, e);
        }
        LOG.info(() -> "NATS broker " + started.serverName() + " ready for clients on nats://" + started.host() + ":" + started.port()
                + (options.configFile() == null ? "" : " (configuration file " + options.configFile() + ")"));
        return started;
    }

    @PreDestroy
    void stop() {
        Broker running = broker;
        broker = null;
        if (running != null) {
            running.close();
            LOG.info(() -> "NATS broker stopped; port " + running.port() + " closed");
        }
    }

    /** The running broker; {@code null} once stopped. */
    public Broker broker() {
        return broker;
    }
}
