package com.example.starter;

import jakarta.resource.ConnectionFactoryDefinition;
import jakarta.resource.spi.TransactionSupport.TransactionSupportLevel;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** The REST root ({@code /api}) and the application's pooled NATS connection factory. */
@ConnectionFactoryDefinition(name = StarterApplication.FACTORY,
        interfaceName = "io.natsee.ra.api.NatsConnectionFactory", resourceAdapter = "nats-ra",
        transactionSupport = TransactionSupportLevel.NoTransaction, maxPoolSize = 8)
@ApplicationPath("api")
public class StarterApplication extends Application {

    /** The JNDI name of the connection factory; inject it with {@code @Resource(lookup = FACTORY)}. */
    public static final String FACTORY = "java:app/nats/Starter";
}
