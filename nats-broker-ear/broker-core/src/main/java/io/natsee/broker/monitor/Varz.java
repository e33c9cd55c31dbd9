package io.natsee.broker.monitor;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The general server information nats-server 2.9.10 serves at {@code /varz}, with its JSON names,
 * order and units. Components marked "left out when empty" are {@code omitempty} in nats-server.
 * {@link MonitorJson} writes durations as nanoseconds, times as RFC 3339 with nanoseconds and
 * floating-point numbers as Go does.
 *
 * @param serverId the server's generated id
 * @param serverName the configured name, or the id when none is set
 * @param version the nats-server version whose protocol this server speaks
 * @param proto the client protocol level (1)
 * @param gitCommit the source commit; left out when empty
 * @param go the runtime that runs the server (nats-server names its Go version here; we name the JVM)
 * @param host the interface the client port is bound to
 * @param port the bound client port
 * @param authRequired whether clients must authenticate; left out when false
 * @param tlsRequired whether clients must use TLS; left out when false
 * @param tlsVerify whether client certificates are verified; left out when false
 * @param ip the advertised IP; left out when empty
 * @param connectUrls the client URLs of the cluster; left out when empty
 * @param maxConnections the client connection limit
 * @param maxSubscriptions the subscription limit per connection; left out when 0 (no limit)
 * @param pingInterval the keep-alive ping interval (nanoseconds in the JSON)
 * @param pingMax unanswered pings before a connection is stale
 * @param httpHost the monitoring interface
 * @param httpPort the configured monitoring port (as configured: -1 stays -1)
 * @param httpBasePath the monitoring base path
 * @param httpsPort the HTTPS monitoring port (0: none)
 * @param authTimeout the authentication timeout in seconds
 * @param maxControlLine the longest control line in bytes
 * @param maxPayload the largest payload in bytes
 * @param maxPending the outbound bytes per connection before it is a slow consumer
 * @param cluster the cluster settings; {@code {}} without a cluster
 * @param gateway gateway settings; always {@code {}} (no gateways)
 * @param leaf leaf node settings; always {@code {}} (no leaf nodes)
 * @param mqtt MQTT settings; always {@code {}} (no MQTT)
 * @param websocket websocket settings; always {@code {}} (no websocket)
 * @param jetstream JetStream information; always {@code {}} (no JetStream)
 * @param tlsTimeout the TLS handshake timeout in seconds
 * @param writeDeadline how long a blocked write may last (nanoseconds in the JSON)
 * @param start when the server started
 * @param now when this snapshot was taken
 * @param uptime the time since start, as nats-server writes it ({@code 1m2s})
 * @param mem the resident set size of the process in bytes
 * @param cores the processors available to the process
 * @param gomaxprocs the processors the runtime uses (the available processors)
 * @param cpu the process's recent CPU use in percent of one core
 * @param connections client connections open now
 * @param totalConnections client connections accepted since start
 * @param routes route connections open now
 * @param remotes remote servers known through routes
 * @param leafnodes leaf node connections open now
 * @param inMsgs messages received
 * @param outMsgs messages delivered
 * @param inBytes payload bytes received
 * @param outBytes payload bytes delivered
 * @param slowConsumers connections closed as slow consumers since start
 * @param subscriptions subscriptions registered now
 * @param httpRequestStats requests served per monitoring path, sorted by path
 * @param configLoadTime when the configuration was (re)loaded
 * @param tags the server's tags; left out when empty
 * @param systemAccount the system account's name; left out when empty
 */
