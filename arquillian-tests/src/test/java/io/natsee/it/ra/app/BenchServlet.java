package io.natsee.it.ra.app;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.natsee.ra.api.NatsConnection;
import io.natsee.ra.api.NatsConnectionFactory;
import jakarta.annotation.Resource;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;

/**
 * Measures publishing inside the container: {@code op=pooled} gets a handle, publishes and
 * closes it per message; {@code op=raw} publishes on one plain jnats connection;
 * {@code op=count} returns the counting beans' totals. Answers nanoseconds per message.
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
