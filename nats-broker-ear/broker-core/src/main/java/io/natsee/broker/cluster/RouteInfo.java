package io.natsee.broker.cluster;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * The JSON of a route's {@code INFO}, with nats-server 2.9.10's field names, order and
 * {@code omitempty} rules (its {@code Info} struct, route fields): a route sends it right
 * after the connection is up, and again to gossip a new peer (then with {@code ip} and without
 * {@code nonce}) or to announce lame duck mode. Unknown fields are ignored when reading, so a
 * newer peer's additions do no harm.
 *
 * @param serverId the sender's server id
 * @param serverName the sender's name (its id when none is configured)
 * @param version the sender's version
 * @param proto the route protocol version; 2.9.10 sends 2
 * @param gitCommit omitted when empty
 * @param go the Go version (nats-server) or whatever the sender names
 * @param host the route listen host
 * @param port the route listen port
 * @param headers whether the sender forwards header messages (HMSG)
 * @param authRequired whether CONNECT must carry {@code user}/{@code pass}
 * @param tlsRequired whether the route port speaks TLS
 * @param tlsVerify whether the route port verifies peer certificates
 * @param tlsAvailable omitted when false
 * @param maxPayload the sender's max_payload
 * @param jetStream omitted when false
 * @param ip the URL peers dial for this server ({@code nats-route://host:port/}); set in
 *           gossip, or when {@code cluster_advertise} is configured
 * @param nonce a random text nats-server sends (unused on routes); omitted when empty
 * @param cluster the cluster name
 * @param clusterDynamic whether the cluster name was generated
 * @param domain JetStream domain; omitted when empty
 * @param connectUrls the sender's client URLs ({@code host:port}); omitted when empty
 * @param wsConnectUrls websocket client URLs; omitted when empty
 * @param lameDuckMode {@code ldm}: the sender is in lame duck mode
 * @param importPermissions route import permissions ({@code {"allow":[..],"deny":[..]}})
 * @param exportPermissions route export permissions
 * @param lnoc whether the sender understands leaf-node-origin interest ({@code LS+}); 2.9 sends true
 * @param infoOnConnect omitted when false
 * @param connectInfo omitted when false
 * @param gatewayUrl the sender's gateway URL; omitted when empty
 * @param leafNodeUrls the sender's leaf node URLs; omitted when empty
 */
@JsonPropertyOrder({"server_id", "server_name", "version", "proto", "git_commit", "go", "host", "port", "headers",
        "auth_required", "tls_required", "tls_verify", "tls_available", "max_payload", "jetstream", "ip", "nonce",
        "cluster", "cluster_dynamic", "domain", "connect_urls", "ws_connect_urls", "ldm", "import", "export", "lnoc",
        "info_on_connect", "connect_info", "gateway_url", "leafnode_urls"})
@JsonIgnoreProperties(ignoreUnknown = true)
public record RouteInfo(
        @JsonProperty("server_id") String serverId,
        @JsonProperty("server_name") String serverName,
        @JsonProperty("version") String version,
        @JsonProperty("proto") int proto,
        @JsonProperty("git_commit") @JsonInclude(Include.NON_EMPTY) String gitCommit,
        @JsonProperty("go") String go,
        @JsonProperty("host") String host,
        @JsonProperty("port") int port,
        @JsonProperty("headers") boolean headers,
        @JsonProperty("auth_required") @JsonInclude(Include.NON_DEFAULT) boolean authRequired,
        @JsonProperty("tls_required") @JsonInclude(Include.NON_DEFAULT) boolean tlsRequired,
        @JsonProperty("tls_verify") @JsonInclude(Include.NON_DEFAULT) boolean tlsVerify,
        @JsonProperty("tls_available") @JsonInclude(Include.NON_DEFAULT) boolean tlsAvailable,
        @JsonProperty("max_payload") int maxPayload,
        @JsonProperty("jetstream") @JsonInclude(Include.NON_DEFAULT) boolean jetStream,
        @JsonProperty("ip") @JsonInclude(Include.NON_EMPTY) String ip,
        @JsonProperty("nonce") @JsonInclude(Include.NON_EMPTY) String nonce,
        @JsonProperty("cluster") @JsonInclude(Include.NON_EMPTY) String cluster,
        @JsonProperty("cluster_dynamic") @JsonInclude(Include.NON_DEFAULT) boolean clusterDynamic,
        @JsonProperty("domain") @JsonInclude(Include.NON_EMPTY) String domain,
        @JsonProperty("connect_urls") @JsonInclude(Include.NON_EMPTY) List<String> connectUrls,
        @JsonProperty("ws_connect_urls") @JsonInclude(Include.NON_EMPTY) List<String> wsConnectUrls,
        @JsonProperty("ldm") @JsonInclude(Include.NON_DEFAULT) boolean lameDuckMode,
        @JsonProperty("import") @JsonInclude(Include.NON_NULL) JsonNode importPermissions,
        @JsonProperty("export") @JsonInclude(Include.NON_NULL) JsonNode exportPermissions,
        @JsonProperty("lnoc") @JsonInclude(Include.NON_DEFAULT) boolean lnoc,
        @JsonProperty("info_on_connect") @JsonInclude(Include.NON_DEFAULT) boolean infoOnConnect,
        @JsonProperty("connect_info") @JsonInclude(Include.NON_DEFAULT) boolean connectInfo,
        @JsonProperty("gateway_url") @JsonInclude(Include.NON_EMPTY) String gatewayUrl,
        @JsonProperty("leafnode_urls") @JsonInclude(Include.NON_EMPTY) List<String> leafNodeUrls) {

    /** The route protocol version nats-server 2.9.10 speaks. */
    public static final int ROUTE_PROTOCOL = 2;

    public RouteInfo {
        connectUrls = connectUrls == null ? List.of() : List.copyOf(connectUrls);
        wsConnectUrls = wsConnectUrls == null ? List.of() : List.copyOf(wsConnectUrls);
        leafNodeUrls = leafNodeUrls == null ? List.of() : List.copyOf(leafNodeUrls);
    }

    /**
     * The INFO this server sends on a new route, shaped as 2.9.10's: protocol 2, headers on,
     * {@code lnoc} true.
     */
    public static RouteInfo of(String serverId, String serverName, String version, String host, int port,
                               boolean authRequired, boolean tlsRequired, int maxPayload, String nonce,
                               String cluster, boolean clusterDynamic, List<String> connectUrls) {
        return new RouteInfo(serverId, serverName, version, ROUTE_PROTOCOL, null, RouteJson.GO_VERSION, host, port,
                true, authRequired, tlsRequired, tlsRequired, false, maxPayload, false, null, nonce, cluster,
                clusterDynamic, null, connectUrls, null, false, null, null, true, false, false, null, null);
    }

    /** A copy with {@code ip} set and the nonce dropped, as a gossiped INFO is. */
    public RouteInfo forGossip(String routeUrl) {
        return new RouteInfo(serverId, serverName, version, proto, gitCommit, go, host, port, headers, authRequired,
                tlsRequired, tlsVerify, tlsAvailable, maxPayload, jetStream, routeUrl, null, cluster, clusterDynamic,
                domain, connectUrls, wsConnectUrls, lameDuckMode, importPermissions, exportPermissions, lnoc,
                infoOnConnect, connectInfo, gatewayUrl, leafNodeUrls);
    }

    /** A copy with other client URLs. */
    public RouteInfo withConnectUrls(List<String> urls) {
        return new RouteInfo(serverId, serverName, version, proto, gitCommit, go, host, port, headers, authRequired,
                tlsRequired, tlsVerify, tlsAvailable, maxPayload, jetStream, ip, nonce, cluster, clusterDynamic,
                domain, urls, wsConnectUrls, lameDuckMode, importPermissions, exportPermissions, lnoc,
                infoOnConnect, connectInfo, gatewayUrl, leafNodeUrls);
    }

    /** A copy with another cluster name (a dynamic name adopting the peer's). */
    public RouteInfo withCluster(String name, boolean dynamic) {
        return new RouteInfo(serverId, serverName, version, proto, gitCommit, go, host, port, headers, authRequired,
                tlsRequired, tlsVerify, tlsAvailable, maxPayload, jetStream, ip, nonce, name, dynamic,
                domain, connectUrls, wsConnectUrls, lameDuckMode, importPermissions, exportPermissions, lnoc,
                infoOnConnect, connectInfo, gatewayUrl, leafNodeUrls);
    }

    /** A copy announcing (or not) lame duck mode. */
    public RouteInfo withLameDuckMode(boolean on) {
        return new RouteInfo(serverId, serverName, version, proto, gitCommit, go, host, port, headers, authRequired,
                tlsRequired, tlsVerify, tlsAvailable, maxPayload, jetStream, ip, nonce, cluster, clusterDynamic,
                domain, connectUrls, wsConnectUrls, on, importPermissions, exportPermissions, lnoc,
                infoOnConnect, connectInfo, gatewayUrl, leafNodeUrls);
    }

    /**
     * The URL to dial this peer at: {@code ip} when the peer sent one, else
     * {@code nats-route://host:port/} from its INFO.
     */
    public String routeUrl() {
        if (ip != null && !ip.isEmpty()) {
            return ip;
        }
        return "nats-route://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port + "/";
    }

    /** Reads an INFO's JSON. */
    public static RouteInfo parse(byte[] json) {
        return RouteJson.read(json, RouteInfo.class);
    }

    /** Reads an INFO's JSON from a parser callback's buffer. */
    public static RouteInfo parse(java.nio.ByteBuffer buffer, int offset, int length) {
        return RouteJson.read(RouteJson.bytes(buffer, offset, length), RouteInfo.class);
    }

    /** The JSON as nats-server writes it. */
    public byte[] toJson() {
        return RouteJson.write(this);
    }
}
