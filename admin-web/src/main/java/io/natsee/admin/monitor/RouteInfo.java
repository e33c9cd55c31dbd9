package io.natsee.admin.monitor;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One route of {@code /routez}.
 *
 * @param rid the route's id on the answering server
 * @param remoteId the peer's server id
 * @param remoteName the peer's name (nats-server 2.10 and later; may be {@code null})
 * @param didSolicit whether the answering server dialled it
 * @param isConfigured whether it is a configured route
 * @param ip the peer's address
 * @param port the peer's port
 * @param pendingSize bytes queued for the peer
 * @param rtt round trip time
 * @param inMsgs messages from the peer
 * @param outMsgs messages to the peer
 * @param inBytes bytes from the peer
 * @param outBytes bytes to the peer
 * @param subscriptions interest the peer registered
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RouteInfo(
        @JsonProperty("rid") long rid,
        @JsonProperty("remote_id") String remoteId,
        @JsonProperty("remote_name") String remoteName,
        @JsonProperty("did_solicit") boolean didSolicit,
        @JsonProperty("is_configured") boolean isConfigured,
        @JsonProperty("ip") String ip,
        @JsonProperty("port") int port,
        @JsonProperty("pending_size") long pendingSize,
        @JsonProperty("rtt") String rtt,
        @JsonProperty("in_msgs") long inMsgs,
        @JsonProperty("out_msgs") long outMsgs,
        @JsonProperty("in_bytes") long inBytes,
        @JsonProperty("out_bytes") long outBytes,
        @JsonProperty("subscriptions") int subscriptions) {
}
