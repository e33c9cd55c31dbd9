package io.natsee.admin.monitor;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One streaming subscription as {@code channelsz} and {@code clientsz} show it.
 *
 * @param clientId the owning client
 * @param inbox where messages go
 * @param queueName its queue group (nats-streaming writes {@code durable:group} for durable queues)
 * @param durableName its durable name
 * @param durable whether it is durable
 * @param offline whether it is a durable whose client is gone
 * @param maxInflight unacknowledged messages allowed
 * @param ackWait seconds before redelivery
 * @param lastSent the last sequence sent
 * @param pendingCount messages sent and not acknowledged
 * @param stalled whether it reached max in flight
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record StreamingSubscription(
        @JsonProperty("client_id") String clientId,
        @JsonProperty("inbox") String inbox,
        @JsonProperty("queue_name") String queueName,
        @JsonProperty("durable_name") String durableName,
        @JsonProperty("is_durable") boolean durable,
        @JsonProperty("is_offline") boolean offline,
        @JsonProperty("max_inflight") int maxInflight,
        @JsonProperty("ack_wait") int ackWait,
        @JsonProperty("last_sent") long lastSent,
        @JsonProperty("pending_count") int pendingCount,
        @JsonProperty("is_stalled") boolean stalled) {
}
