package io.natsee.broker.monitor;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Instant;
import java.util.List;

/**
 * The answer of nats-server 2.9.10's {@code /routez}: the routes to other cluster members, in
 * its member order. A server without a cluster answers {@code "num_routes":0,"routes":[]}.
 *
 * @param serverId the server's id
 * @param now when the answer was made
 * @param numRoutes how many routes are listed
 * @param routes the routes
 */
public record Routez(
        @JsonProperty("server_id") String serverId,
        @JsonProperty("now") Instant now,
        @JsonProperty("num_routes") int numRoutes,
        @JsonProperty("routes") List<Route> routes) {

    /** Copies the list. */
    public Routez {
        routes = List.copyOf(routes);
    }

    /**
     * One route as {@code /routez} shows it (nats-server's {@code RouteInfo}); the cluster code
     * supplies these through {@link MonitorSource#routes}.
     *
     * @param rid the route's connection id
     * @param remoteId the other server's id
     * @param didSolicit whether this server dialled it
     * @param isConfigured whether it is one of the configured routes
     * @param ip the other end's address
     * @param port the other end's port
     * @param start when the route connected
     * @param lastActivity when it last carried something
     * @param rtt the round trip as nats-server writes durations; left out when unmeasured
     * @param uptime the time since start, as nats-server writes it
     * @param idle the time since the last activity, as nats-server writes it
     * @param pendingSize bytes queued for the route
     * @param inMsgs messages received over the route
     * @param outMsgs messages sent over it
     * @param inBytes payload bytes received
     * @param outBytes payload bytes sent
     * @param subscriptions the interest the other server registered
     * @param subscriptionsList the subjects, with {@code subs=1}
     * @param subscriptionsListDetail the subscriptions, with {@code subs=detail}
     */
    public record Route(
            @JsonProperty("rid") long rid,
            @JsonProperty("remote_id") String remoteId,
            @JsonProperty("did_solicit") boolean didSolicit,
            @JsonProperty("is_configured") boolean isConfigured,
            @JsonProperty("ip") String ip,
            @JsonProperty("port") int port,
            @JsonProperty("start") Instant start,
            @JsonProperty("last_activity") Instant lastActivity,
            @JsonProperty("rtt") @JsonInclude(JsonInclude.Include.NON_EMPTY) String rtt,
            @JsonProperty("uptime") String uptime,
            @JsonProperty("idle") String idle,
            @JsonProperty("pending_size") long pendingSize,
            @JsonProperty("in_msgs") long inMsgs,
            @JsonProperty("out_msgs") long outMsgs,
            @JsonProperty("in_bytes") long inBytes,
            @JsonProperty("out_bytes") long outBytes,
            @JsonProperty("subscriptions") int subscriptions,
            @JsonProperty("subscriptions_list") @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> subscriptionsList,
            @JsonProperty("subscriptions_list_detail") @JsonInclude(JsonInclude.Include.NON_EMPTY)
            List<SubDetail> subscriptionsListDetail) {
    }
}
