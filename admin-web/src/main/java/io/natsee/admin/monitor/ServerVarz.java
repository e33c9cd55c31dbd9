package io.natsee.admin.monitor;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * What the console shows of a server's {@code /varz} (nats-server's names; other members are
 * ignored, so the console reads nats-server itself as well as this project's broker).
 *
 * @param serverId the server's id
 * @param serverName its name
 * @param version the nats-server version it speaks
 * @param go the runtime
 * @param host the client interface
 * @param port the client port
 * @param start when it started (RFC 3339)
 * @param now when this answer was made (RFC 3339)
 * @param uptime the time since start as nats-server writes it
 * @param mem resident bytes
 * @param cores processors
 * @param cpu CPU use in percent of a core
 * @param connections client connections open now
 * @param totalConnections client connections since start
 * @param routes route connections open now
 * @param remotes remote servers known through routes
 * @param inMsgs messages received
 * @param outMsgs messages delivered
 * @param inBytes bytes received
 * @param outBytes bytes delivered
 * @param slowConsumers slow consumers since start
 * @param subscriptions subscriptions now
 * @param cluster the cluster block ({@code null} members without a cluster)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ServerVarz(
        @JsonProperty("server_id") String serverId,
        @JsonProperty("server_name") String serverName,
        @JsonProperty("version") String version,
        @JsonProperty("go") String go,
        @JsonProperty("host") String host,
        @JsonProperty("port") int port,
        @JsonProperty("start") String start,
        @JsonProperty("now") String now,
        @JsonProperty("uptime") String uptime,
        @JsonProperty("mem") long mem,
        @JsonProperty("cores") int cores,
        @JsonProperty("cpu") double cpu,
        @JsonProperty("connections") int connections,
        @JsonProperty("total_connections") long totalConnections,
        @JsonProperty("routes") int routes,
        @JsonProperty("remotes") int remotes,
        @JsonProperty("in_msgs") long inMsgs,
        @JsonProperty("out_msgs") long outMsgs,
        @JsonProperty("in_bytes") long inBytes,
        @JsonProperty("out_bytes") long outBytes,
        @JsonProperty("slow_consumers") long slowConsumers,
        @JsonProperty("subscriptions") int subscriptions,
        @JsonProperty("cluster") Cluster cluster) {

    /**
     * The cluster block of {@code /varz}.
     *
     * @param name the cluster's name
     * @param addr the cluster interface
     * @param clusterPort the cluster port
     * @param urls the configured routes
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Cluster(
            @JsonProperty("name") String name,
            @JsonProperty("addr") String addr,
            @JsonProperty("cluster_port") int clusterPort,
            @JsonProperty("urls") List<String> urls) {
    }
}
