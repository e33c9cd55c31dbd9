package io.natsee.it.ra.app;

import io.natsee.ra.api.NatsConnection;
import io.natsee.ra.api.NatsConnectionFactory;
import io.natsee.ra.api.StreamingPublisher;
import jakarta.annotation.Resource;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Publishes to a streaming channel through the adapter's outbound connection:
 * {@code channel}, {@code prefix}, {@code count}, {@code mode=sync|async}; answers with the
 * number of acknowledged publishes.
 */
@WebServlet("/streaming")
public class StreamingServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Resource(lookup = "java:app/nats/ConnectionFactory")
    NatsConnectionFactory factory;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String channel = request.getParameter("channel");
        String prefix = request.getParameter("prefix");
        int count = Integer.parseInt(request.getParameter("count"));
        boolean async = "async".equals(request.getParameter("mode"));
        int acknowledged = 0;
        try (NatsConnection connection = factory.getConnection()) {
            StreamingPublisher streaming = connection.streaming();
            List<CompletableFuture<String>> pending = new ArrayList<>();
            for (int i = 1; i <= count; i++) {
                byte[] data = (prefix + i).getBytes(StandardCharsets.UTF_8);
                if (async) {
                    pending.add(streaming.publishAsync(channel, data).toCompletableFuture());
                } else {
                    streaming.publish(channel, data);
                    acknowledged++;
                }
            }
            for (CompletableFuture<String> ack : pending) {
                ack.get(30, TimeUnit.SECONDS);
                acknowledged++;
            }
        } catch (Exception e) {
            throw new IOException(e);
        }
        response.setContentType("text/plain");
        response.getWriter().print(acknowledged);
    }
}
