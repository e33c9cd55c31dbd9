package io.natsee.ra.api;

import jakarta.resource.Referenceable;
import jakarta.resource.ResourceException;
import java.io.Serializable;

/**
 * The connection factory an application injects with {@code @Resource} or {@code @Inject} to
 * obtain pooled {@link NatsConnection} handles.
 *
 * <p>Use it in a try-with-resources block: {@code getConnection()} takes a managed connection
 * from the container's pool and {@link NatsConnection#close()} gives it back; the socket stays
 * open for the next caller.
 */
public interface NatsConnectionFactory extends Serializable, Referenceable {

    /**
     * Returns a handle on a pooled NATS connection.
     *
     * @throws ResourceException if the pool has no connection to give and cannot open one
     */
    NatsConnection getConnection() throws ResourceException;
}
