package io.natsee.ra.inbound;

/**
 * One message-driven bean endpoint the resource adapter activated: core NATS
 * ({@link NatsActivation}) or NATS Streaming ({@link StreamingActivation}).
 */
public interface InboundActivation {

    /** Schedules the first setup attempt on a Work and returns at once. */
    void start() throws jakarta.resource.ResourceException;

    /** Marks the activation stopped and starts stopping without waiting, so many stop side by side. */
    void beginStop();

    /** Waits (bounded by the drain timeout) for what {@link #beginStop()} started and closes the connection. */
    void awaitStopped();

    /** Stops: {@link #beginStop()}, then {@link #awaitStopped()}. */
    default void stop() {
        beginStop();
        awaitStopped();
    }
}
