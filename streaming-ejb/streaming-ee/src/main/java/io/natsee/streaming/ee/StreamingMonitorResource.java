package io.natsee.streaming.ee;

import io.natsee.broker.monitor.MonitorJson;
import io.natsee.streaming.server.StreamingMonitor;
import io.natsee.streaming.server.StreamingServer;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import io.natsee.streaming.server.ChannelDeletion;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;

/**
 * nats-streaming-server's monitoring endpoints at the root of this WAR, so that under its context
 * root {@code /streaming} the container serves the reference's paths: {@code /streaming/serverz},
 * {@code storez}, {@code channelsz} ({@code subs=1}, {@code channel=}, {@code offset},
 * {@code limit}) and {@code clientsz} ({@code subs=1}, {@code client=}), the same JSON the
 * launcher's monitoring port writes; {@code isFTActive} (200 while this server is the active member
 * of an FT group, 204 otherwise, as the reference answers a load balancer's health check); and,
 * when an admin token is set ({@code nats.admin_token} or {@code NATSEE_ADMIN_TOKEN}, as for the
 * broker's close-connection action), the operator's
 * {@code POST /streaming/channelsz/delete?channel=} ({@link ChannelDeletion}).
 */
@Path("/")
@RequestScoped
public class StreamingMonitorResource {

    private static final MonitorJson JSON = new MonitorJson();
    private static final int DEFAULT_LIMIT = 1024;

    @Inject
    StreamingLifecycle lifecycle;

    @GET
    @Path("serverz")
    public Response serverz() throws InterruptedException {
        StreamingMonitor monitor = monitor();
        return monitor == null ? notRunning() : json(monitor.serverz());
    }

    @GET
    @Path("storez")
    public Response storez() throws InterruptedException {
        StreamingMonitor monitor = monitor();
        return monitor == null ? notRunning() : json(monitor.storez());
    }

    @GET
    @Path("isFTActive")
    public Response isFTActive() {
        return Response.status(ftActiveStatus(lifecycle.server())).build();
    }

    /** {@code isFTActive}'s status: 200 for the active member of an FT group, 204 for a standby, any other server or none. */
    static int ftActiveStatus(StreamingServer server) {
        return server != null && "FT_ACTIVE".equals(server.stateName()) ? 200 : 204;
    }

    @GET
    @Path("channelsz")
    public Response channelsz(@QueryParam("channel") String channel, @QueryParam("subs") String subs,
                              @QueryParam("offset") String offset, @QueryParam("limit") String limit) throws InterruptedException {
        StreamingMonitor monitor = monitor();
        if (monitor == null) {
            return notRunning();
        }
        Object result = monitor.channelsz(channel, "1".equals(subs), number(offset, 0), number(limit, DEFAULT_LIMIT));
        return result == null ? text(404, "Channel " + channel + " not found") : json(result);
    }

    @GET
    @Path("clientsz")
    public Response clientsz(@QueryParam("client") String client, @QueryParam("subs") String subs,
                             @QueryParam("offset") String offset, @QueryParam("limit") String limit) throws InterruptedException {
        StreamingMonitor monitor = monitor();
        if (monitor == null) {
            return notRunning();
        }
        Object result = monitor.clientsz(client, "1".equals(subs), number(offset, 0), number(limit, DEFAULT_LIMIT));
        return result == null ? text(404, "Client " + client + " not found") : json(result);
    }

    @POST
    @Path("channelsz/delete")
    public Response deleteChannel(@QueryParam("channel") String channel, @HeaderParam("Authorization") String authorization)
            throws InterruptedException {
        String token = ChannelDeletion.tokenFromEnvironment();
        StreamingServer server = lifecycle.server();
        if (token == null) {
            return text(404, "404 page not found\n");
        }
        if (server == null) {
            return notRunning();
        }
        ChannelDeletion.Answer answer = new ChannelDeletion(server, token).handle("POST", authorization, channel);
        return Response.status(answer.status()).type(answer.contentType()).entity(answer.bytes()).build();
    }

    private StreamingMonitor monitor() {
        StreamingServer server = lifecycle.server();
        return server == null ? null : server.monitor();
    }

    private static int number(String value, int otherwise) {
        try {
            return value == null || value.isEmpty() ? otherwise : Integer.parseInt(value);
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }

    private static Response json(Object value) {
        return Response.ok(JSON.pretty(value), "application/json").build();
    }

    private static Response text(int status, String body) {
        return Response.status(status).type("text/plain").entity(body.getBytes(StandardCharsets.UTF_8)).build();
    }

    private static Response notRunning() {
        return text(503, "streaming server not running");
    }
}
