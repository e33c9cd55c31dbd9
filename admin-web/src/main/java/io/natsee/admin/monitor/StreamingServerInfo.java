package io.natsee.admin.monitor;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The answer of nats-streaming-server's {@code /streaming/serverz}.
 *
 * @param clusterId the streaming cluster id
 * @param serverId the server's id
 * @param version the protocol version it speaks
 * @param state {@code STANDALONE}, {@code FT_ACTIVE}, {@code FT_STANDBY} or {@code CLUSTERED}
 * @param role the Raft role in a clustered server ({@code Leader}, {@code Follower}...), else {@code null}
 * @param start when it started
 * @param uptime time since start
 * @param clients connected clients
 * @param subscriptions subscriptions
 * @param channels channels
 * @param totalMsgs messages stored
 * @param totalBytes bytes stored
 * @param inMsgs messages published
 * @param outMsgs messages delivered
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record StreamingServerInfo(
        @JsonProperty("cluster_id") String clusterId,
        @JsonProperty("server_id") String serverId,
        @JsonProperty("version") String version,
        @JsonProperty("state") String state,
        @JsonProperty("role") String role,
        @JsonProperty("start_time") String start,
        @JsonProperty("uptime") String uptime,
        @JsonProperty("clients") int clients,
        @JsonProperty("subscriptions") int subscriptions,
        @JsonProperty("channels") int channels,
        @JsonProperty("total_msgs") long totalMsgs,
        @JsonProperty("total_bytes") long totalBytes,
        @JsonProperty("in_msgs") long inMsgs,
        @JsonProperty("out_msgs") long outMsgs) {
}
