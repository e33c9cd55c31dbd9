package io.natsee.streaming.store;

import java.util.Map;
import java.util.Objects;

/**
 * A subscription's stored state: the reference's {@code SubState}, plus free attributes for
 * settings beyond the reference (maximum deliveries, dead-letter channel, back-off) that the
 * store keeps without reading them.
 *
 * <p>A consumer position in general terms: {@code lastSent} is the highest sequence handed to the
 * consumer; the pending set kept by {@link SubStore} holds those not yet acknowledged.
 *
 * @param id unique within the {@link Store}, assigned by {@link SubStore#create}; 0 before that
 * @param clientId the owning client's id ({@code ""} for an offline durable queue group is allowed)
 * @param queueGroup the queue group, {@code ""} when none; for a durable queue group the
 *        reference's internal name {@code durableName + ":" + group}
 * @param inbox the subject messages are delivered to
 * @param ackInbox the subject the server receives this subscription's acks on
 * @param maxInFlight unacknowledged messages allowed
 * @param ackWaitSeconds redelivery timeout in seconds
 * @param durableName {@code ""} when not durable (by name)
 * @param lastSent highest sequence sent; the start position is expressed by setting it before
 *        {@link SubStore#create} (e.g. {@code first - 1} for "all available")
 * @param durable whether the subscription survives its client's close/unsubscribe rules
 * @param closed a durable whose client closed it (offline, position kept)
 * @param attributes extra settings, stored and recovered as given; never null
 */
public record SubscriptionRecord(long id, String clientId, String queueGroup, String inbox, String ackInbox,
                                 int maxInFlight, int ackWaitSeconds, String durableName, long lastSent,
                                 boolean durable, boolean closed, Map<String, String> attributes) {

    /** Normalises nulls to {@code ""} and an empty map, and copies the attributes. */
    public SubscriptionRecord {
        clientId = Objects.requireNonNullElse(clientId, "");
        queueGroup = Objects.requireNonNullElse(queueGroup, "");
        inbox = Objects.requireNonNullElse(inbox, "");
        ackInbox = Objects.requireNonNullElse(ackInbox, "");
        durableName = Objects.requireNonNullElse(durableName, "");
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    }

    /** This record with another id. */
    public SubscriptionRecord withId(long newId) {
        return new SubscriptionRecord(newId, clientId, queueGroup, inbox, ackInbox, maxInFlight, ackWaitSeconds,
                durableName, lastSent, durable, closed, attributes);
    }

    /** This record with another last sent sequence. */
    public SubscriptionRecord withLastSent(long newLastSent) {
        return new SubscriptionRecord(id, clientId, queueGroup, inbox, ackInbox, maxInFlight, ackWaitSeconds,
                durableName, newLastSent, durable, closed, attributes);
    }
}
