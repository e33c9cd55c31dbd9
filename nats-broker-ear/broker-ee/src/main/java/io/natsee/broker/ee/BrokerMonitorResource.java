package io.natsee.broker.ee;

import io.natsee.broker.Broker;
import io.natsee.broker.monitor.Healthz;
import io.natsee.broker.monitor.MonitorJson;
import io.natsee.broker.monitor.MonitorService;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;

/**
 * The monitoring endpoints of nats-server, served by the application: {@code /varz} (indented
 * JSON) and {@code /healthz} (compact JSON, 503 when unhealthy), with {@code ?callback=f} for
 * JSONP, the same bytes the standalone server's monitoring port sends.
 */
@Path("/")
@RequestScoped
public class BrokerMonitorResource {

    private static final MonitorJson JSON = new MonitorJson();

    @Inject
    BrokerLifecycle lifecycle;

    @GET
    @Path("varz")
    public Response varz(@QueryParam("callback") String callback) {
        MonitorService monitor = monitor();
        if (monitor == null) {
            return notRunning(callback);
        }
        monitor.countHttpRequest("/varz");
        return json(200, JSON.pretty(monitor.varz()), callback);
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
