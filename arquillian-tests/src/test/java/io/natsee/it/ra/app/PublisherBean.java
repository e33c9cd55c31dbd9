package io.natsee.it.ra.app;

import io.natsee.ra.api.NatsConnection;
import io.natsee.ra.api.NatsConnectionFactory;
import jakarta.annotation.Resource;
import jakarta.ejb.SessionContext;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.resource.ResourceException;
import java.nio.charset.StandardCharsets;

/**
 * A stateless bean that publishes through injected factories, inside container transactions.
 */
@Stateless
public class PublisherBean {

    @Inject
    NatsConnectionFactory injected;

    @Resource(lookup = "java:app/nats/TransactionalConnectionFactory")
    NatsConnectionFactory transactional;

    @Resource
    SessionContext context;

    public void publish(String subject, String payload) throws ResourceException {
        try (NatsConnection connection = injected.getConnection()) {
            connection.publish(subject, payload.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Publishes in this method's transaction, which commits unless {@code rollback}. */
    public void publishTransactionally(String subject, String payload, boolean rollback) throws ResourceException {
        try (NatsConnection connection = transactional.getConnection()) {
            connection.publish(subject, payload.getBytes(StandardCharsets.UTF_8));
        }
        if (rollback) {
            context.setRollbackOnly();
        }
    }
}
