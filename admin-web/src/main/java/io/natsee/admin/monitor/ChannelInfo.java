package io.natsee.admin.monitor;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * One streaming channel of {@code /streaming/channelsz?subs=1}.
 *
 * @param name the channel
 * @param msgs messages stored
 * @param bytes bytes stored
 * @param firstSeq first stored sequence
 * @param lastSeq last stored sequence
 * @param subscriptions its subscriptions
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ChannelInfo(
        @JsonProperty("name") String name,
        @JsonProperty("msgs") long msgs,
        @JsonProperty("bytes") long bytes,
        @JsonProperty("first_seq") long firstSeq,
        @JsonProperty("last_seq") long lastSeq,
        @JsonProperty("subscriptions") List<StreamingSubscription> subscriptions) {

    public ChannelInfo {
        subscriptions = subscriptions == null ? List.of() : List.copyOf(subscriptions);
    }

    /** Subscriptions that reached max in flight. */
    public long stalledCount() {
        return subscriptions.stream().filter(StreamingSubscription::stalled).count();
    }
}
