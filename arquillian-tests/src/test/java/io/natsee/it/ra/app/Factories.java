package io.natsee.it.ra.app;

import jakarta.resource.ConnectionFactoryDefinition;
import jakarta.resource.ConnectionFactoryDefinitions;
import jakarta.resource.spi.TransactionSupport.TransactionSupportLevel;

/**
 * Defines the test application's two NATS connection factories: the default one and one in
 * transactional-publish mode.
 */
@ConnectionFactoryDefinitions({
    @ConnectionFactoryDefinition(name = "java:app/nats/ConnectionFactory",
            interfaceName = "io.natsee.ra.api.NatsConnectionFactory", resourceAdapter = "nats-ra",
            transactionSupport = TransactionSupportLevel.NoTransaction, maxPoolSize = 16),
    @ConnectionFactoryDefinition(name = "java:app/nats/TransactionalConnectionFactory",
            interfaceName = "io.natsee.ra.api.NatsConnectionFactory", resourceAdapter = "nats-ra",
            transactionSupport = TransactionSupportLevel.NoTransaction, properties = {"transactionalPublish=true"})
})
@jakarta.ejb.Singleton
public class Factories {
}
