package io.natsee.examples.greeter;

import jakarta.resource.ConnectionFactoryDefinition;
import jakarta.resource.spi.TransactionSupport.TransactionSupportLevel;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** The REST root ({@code /api}) and the application's pooled NATS connection factory. */
@ConnectionFactoryDefinition(name = NatsResources.FACTORY,
        interfaceName = "io.natsee.ra.api.NatsConnectionFactory", resourceAdapter = "nats-ra",
        transactionSupport = TransactionSupportLevel.NoTransaction, maxPoolSize = 8)
@ApplicationPath("api")
public class NatsResources extends Application {

    static final String FACTORY = "java:app/nats/Greeter";
}
