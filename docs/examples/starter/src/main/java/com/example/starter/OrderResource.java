package com.example.starter;

import io.nats.client.Message;
import io.natsee.ra.api.NatsConnection;
import io.natsee.ra.api.NatsConnectionFactory;
import io.natsee.ra.api.NatsRequestTimeoutException;
import io.natsee.ra.api.NoRespondersException;
import jakarta.annotation.Resource;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.RequestScoped;
import jakarta.resource.ResourceException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The outbound side: {@code POST /api/orders} publishes the body on {@code orders.created},
 * {@code GET /api/orders} lists what {@link OrderCreatedListener} received, and
 * {@code GET /api/orders/price/{item}} asks {@link PriceService} over NATS request/reply.
 */
@Path("orders")
@RequestScoped
public class OrderResource {

    @Resource(lookup = StarterApplication.FACTORY)
    NatsConnectionFactory nats;

    @EJB
    OrderLog log;

    @POST
    @Consumes(MediaType.TEXT_PLAIN)
    public Response create(String order) throws ResourceException {
        try (NatsConnection connection = nats.getConnection()) {
            connection.publish("orders.created", order.getBytes(StandardCharsets.UTF_8));
        }
        return Response.accepted().build();
    }

    @GET
    @Produces(MediaType.TEXT_PLAIN)
    public String received() {
        return String.join("\n", log.received());
    }

    @GET
    @Path("price/{item}")
    @Produces(MediaType.TEXT_PLAIN)
    public Response price(@PathParam("item") String item) throws ResourceException {
        try (NatsConnection connection = nats.getConnection()) {
            Message reply = connection.request("prices.lookup", item.getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(2));
            return Response.ok(new String(reply.getData(), StandardCharsets.UTF_8)).build();
        } catch (NoRespondersException | NatsRequestTimeoutException e) {
            return Response.status(Response.Status.SERVICE_UNAVAILABLE).entity(e.getMessage()).build();
        }
    }
}
