package io.natsee.admin.monitor;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * One page of {@code /connz}.
 *
 * @param serverId the answering server
 * @param numConnections connections on this page
 * @param total connections of the requested state before paging
 * @param offset the page's first index
 * @param limit the page size
 * @param connections the page
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ConnectionPage(
        @JsonProperty("server_id") String serverId,
        @JsonProperty("num_connections") int numConnections,
        @JsonProperty("total") int total,
        @JsonProperty("offset") int offset,
        @JsonProperty("limit") int limit,
        @JsonProperty("connections") List<ConnectionInfo> connections) {

    public ConnectionPage {
        connections = connections == null ? List.of() : List.copyOf(connections);
    }
}
