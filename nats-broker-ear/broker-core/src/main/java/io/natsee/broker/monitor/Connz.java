package io.natsee.broker.monitor;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Instant;
import java.util.List;

/**
 * The answer of nats-server 2.9.10's {@code /connz}: one page of client connections, with the
 * JSON names, order and units of its {@code Connz} and {@code ConnInfo}.
 *
 * @param serverId the server's id
 * @param now when the answer was made
 * @param numConnections the connections on this page
 * @param total the connections of the requested state before paging
 * @param offset the page's first index
 * @param limit the page's size
 * @param connections the page
 */
public record Connz(
        @JsonProperty("server_id") String serverId,
        @JsonProperty("now") Instant now,
        @JsonProperty("num_connections") int numConnections,
        @JsonProperty("total") int total,
        @JsonProperty("offset") int offset,
        @JsonProperty("limit") int limit,
        @JsonProperty("connections") List<ConnInfo> connections) {

    /**
     * One connection of {@code /connz} ({@code ConnInfo}). Members marked "left out when empty"
     * are {@code omitempty} in nats-server.
     *
     * @param cid the connection id
     * @param kind {@code Client}
     * @param type {@code nats}
     * @param ip the client's address
     * @param port the client's port
     * @param start when it was accepted
     * @param lastActivity when the client last sent something
     * @param stop when it closed; left out while open
     * @param reason why it closed; left out while open
     * @param rtt the round trip as Go prints a duration ({@code 1.02582ms}, {@code 0s})
     * @param uptime the time since start (or until stop), as nats-server writes it
     * @param idle the time since the last activity, as nats-server writes it
     * @param pendingBytes bytes queued for the client
     * @param inMsgs messages received from it
     * @param outMsgs messages delivered to it
     * @param inBytes payload bytes received from it
     * @param outBytes payload bytes delivered to it
     * @param subscriptions its number of subscriptions
     * @param name the client's name; left out when empty
     * @param lang the client's language; left out when empty
     * @param version the client's version; left out when empty
     * @param tlsVersion the TLS version; left out when empty
     * @param tlsCipherSuite the TLS cipher suite; left out when empty
     * @param authorizedUser the authenticated user ({@code auth=1} only); left out when empty
     * @param account the account unless the global one ({@code auth=1} only); left out when empty
     * @param subscriptionsList the subjects ({@code subs=1}); left out when empty
     * @param subscriptionsListDetail the subscriptions ({@code subs=detail}); left out when empty
     */
    public record ConnInfo(
            @JsonProperty("cid") long cid,
            @JsonProperty("kind") String kind,
            @JsonProperty("type") String type,
            @JsonProperty("ip") String ip,
            @JsonProperty("port") int port,
            @JsonProperty("start") Instant start,
            @JsonProperty("last_activity") Instant lastActivity,
            @JsonProperty("stop") @JsonInclude(JsonInclude.Include.NON_NULL) Instant stop,
            @JsonProperty("reason") @JsonInclude(JsonInclude.Include.NON_EMPTY) String reason,
            @JsonProperty("rtt") @JsonInclude(JsonInclude.Include.NON_EMPTY) String rtt,
            @JsonProperty("uptime") String uptime,
            @JsonProperty("idle") String idle,
            @JsonProperty("pending_bytes") long pendingBytes,
            @JsonProperty("in_msgs") long inMsgs,
            @JsonProperty("out_msgs") long outMsgs,
            @JsonProperty("in_bytes") long inBytes,
            @JsonProperty("out_bytes") long outBytes,
            @JsonProperty("subscriptions") int subscriptions,
            @JsonProperty("name") @JsonInclude(JsonInclude.Include.NON_EMPTY) String name,
            @JsonProperty("lang") @JsonInclude(JsonInclude.Include.NON_EMPTY) String lang,
            @JsonProperty("version") @JsonInclude(JsonInclude.Include.NON_EMPTY) String version,
            @JsonProperty("tls_version") @JsonInclude(JsonInclude.Include.NON_EMPTY) String tlsVersion,
            @JsonProperty("tls_cipher_suite") @JsonInclude(JsonInclude.Include.NON_EMPTY) String tlsCipherSuite,
            @JsonProperty("authorized_user") @JsonInclude(JsonInclude.Include.NON_EMPTY) String authorizedUser,
            @JsonProperty("account") @JsonInclude(JsonInclude.Include.NON_EMPTY) String account,
            @JsonProperty("subscriptions_list") @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> subscriptionsList,
            @JsonProperty("subscriptions_list_detail") @JsonInclude(JsonInclude.Include.NON_EMPTY)
            List<SubDetail> subscriptionsListDetail) {
    }
}
