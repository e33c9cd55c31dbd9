package io.natsee.it.ra.app;

import io.nats.client.Message;
import io.natsee.ra.api.NatsConnection;
import io.natsee.ra.api.NatsConnectionFactory;
import io.natsee.ra.api.NoRespondersException;
import jakarta.annotation.Resource;
import jakarta.ejb.EJB;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Drives the adapter from HTTP: {@code op} is resource, inject, bean, request, commit or rollback.
 */
@WebServlet("/nats")
public class NatsServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Resource(lookup = "java:app/nats/ConnectionFactory")
    NatsConnectionFactory byResource;

    @Inject
    NatsConnectionFactory byInjection;

    @EJB
    PublisherBean publisher;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String subject = request.getParameter("subject");
        byte[] payload = String.valueOf(request.getParameter("payload")).getBytes(StandardCharsets.UTF_8);
        String answer;
        try {
            answer = switch (request.getParameter("op")) {
                case "resource" -> publish(byResource, subject, payload);
                case "inject" -> publish(byInjection, subject, payload);
                case "bean" -> {
                    publisher.publish(subject, request.getParameter("payload"));
                    yield "published";
                }
                case "commit" -> {
                    publisher.publishTransactionally(subject, request.getParameter("payload"), false);
                    yield "committed";
                }
                case "rollback" -> {
                    publisher.publishTransactionally(subject, request.getParameter("payload"), true);
                    yield "rolled back";
                }
                case "request" -> request(subject, payload);
                default -> throw new IllegalArgumentException("unknown op");
            };
        } catch (Exception e) {
            throw new IOException(e);
        }
        response.setContentType("text/plain");
        response.getWriter().print(answer);
    }

    private static String publish(NatsConnectionFactory factory, String subject, byte[] payload) throws Exception {
        try (NatsConnection connection = factory.getConnection()) {
            connection.publish(subject, payload);
            connection.flush(Duration.ofSeconds(5));
        }
        return "published";
    }

    private String request(String subject, byte[] payload) throws Exception {
        try (NatsConnection connection = byInjection.getConnection()) {
            Message reply = connection.request(subject, payload, Duration.ofSeconds(5));
            return "reply:" + new String(reply.getData(), StandardCharsets.UTF_8);
        } catch (NoRespondersException e) {
            return "no responders:" + e.subject();
        }
    }
}
