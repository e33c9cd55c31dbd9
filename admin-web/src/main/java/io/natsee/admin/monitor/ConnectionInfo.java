package io.natsee.admin.monitor;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * One client connection of {@code /connz} (nats-server's {@code ConnInfo}).
 *
 * @param cid its id
 * @param ip the client's address
 * @param port the client's port
 * @param start when it was accepted (RFC 3339)
 * @param lastActivity when it last sent something
 * @param stop when it closed ({@code null} while open)
 * @param reason why it closed ({@code null} while open)
 * @param rtt round trip time as Go prints it
 * @param uptime time since start
 * @param idle time since its last activity
 * @param pendingBytes bytes queued for it
 * @param inMsgs messages from it
 * @param outMsgs messages to it
 * @param inBytes bytes from it
 * @param outBytes bytes to it
 * @param subscriptions its subscription count
 * @param name the client's name
 * @param lang the client's language
 * @param version the client library's version
 * @param tlsVersion TLS version, when TLS
 * @param authorizedUser the user it authenticated as ({@code auth=1})
 * @param account its account ({@code auth=1})
 * @param subscriptionsList its subjects ({@code subs=1})
 * @param subscriptionsDetail its subscriptions ({@code subs=detail})
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ConnectionInfo(
        @JsonProperty("cid") long cid,
        @JsonProperty("ip") String ip,
        @JsonProperty("port") int port,
        @JsonProperty("start") String start,
        @JsonProperty("last_activity") String lastActivity,
        @JsonProperty("stop") String stop,
        @JsonProperty("reason") String reason,
        @JsonProperty("rtt") String rtt,
        @JsonProperty("uptime") String uptime,
        @JsonProperty("idle") String idle,
        @JsonProperty("pending_bytes") long pendingBytes,
        @JsonProperty("in_msgs") long inMsgs,
        @JsonProperty("out_msgs") long outMsgs,
        @JsonProperty("in_bytes") long inBytes,
        @JsonProperty("out_bytes") long outBytes,
        @JsonProperty("subscriptions") int subscriptions,
        @JsonProperty("name") String name,
        @JsonProperty("lang") String lang,
        @JsonProperty("version") String version,
        @JsonProperty("tls_version") String tlsVersion,
        @JsonProperty("authorized_user") String authorizedUser,
        @JsonProperty("account") String account,
        @JsonProperty("subscriptions_list") List<String> subscriptionsList,
        @JsonProperty("subscriptions_list_detail") List<SubscriptionInfo> subscriptionsDetail) {

    /** Whether the connection has closed. */
    public boolean closed() {
        return stop != null && !stop.isEmpty();
    }

    /** The client's address as {@code ip:port}. */
    public String address() {
        return (ip != null && ip.contains(":") ? "[" + ip + "]" : ip) + ":" + port;
    }
}
