package io.natsee.broker.monitor;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;

/**
 * The answer of nats-server 2.9's {@code /routez}: the routes to the other servers of the
 * cluster, in its field order; {@code subs=1} adds each route's {@code subscriptions_list}.
 */
public record Routez(
        @JsonProperty("server_id") String serverId,
        @JsonProperty("now") Instant now,
        @JsonProperty("num_routes") int numRoutes,
        @JsonProperty("routes") List<RouteInfo> routes) {

    /** One route as {@code /routez} lists it. */
    public record RouteInfo(
            @JsonProperty("rid") long rid,
            @JsonProperty("remote_id") String remoteId,
            @JsonProperty("did_solicit") boolean didSolicit,
            @JsonProperty("is_configured") boolean isConfigured,
            @JsonProperty("ip") String ip,
            @JsonProperty("port") int port,
            @JsonProperty("start") Instant start,
            @JsonProperty("last_activity") Instant lastActivity,
            @JsonProperty("rtt") String rtt,
            @JsonProperty("uptime") String uptime,
            @JsonProperty("idle") String idle,
            @JsonProperty("pending_size") long pendingSize,
            @JsonProperty("in_msgs") long inMsgs,
            @JsonProperty("out_msgs") long outMsgs,
            @JsonProperty("in_bytes") long inBytes,
            @JsonProperty("out_bytes") long outBytes,
            @JsonProperty("subscriptions") int subscriptions,
            @JsonProperty("subscriptions_list") @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> subscriptionsList) {
    }

    /** Builds the answer from the routes' snapshots, as of {@code now}. */
    static Routez of(String serverId, Instant now, List<RouteSnapshot> routes, boolean withSubscriptions) {
        List<RouteInfo> infos = routes.stream().map(route -> new RouteInfo(route.rid(), route.remoteId(),
                route.didSolicit(), route.configured(), route.ip(), route.port(), route.start(), route.lastActivity(),
                GoFormats.duration(ConnzAssembler.roundTrip(route.rttNanos())),
                GoFormats.uptime(java.time.Duration.between(route.start(), now)),
                GoFormats.uptime(java.time.Duration.between(route.lastActivity(), now)),
                route.pendingBytes(), route.inMsgs(), route.outMsgs(), route.inBytes(), route.outBytes(),
                route.subscriptions().size(), withSubscriptions ? route.subscriptions() : List.of())).toList();
        return new Routez(serverId, now, infos.size(), infos);
    }
}
