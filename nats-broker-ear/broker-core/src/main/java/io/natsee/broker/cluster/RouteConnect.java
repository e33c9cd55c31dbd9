package io.natsee.broker.cluster;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The JSON of the {@code CONNECT} that the dialling side of a route sends, with nats-server
 * 2.9.10's field names, order and {@code omitempty} rules (its route {@code connectInfo}). It
 * has no {@code lang}: that marks a client. Unknown fields are ignored when reading.
 *
 * @param echo always true from nats-server
 * @param verbose always false
 * @param pedantic always false
 * @param user the route user; omitted when empty
 * @param pass the route password; omitted when empty
 * @param tlsRequired whether the route runs over TLS
 * @param headers whether the dialler forwards header messages
 * @param name the dialler's server id (not its server name)
 * @param cluster the dialler's cluster name
 * @param clusterDynamic whether that name was generated; omitted when false
 * @param lnoc whether leaf-node-origin interest is understood; omitted when false
 * @param gateway omitted when empty
 */
@JsonPropertyOrder({"echo", "verbose", "pedantic", "user", "pass", "tls_required", "headers", "name", "cluster",
        "cluster_dynamic", "lnoc", "gateway"})
@JsonIgnoreProperties(ignoreUnknown = true)
public record RouteConnect(
        @JsonProperty("echo") boolean echo,
        @JsonProperty("verbose") boolean verbose,
        @JsonProperty("pedantic") boolean pedantic,
        @JsonProperty("user") @JsonInclude(Include.NON_EMPTY) String user,
        @JsonProperty("pass") @JsonInclude(Include.NON_EMPTY) String pass,
        @JsonProperty("tls_required") boolean tlsRequired,
        @JsonProperty("headers") boolean headers,
        @JsonProperty("name") String name,
        @JsonProperty("cluster") String cluster,
        @JsonProperty("cluster_dynamic") @JsonInclude(Include.NON_DEFAULT) boolean clusterDynamic,
        @JsonProperty("lnoc") @JsonInclude(Include.NON_DEFAULT) boolean lnoc,
        @JsonProperty("gateway") @JsonInclude(Include.NON_EMPTY) String gateway) {

    /** The CONNECT this server sends when it dials a route, shaped as 2.9.10's. */
    public static RouteConnect of(String user, String pass, boolean tlsRequired, String serverId, String cluster,
                                  boolean clusterDynamic) {
        return new RouteConnect(true, false, false, user, pass, tlsRequired, true, serverId, cluster == null ? "" : cluster,
                clusterDynamic, true, null);
    }

    /** Reads a CONNECT's JSON. */
    public static RouteConnect parse(byte[] json) {
        return RouteJson.read(json, RouteConnect.class);
    }

    /** Reads a CONNECT's JSON from a parser callback's buffer. */
    public static RouteConnect parse(java.nio.ByteBuffer buffer, int offset, int length) {
        return RouteJson.read(RouteJson.bytes(buffer, offset, length), RouteConnect.class);
    }

    /** The JSON as nats-server writes it. */
    public byte[] toJson() {
        return RouteJson.write(this);
    }

    /** The record's text without the password. */
    @Override
    public String toString() {
        return "RouteConnect[echo=" + echo + ", verbose=" + verbose + ", pedantic=" + pedantic + ", user=" + user
                + ", pass=" + (pass == null ? null : "<hidden>") + ", tlsRequired=" + tlsRequired + ", headers=" + headers
                + ", name=" + name + ", cluster=" + cluster + ", clusterDynamic=" + clusterDynamic + ", lnoc=" + lnoc + "]";
    }
}
