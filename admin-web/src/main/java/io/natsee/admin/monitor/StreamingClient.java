package io.natsee.admin.monitor;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * One streaming client of {@code /streaming/clientsz?subs=1}.
 *
 * @param id the client id
 * @param heartbeatInbox where the server sends heartbeats
 * @param subscriptions its subscriptions by channel
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record StreamingClient(
        @JsonProperty("id") String id,
        @JsonProperty("hb_inbox") String heartbeatInbox,
        @JsonProperty("subscriptions") Map<String, List<StreamingSubscription>> subscriptions) {

    public StreamingClient {
        subscriptions = subscriptions == null ? Map.of() : Map.copyOf(subscriptions);
    }

    /** Its subscriptions over every channel. */
    public int subscriptionCount() {
        return subscriptions.values().stream().mapToInt(List::size).sum();
    }
}
