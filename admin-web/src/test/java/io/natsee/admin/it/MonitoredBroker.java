package io.natsee.admin.it;

import io.natsee.broker.Broker;
import io.natsee.broker.BrokerOptions;
import io.natsee.broker.ConnectionControl;
import io.natsee.broker.monitor.MonitorHttpServer;
import java.io.IOException;
import java.util.concurrent.Executors;

/**
 * A real broker with its monitoring port (and the close-connection action, with a token) in the
 * test JVM, for the console inside Payara to read. {@code main} runs one by hand:
 * {@code MonitoredBroker MONITOR_PORT TOKEN} until killed.
 */
final class MonitoredBroker implements AutoCloseable {

    private final Broker broker;
    private final MonitorHttpServer http;

    MonitoredBroker(int monitorPort, String token) throws IOException {
        broker = new Broker(BrokerOptions.builder().host("127.0.0.1").port(-1).serverName("it-broker").build());
        broker.start();
        http = new MonitorHttpServer(broker.monitor(), "127.0.0.1", monitorPort, Executors.defaultThreadFactory(), "natsee it");
        http.allowClosingConnections(new ConnectionControl(broker)::close, token);
        try {
            http.start();
        } catch (IOException e) {
            broker.close();
            throw e;
        }
    }

    /** The client URL. */
    String natsUrl() {
        return "nats://127.0.0.1:" + broker.port();
    }

    /** The monitoring base URL. */
    String monitorUrl() {
        return "http://127.0.0.1:" + http.address().getPort();
    }

    Broker broker() {
        return broker;
    }

    @Override
    public void close() {
        http.close();
        broker.close();
    }

    public static void main(String[] args) throws Exception {
        MonitoredBroker running = new MonitoredBroker(Integer.parseInt(args[0]), args[1]);
        System.out.println("broker " + running.natsUrl() + " monitoring " + running.monitorUrl());
        Thread.currentThread().join();
    }
}