public record Varz(
        @JsonProperty("server_id") String serverId,
        @JsonProperty("server_name") String serverName,
        @JsonProperty("version") String version,
        @JsonProperty("proto") int proto,
        @JsonProperty("git_commit") @JsonInclude(JsonInclude.Include.NON_EMPTY) String gitCommit,
        @JsonProperty("go") String go,
        @JsonProperty("host") String host,
        @JsonProperty("port") int port,
        @JsonProperty("auth_required") @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean authRequired,
        @JsonProperty("tls_required") @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean tlsRequired,
        @JsonProperty("tls_verify") @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean tlsVerify,
        @JsonProperty("ip") @JsonInclude(JsonInclude.Include.NON_EMPTY) String ip,
        @JsonProperty("connect_urls") @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> connectUrls,
        @JsonProperty("max_connections") int maxConnections,
        @JsonProperty("max_subscriptions") @JsonInclude(JsonInclude.Include.NON_DEFAULT) int maxSubscriptions,
        @JsonProperty("ping_interval") Duration pingInterval,
        @JsonProperty("ping_max") int pingMax,
        @JsonProperty("http_host") String httpHost,
        @JsonProperty("http_port") int httpPort,
        @JsonProperty("http_base_path") String httpBasePath,
        @JsonProperty("https_port") int httpsPort,
        @JsonProperty("auth_timeout") double authTimeout,
        @JsonProperty("max_control_line") int maxControlLine,
        @JsonProperty("max_payload") int maxPayload,
        @JsonProperty("max_pending") long maxPending,
        @JsonProperty("cluster") ClusterVarz cluster,
        @JsonProperty("gateway") Map<String, Object> gateway,
        @JsonProperty("leaf") Map<String, Object> leaf,
        @JsonProperty("mqtt") Map<String, Object> mqtt,
        @JsonProperty("websocket") Map<String, Object> websocket,
        @JsonProperty("jetstream") Map<String, Object> jetstream,
        @JsonProperty("tls_timeout") double tlsTimeout,
        @JsonProperty("write_deadline") Duration writeDeadline,
        @JsonProperty("start") Instant start,
        @JsonProperty("now") Instant now,
        @JsonProperty("uptime") String uptime,
        @JsonProperty("mem") long mem,
        @JsonProperty("cores") int cores,
        @JsonProperty("gomaxprocs") int gomaxprocs,
        @JsonProperty("cpu") double cpu,
        @JsonProperty("connections") int connections,
        @JsonProperty("total_connections") long totalConnections,
        @JsonProperty("routes") int routes,
        @JsonProperty("remotes") int remotes,
        @JsonProperty("leafnodes") int leafnodes,
        @JsonProperty("in_msgs") long inMsgs,
        @JsonProperty("out_msgs") long outMsgs,
        @JsonProperty("in_bytes") long inBytes,
        @JsonProperty("out_bytes") long outBytes,
        @JsonProperty("slow_consumers") long slowConsumers,
        @JsonProperty("subscriptions") int subscriptions,
        @JsonProperty("http_req_stats") Map<String, Long> httpRequestStats,
        @JsonProperty("config_load_time") Instant configLoadTime,
        @JsonProperty("tags") @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> tags,
        @JsonProperty("system_account") @JsonInclude(JsonInclude.Include.NON_EMPTY) String systemAccount) {

    /**
     * The cluster block of {@code /varz}; every member is {@code omitempty} in nats-server, so a
     * server without a cluster writes {@code {}}.
     *
     * @param name the cluster name
     * @param addr the interface the cluster port is bound to
     * @param clusterPort the cluster port
     * @param authTimeout the route authentication timeout in seconds
     * @param urls the configured route URLs
     * @param tlsTimeout the route TLS handshake timeout in seconds
     * @param tlsRequired whether routes use TLS
     * @param tlsVerify whether route certificates are verified
     */
    public record ClusterVarz(
            @JsonProperty("name") @JsonInclude(JsonInclude.Include.NON_EMPTY) String name,
            @JsonProperty("addr") @JsonInclude(JsonInclude.Include.NON_EMPTY) String addr,
            @JsonProperty("cluster_port") @JsonInclude(JsonInclude.Include.NON_DEFAULT) int clusterPort,
            @JsonProperty("auth_timeout") @JsonInclude(JsonInclude.Include.NON_DEFAULT) double authTimeout,
            @JsonProperty("urls") @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> urls,
            @JsonProperty("tls_timeout") @JsonInclude(JsonInclude.Include.NON_DEFAULT) double tlsTimeout,
            @JsonProperty("tls_required") @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean tlsRequired,
            @JsonProperty("tls_verify") @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean tlsVerify) {

        /** The block of a server that is not part of a cluster: written as {@code {}}. */
        public static ClusterVarz none() {
            return new ClusterVarz(null, null, 0, 0, List.of(), 0, false, false);
        }
    }
}
