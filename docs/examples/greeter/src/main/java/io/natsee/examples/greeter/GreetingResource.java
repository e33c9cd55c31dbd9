package io.natsee.examples.greeter;

import io.natsee.ra.api.NatsConnection;
import io.natsee.ra.api.NatsConnectionFactory;
import jakarta.annotation.Resource;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.RequestScoped;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * {@code POST /api/greetings} publishes the request body on {@code greetings.web} (or on
 * {@code ?subject=}); {@code GET /api/greetings} lists what the message-driven bean received.
 */
@Path("greetings")
@RequestScoped
public class GreetingResource {

    @Resource(lookup = NatsResources.FACTORY)
    NatsConnectionFactory nats;

    @EJB
    Inbox inbox;

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.TEXT_PLAIN)
    public String publish(@QueryParam("subject") String subject, String body) throws Exception {
        String target = subject == null || subject.isBlank() ? "greetings.web" : subject;
        try (NatsConnection connection = nats.getConnection()) {
            connection.publish(target, body.getBytes(StandardCharsets.UTF_8));
            connection.flush(Duration.ofSeconds(5));
        }
        return "published on " + target + "\n";
    }

    @GET
    @Produces(MediaType.TEXT_PLAIN)
    public String received() {
        StringBuilder text = new StringBuilder();
        inbox.received().forEach(entry -> text.append(entry).append('\n'));
        return text.toString();
    }
}
