package io.natsee.broker.ee;

import io.natsee.broker.Broker;
import io.natsee.broker.monitor.ConnzQuery;
import io.natsee.broker.monitor.Healthz;
import io.natsee.broker.monitor.MonitorJson;
import io.natsee.broker.monitor.MonitorRequestException;
import io.natsee.broker.monitor.MonitorService;
import io.natsee.broker.monitor.SubszQuery;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/**
 * The monitoring endpoints of nats-server, served by the application: {@code /varz},
 * {@code /connz}, {@code /subsz} (also {@code /subscriptionsz}), {@code /routez} and
 * {@code /accountz} (indented JSON, the same query parameters), {@code /healthz} (compact JSON,
 * 503 when unhealthy), with {@code ?callback=f} for JSONP: the same bytes the standalone
 * server's monitoring port sends, from the same data methods. A bad parameter answers 400 with
 * the monitoring port's text.
 */
@Path("/")
@RequestScoped
public class BrokerMonitorResource {

    private static final MonitorJson JSON = new MonitorJson();

    @Inject
    BrokerLifecycle lifecycle;

    @Context
    UriInfo uri;

    /** One endpoint's data method; it may refuse its parameters. */
    private interface Endpoint {
        Object answer(MonitorService monitor, Function<String, String> parameters) throws MonitorRequestException;
    }

    @GET
    @Path("varz")
    public Response varz(@QueryParam("callback") String callback) {
        return pretty("/varz", callback, (monitor, parameters) -> monitor.varz());
    }

    @GET
    @Path("connz")
    public Response connz(@QueryParam("callback") String callback) {
        return pretty("/connz", callback, (monitor, parameters) -> monitor.connz(ConnzQuery.parse(parameters)));
    }

    @GET
    @Path("subsz")
    public Response subsz(@QueryParam("callback") String callback) {
        return pretty("/subsz", callback, (monitor, parameters) -> monitor.subsz(SubszQuery.parse(parameters)).body());
    }

    @GET
    @Path("subscriptionsz")
    public Response subscriptionsz(@QueryParam("callback") String callback) {
        return pretty("/subscriptionsz", callback,
                (monitor, parameters) -> monitor.subsz(SubszQuery.parse(parameters)).body());
    }

    @GET
    @Path("routez")
    public Response routez(@QueryParam("callback") String callback) {
        return pretty("/routez", callback, MonitorService::routez);
    }

    @GET
    @Path("accountz")
    public Response accountz(@QueryParam("callback") String callback) {
        return pretty("/accountz", callback, (monitor, parameters) -> monitor.accountz());
    }

    @GET
    @Path("healthz")
    public Response healthz(@QueryParam("callback") String callback) {
        MonitorService monitor = monitor();
        if (monitor == null) {
            return notRunning(callback);
        }
        monitor.countHttpRequest("/healthz");
        Healthz health = monitor.healthz();
        return json(health.healthy() ? 200 : 503, JSON.compact(health), callback);
    }

    private Response pretty(String path, String callback, Endpoint endpoint) {
        MonitorService monitor = monitor();
        if (monitor == null) {
            return notRunning(callback);
        }
        monitor.countHttpRequest(path);
        MultivaluedMap<String, String> query = uri.getQueryParameters();
        try {
            return json(200, JSON.pretty(endpoint.answer(monitor, query::getFirst)), callback);
        } catch (MonitorRequestException e) {
            return Response.status(400).type("text/plain; charset=utf-8")
                    .entity(e.getMessage().getBytes(StandardCharsets.UTF_8)).build();
        }
    }

    private MonitorService monitor() {
        Broker broker = lifecycle.broker();
        return broker == null ? null : broker.monitor();
    }

    private static Response notRunning(String callback) {
        return json(503, "{\"status\":\"unavailable\",\"error\":\"broker not running\"}".getBytes(StandardCharsets.UTF_8), callback);
    }

    private static Response json(int status, byte[] body, String callback) {
        if (callback == null || callback.isEmpty()) {
            return Response.status(status).type("application/json").entity(body).build();
        }
        String wrapped = callback + "(" + new String(body, StandardCharsets.UTF_8) + ")";
        return Response.status(status).type("application/javascript").entity(wrapped.getBytes(StandardCharsets.UTF_8)).build();
    }
}
