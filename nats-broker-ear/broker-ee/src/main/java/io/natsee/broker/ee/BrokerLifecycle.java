package io.natsee.broker.ee;

import io.natsee.broker.Broker;
import io.natsee.broker.BrokerOptions;
import io.natsee.broker.BrokerDefaults;
import io.natsee.broker.config.ConfigException;
import io.natsee.broker.ConnectionControl;
import io.natsee.broker.monitor.MonitorHttpServer;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ThreadFactory;
import java.util.logging.Logger;

/**
 * Runs the NATS broker for as long as this application is deployed: started when the container
 * starts the application, closed (flush, then close the clients) when it is undeployed or the
 * server stops. The IO threads come from the container's {@code ManagedThreadFactory}.
 * Configuration: see {@link BrokerConfiguration}. Unless {@code nats.http_port=0}, the broker also
 * serves nats-server's monitoring port itself (8222 by default: {@code /varz}, {@code /connz},
 * {@code /subsz}, {@code /accountz}, {@code /healthz}, {@code /metrics} at its root), started
 * before the client port as nats-server does. A broker that cannot start, or a monitoring port
 * that cannot be bound, fails the deployment.
 */
@Singleton
@Startup
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class BrokerLifecycle {

    private static final Logger LOG = Logger.getLogger(BrokerLifecycle.class.getName());

    @Resource(lookup = "java:comp/DefaultManagedThreadFactory")
    private ManagedThreadFactory threadFactory;

    private volatile Broker broker;
    private volatile MonitorHttpServer monitorPort;

    @PostConstruct
    void start() {
        BrokerOptions options = configuredOptions();
        MonitorHttpServer http = null;
        Broker started = new Broker(options, threadFactory);
        try {
            http = startMonitorPort(started, threadFactory);
            startBroker(started);
        } catch (RuntimeException e) {
            if (http != null) {
                http.close();
            }
            throw e;
        }
        monitorPort = http;
        broker = started;
    }

    /**
     * Builds the options from the container's configuration and starts a broker on the factory's
     * threads. (Not an overload of {@link #start()}: Payara Server resolves the callback by name.)
     */
    static Broker startBroker(ThreadFactory threads) {
        Broker started = new Broker(configuredOptions(), threads);
        startBroker(started);
        return started;
    }

    private static BrokerOptions configuredOptions() {
        try {
            return BrokerConfiguration.options(BrokerConfiguration.read());
        } catch (ConfigException e) {
            throw new IllegalStateException("NATS broker configuration: " + e.getMessage(), e);
        }
    }

    private static void startBroker(Broker started) {
        BrokerOptions options = started.options();
        try {
            started.start();
        } catch (IOException e) {
            started.close();
            throw new IllegalStateException("NATS broker cannot listen on " + options.host() + ":" + options.port() + ": " + e, e);
        }
        LOG.info(() -> "NATS broker " + started.serverName() + " ready for clients on nats://" + started.host() + ":" + started.port()
                + (options.configFile() == null ? "" : " (configuration file " + options.configFile() + ")"));
    }

    /**
     * Starts nats-server's monitoring port for the broker (not yet started) on one thread from
     * the factory; {@code null} when {@code http_port} is 0.
     *
     * @throws IllegalStateException with nats-server's wording when the port cannot be bound
     */
    static MonitorHttpServer startMonitorPort(Broker broker, ThreadFactory threads) {
        BrokerOptions options = broker.options();
        if (options.httpPort() == 0) {
            return null;
        }
        MonitorHttpServer http = new MonitorHttpServer(broker.monitor(), options.httpHost(), options.httpPort(), threads,
                "natsee-broker (nats-server " + BrokerDefaults.VERSION + " compatible)");
        String token = adminToken();
        if (token != null) {
            http.allowClosingConnections(new ConnectionControl(broker)::close, token);
        }
        try {
            http.start();
        } catch (IOException e) {
            throw new IllegalStateException("NATS broker: can't listen to the monitor port: " + options.httpHost() + ":"
                    + options.httpPort() + ", \"" + e.getMessage() + "\" (set nats.http_port, or 0 to switch it off)", e);
        }
        InetSocketAddress bound = http.address();
        LOG.info(() -> "NATS broker monitoring on http://" + options.httpHost() + ":" + bound.getPort());
        return http;
    }

    /**
     * The bearer token that lets the admin console close connections through the monitoring port
     * ({@code POST /connz/close}): system property {@code nats.admin_token}, else the environment
     * variable {@code NATSEE_ADMIN_TOKEN} (the stack sets it per start); without one the endpoint is
     * not served.
     */
    static String adminToken() {
        String token = System.getProperty("nats.admin_token");
        if (token == null || token.isBlank()) {
            token = System.getenv("NATSEE_ADMIN_TOKEN");
        }
        return token == null || token.isBlank() ? null : token.trim();
    }

    @PreDestroy
    void stop() {
        Broker running = broker;
        broker = null;
        MonitorHttpServer http = monitorPort;
        monitorPort = null;
        if (http != null) {
            http.close();
        }
        if (running != null) {
            running.close();
            LOG.info(() -> "NATS broker stopped; port " + running.port() + " closed");
        }
    }

    /** The bound monitoring port; {@code null} when switched off or stopped. */
    public InetSocketAddress monitorAddress() {
        MonitorHttpServer http = monitorPort;
        return http == null ? null : http.address();
    }

    /** The running broker; {@code null} once stopped. */
    public Broker broker() {
        return broker;
    }
}
