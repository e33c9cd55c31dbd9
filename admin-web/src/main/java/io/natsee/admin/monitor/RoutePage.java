package io.natsee.admin.monitor;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The answer of {@code /routez}.
 *
 * @param serverId the answering server
 * @param numRoutes its routes
 * @param routes the routes
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RoutePage(
        @JsonProperty("server_id") String serverId,
        @JsonProperty("num_routes") int numRoutes,
        @JsonProperty("routes") List<RouteInfo> routes) {

    public RoutePage {
        routes = routes == null ? List.of() : List.copyOf(routes);
    }
}
