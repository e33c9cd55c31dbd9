package io.natsee.it.ra.app;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.natsee.ra.api.NatsConnection;
import io.natsee.ra.api.NatsConnectionFactory;
import io.natsee.ra.outbound.NatsManagedConnectionFactory;
import jakarta.annotation.Resource;
import jakarta.resource.spi.ConnectionEvent;
import jakarta.resource.spi.ConnectionEventListener;
import jakarta.resource.spi.ConnectionManager;
import jakarta.resource.spi.ManagedConnection;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;

/**
 * Measures publishing inside the container: {@code op=pooled} gets a handle, publishes and
 * closes it per message; {@code op=raw} publishes on one plain jnats connection;
 * {@code op=handle} publishes every message through one handle (the handle's own cost);
 * {@code op=count} returns the counting beans' totals; {@code op=dispatcher-start} and
 * {@code op=dispatcher-stop} open and close a plain jnats Dispatcher on {@code bench.raw} in this
 * JVM that counts like the beans, the baseline for MDB delivery. Answers nanoseconds per message.
 */
@WebServlet("/bench")
public class BenchServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Resource(lookup = "java:app/nats/ConnectionFactory")
    NatsConnectionFactory factory;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String op = request.getParameter("op");
        String answer;
        try {
            if (op.equals("count")) {
                answer = CountingMdb.count(request.getParameter("subject")) + "";
            } else if (op.equals("reset")) {
                CountingMdb.reset();
                answer = "0";
            } else if (op.equals("dispatcher-start")) {
                startDispatcher(request.getParameter("url"));
                answer = "0";
            } else if (op.equals("dispatcher-stop")) {
                stopDispatcher();
                answer = "0";
            } else if (op.equals("adapter")) {
                answer = adapterOnly(request.getParameter("url"), Integer.parseInt(request.getParameter("messages")),
                        new byte[Integer.parseInt(request.getParameter("size"))]) + "";
            } else if (op.equals("handle")) {
                answer = oneHandle(Integer.parseInt(request.getParameter("messages")),
                        new byte[Integer.parseInt(request.getParameter("size"))]) + "";
            } else {
                int messages = Integer.parseInt(request.getParameter("messages"));
                byte[] payload = new byte[Integer.parseInt(request.getParameter("size"))];
                answer = op.equals("pooled") ? pooled(messages, payload) + "" : raw(request.getParameter("url"), messages, payload) + "";
            }
        } catch (Exception e) {
            throw new IOException(e);
        }
        response.getWriter().print(answer);
    }

    private long pooled(int messages, byte[] payload) throws Exception {
        long start = System.nanoTime();
        for (int i = 0; i < messages; i++) {
            try (NatsConnection connection = factory.getConnection()) {
                connection.publish("bench.sink", payload);
            }
        }
        try (NatsConnection connection = factory.getConnection()) {
            connection.flush(Duration.ofSeconds(30));
        }
        return (System.nanoTime() - start) / messages;
    }

    private long oneHandle(int messages, byte[] payload) throws Exception {
        try (NatsConnection connection = factory.getConnection()) {
            long start = System.nanoTime();
            for (int i = 0; i < messages; i++) {
                connection.publish("bench.sink", payload);
            }
            connection.flush(Duration.ofSeconds(30));
            return (System.nanoTime() - start) / messages;
        }
    }

    /**
     * The adapter's own get/publish/close path with the container's pool left out: a
     * ConnectionManager that hands out a handle of one managed connection, as a pool that always
     * finds a free connection at no cost would.
     */
    private static long adapterOnly(String url, int messages, byte[] payload) throws Exception {
        NatsManagedConnectionFactory managedConnectionFactory = new NatsManagedConnectionFactory();
        managedConnectionFactory.setServers(url);
        ManagedConnection managedConnection = managedConnectionFactory.createManagedConnection(null, null);
        managedConnection.addConnectionEventListener(new ConnectionEventListener() {
            @Override public void connectionClosed(ConnectionEvent event) { }
            @Override public void localTransactionStarted(ConnectionEvent event) { }
            @Override public void localTransactionCommitted(ConnectionEvent event) { }
            @Override public void localTransactionRolledback(ConnectionEvent event) { }
            @Override public void connectionErrorOccurred(ConnectionEvent event) { }
        });
        ConnectionManager onePooled = (factory, info) -> managedConnection.getConnection(null, info);
        NatsConnectionFactory adapterFactory = (NatsConnectionFactory) managedConnectionFactory.createConnectionFactory(onePooled);
        try {
            long start = System.nanoTime();
            for (int i = 0; i < messages; i++) {
                try (NatsConnection connection = adapterFactory.getConnection()) {
                    connection.publish("bench.sink", payload);
                }
            }
            try (NatsConnection connection = adapterFactory.getConnection()) {
                connection.flush(Duration.ofSeconds(30));
            }
            return (System.nanoTime() - start) / messages;
        } finally {
            managedConnection.destroy();
        }
    }

    private static Connection dispatcherConnection;

    private static synchronized void startDispatcher(String url) throws Exception {
        if (dispatcherConnection == null) {
            dispatcherConnection = Nats.connect(url);
            dispatcherConnection.createDispatcher(message -> CountingMdb.increment(message.getSubject())).subscribe("bench.raw");
            dispatcherConnection.flush(Duration.ofSeconds(5));
        }
    }

    private static synchronized void stopDispatcher() throws Exception {
        if (dispatcherConnection != null) {
            dispatcherConnection.close();
            dispatcherConnection = null;
        }
    }

    private static long raw(String url, int messages, byte[] payload) throws Exception {
        try (Connection connection = Nats.connect(url)) {
            long start = System.nanoTime();
            for (int i = 0; i < messages; i++) {
                connection.publish("bench.sink", payload);
            }
            connection.flush(Duration.ofSeconds(30));
            return (System.nanoTime() - start) / messages;
        }
    }
}
