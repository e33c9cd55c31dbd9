package io.natsee.ra.api;

import jakarta.inject.Qualifier;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A CDI qualifier that names the JNDI resource behind an injected {@link NatsConnectionFactory}:
 * {@code @Inject @NatsFactory("java:app/nats/orders") NatsConnectionFactory orders;}.
 *
 * <p>Without the qualifier, {@code @Inject NatsConnectionFactory} gets the default factory
 * (see the resource adapter guide for the names it tries).
 */
@Qualifier
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER, ElementType.TYPE})
public @interface NatsFactory {

    /** The JNDI name of the connection factory resource. */
    String value();
}
