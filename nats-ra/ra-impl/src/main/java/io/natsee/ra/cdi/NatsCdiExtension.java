package io.natsee.ra.cdi;

import io.natsee.ra.api.NatsConnectionFactory;
import io.natsee.ra.api.NatsFactory;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.CreationException;
import jakarta.enterprise.inject.Default;
import jakarta.enterprise.inject.spi.AfterBeanDiscovery;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.Extension;
import jakarta.enterprise.inject.spi.InjectionPoint;
import jakarta.enterprise.inject.spi.ProcessBean;
import jakarta.enterprise.inject.spi.ProcessInjectionPoint;
import jakarta.enterprise.util.AnnotationLiteral;
import java.lang.annotation.Annotation;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.naming.InitialContext;
import javax.naming.NamingException;

/**
 * A CDI portable extension that makes {@code @Inject NatsConnectionFactory} and
 * {@code @Inject @NatsFactory("jndi-name") NatsConnectionFactory} work without a producer: it
 * adds beans that look the factory up in JNDI.
 *
 * <p>The unqualified bean looks up, in order, the name in the system property
 * {@value #DEFAULT_NAME_PROPERTY}, then {@code java:app/nats/ConnectionFactory},
 * {@code java:global/nats/ConnectionFactory}, {@code java:comp/env/nats/ConnectionFactory} and
 * {@code nats/ConnectionFactory}. It is not added when the application has its own default bean.
 */
public class NatsCdiExtension implements Extension {

    /** System property naming the JNDI name of the default factory. */
    public static final String DEFAULT_NAME_PROPERTY = "io.natsee.ra.connectionFactory";
    /** JNDI names tried, in order, for the unqualified factory. */
    public static final List<String> DEFAULT_NAMES = List.of("java:app/nats/ConnectionFactory",
            "java:global/nats/ConnectionFactory", "java:comp/env/nats/ConnectionFactory", "nats/ConnectionFactory");

    private final Set<String> qualifiedNames = ConcurrentHashMap.newKeySet();
    private volatile boolean applicationHasDefault;

    void collectNames(@Observes ProcessInjectionPoint<?, NatsConnectionFactory> event) {
        InjectionPoint injectionPoint = event.getInjectionPoint();
        for (Annotation qualifier : injectionPoint.getQualifiers()) {
            if (qualifier instanceof NatsFactory named) {
                qualifiedNames.add(named.value());
            }
        }
    }

    void noticeApplicationBeans(@Observes ProcessBean<?> event) {
        Bean<?> bean = event.getBean();
        if (bean.getTypes().contains(NatsConnectionFactory.class) && bean.getQualifiers().contains(Default.Literal.INSTANCE)) {
            applicationHasDefault = true;
        }
    }

    void addBeans(@Observes AfterBeanDiscovery event) {
        if (!applicationHasDefault) {
            event.<NatsConnectionFactory>addBean()
                    .beanClass(NatsCdiExtension.class)
                    .types(NatsConnectionFactory.class, Object.class)
                    .qualifiers(Default.Literal.INSTANCE, Any.Literal.INSTANCE)
                    .scope(Dependent.class)
                    .createWith(context -> lookupDefault());
        }
        for (String name : qualifiedNames) {
            event.<NatsConnectionFactory>addBean()
                    .beanClass(NatsCdiExtension.class)
                    .types(NatsConnectionFactory.class, Object.class)
                    .qualifiers(new NatsFactoryLiteral(name), Any.Literal.INSTANCE)
                    .scope(Dependent.class)
                    .createWith(context -> lookup(name));
        }
    }

    static NatsConnectionFactory lookupDefault() {
        List<String> names = new ArrayList<>();
        String configured = System.getProperty(DEFAULT_NAME_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            names.add(configured);
        }
        names.addAll(DEFAULT_NAMES);
        List<String> failures = new ArrayList<>();
        for (String name : names) {
            try {
                Object found = InitialContext.doLookup(name);
                if (found instanceof NatsConnectionFactory factory) {
                    return factory;
                }
                failures.add(name + " holds " + (found == null ? "null" : found.getClass().getName()));
            } catch (NamingException e) {
                failures.add(name + ": " + e.getClass().getSimpleName());
            }
        }
        throw new CreationException("no NATS connection factory found in JNDI; tried " + String.join(", ", failures)
                + ". Define one under one of these names, or set -D" + DEFAULT_NAME_PROPERTY + "=<jndi name>");
    }

    static NatsConnectionFactory lookup(String name) {
        try {
            return InitialContext.doLookup(name);
        } catch (NamingException e) {
            throw new CreationException("no NATS connection factory at JNDI name " + name, e);
        }
    }

    /** The runtime form of {@code @NatsFactory(value)}. */
    @SuppressWarnings("all")
    static final class NatsFactoryLiteral extends AnnotationLiteral<NatsFactory> implements NatsFactory {

        private static final long serialVersionUID = 1L;
        private final String value;

        NatsFactoryLiteral(String value) {
            this.value = value;
        }

        @Override
        public String value() {
            return value;
        }
    }
}
