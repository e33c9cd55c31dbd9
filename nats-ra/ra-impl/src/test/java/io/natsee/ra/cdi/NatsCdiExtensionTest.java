package io.natsee.ra.cdi;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.natsee.ra.api.NatsConnection;
import io.natsee.ra.api.NatsConnectionFactory;
import io.natsee.ra.api.NatsFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.CreationException;
import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.inject.spi.Extension;
import jakarta.inject.Inject;
import java.lang.reflect.Proxy;
import java.util.Hashtable;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;
import javax.naming.Context;
import javax.naming.NameNotFoundException;
import javax.naming.spi.InitialContextFactory;
import javax.naming.Reference;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The CDI extension in a real CDI container (Weld SE), with JNDI played by an in-memory naming
 * context: {@code @Inject NatsConnectionFactory} and {@code @Inject @NatsFactory("...")} without
 * a producer.
 */
class NatsCdiExtensionTest {

    /** JNDI for these tests: names bound in a map. */
    public static final class MapContextFactory implements InitialContextFactory {
        static final Map<String, Object> BOUND = new ConcurrentHashMap<>();

        @Override
        public Context getInitialContext(Hashtable<?, ?> environment) {
            return (Context) Proxy.newProxyInstance(Context.class.getClassLoader(), new Class<?>[] {Context.class},
                    (proxy, method, args) -> switch (method.getName()) {
                        case "lookup" -> {
                            Object found = BOUND.get(String.valueOf(args[0]));
                            if (found == null) {
                                throw new NameNotFoundException(String.valueOf(args[0]));
                            }
                            yield found;
                        }
                        case "close" -> null;
                        case "getEnvironment" -> new Hashtable<>();
                        default -> throw new UnsupportedOperationException(method.getName());
                    });
        }
    }

    /** A stand-in for the adapter's factory; only its identity matters here. */
    static final class StubFactory implements NatsConnectionFactory {
        private static final long serialVersionUID = 1L;
        private final String name;

        StubFactory(String name) {
            this.name = name;
        }

        @Override
        public NatsConnection getConnection() {
            throw new UnsupportedOperationException(name);
        }

        @Override
        public void setReference(Reference reference) {
        }

        @Override
        public Reference getReference() {
            return null;
        }

        @Override
        public String toString() {
            return "StubFactory[" + name + "]";
        }
    }

    /** An application bean injecting both forms (dependent, so the test reads its fields directly, not through a proxy). */
    @Dependent
    public static class OrderService {
        @Inject
        NatsConnectionFactory nats;

        @Inject
        @NatsFactory("java:app/nats/orders")
        NatsConnectionFactory orders;
    }

    /** An application bean injecting only the default factory. */
    @Dependent
    public static class PlainUser {
        @Inject
        NatsConnectionFactory nats;
    }

    /** An application that produces its own default factory. */
    @ApplicationScoped
    public static class OwnProducer {
        static final NatsConnectionFactory OWN = new StubFactory("own");

        @Produces
        NatsConnectionFactory factory() {
            return OWN;
        }
    }

    private String savedFactory;

    @BeforeEach
    void setUp() {
        savedFactory = System.getProperty(Context.INITIAL_CONTEXT_FACTORY);
        System.setProperty(Context.INITIAL_CONTEXT_FACTORY, MapContextFactory.class.getName());
        MapContextFactory.BOUND.clear();
    }

    @AfterEach
    void tearDown() {
        if (savedFactory == null) {
            System.clearProperty(Context.INITIAL_CONTEXT_FACTORY);
        } else {
            System.setProperty(Context.INITIAL_CONTEXT_FACTORY, savedFactory);
        }
        System.clearProperty(NatsCdiExtension.DEFAULT_NAME_PROPERTY);
        MapContextFactory.BOUND.clear();
    }

    /**
     * Boots Weld with only these bean classes and the extension (Weld SE loads no extensions from
     * META-INF/services once discovery is off; the service file is checked separately).
     */
    private static WeldContainer boot(Class<?>... beans) {
        return new Weld().disableDiscovery().addExtension(new NatsCdiExtension()).addBeanClasses(beans).initialize();
    }

    @Test
    void theExtensionIsDeclaredAsAService() {
        boolean found = false;
        for (Extension extension : ServiceLoader.load(Extension.class, NatsCdiExtension.class.getClassLoader())) {
            found |= extension instanceof NatsCdiExtension;
        }
        assertTrue(found, "META-INF/services/jakarta.enterprise.inject.spi.Extension names NatsCdiExtension");
    }

    @Test
    void injectsTheDefaultAndANamedFactoryWithoutAProducer() {
        StubFactory defaultFactory = new StubFactory("default");
        StubFactory ordersFactory = new StubFactory("orders");
        MapContextFactory.BOUND.put("java:app/nats/ConnectionFactory", defaultFactory);
        MapContextFactory.BOUND.put("java:app/nats/orders", ordersFactory);
        try (WeldContainer container = boot(OrderService.class)) {
            OrderService service = container.select(OrderService.class).get();
            assertSame(defaultFactory, service.nats);
            assertSame(ordersFactory, service.orders);
        }
    }

    @Test
    void theDefaultFollowsTheSystemPropertyThenTheListOfNames() {
        StubFactory global = new StubFactory("global");
        StubFactory configured = new StubFactory("configured");
        MapContextFactory.BOUND.put("java:global/nats/ConnectionFactory", global);
        MapContextFactory.BOUND.put("java:global/custom", configured);
        try (WeldContainer container = boot(PlainUser.class)) {
            assertSame(global, container.select(PlainUser.class).get().nats, "the first name of the list that is bound");
            System.setProperty(NatsCdiExtension.DEFAULT_NAME_PROPERTY, "java:global/custom");
            assertSame(configured, container.select(PlainUser.class).get().nats, "the system property comes first");
        }
    }

    @Test
    void stepsAsideForTheApplicationsOwnDefaultFactory() {
        MapContextFactory.BOUND.put("java:app/nats/ConnectionFactory", new StubFactory("from jndi"));
        try (WeldContainer container = boot(PlainUser.class, OwnProducer.class)) {
            assertSame(OwnProducer.OWN, container.select(PlainUser.class).get().nats, "no ambiguity: the application's bean wins");
        }
    }

    @Test
    void aMissingFactoryFailsWithTheNamesTried() {
        try (WeldContainer container = boot(PlainUser.class)) {
            CreationException thrown = assertThrows(CreationException.class, () -> container.select(PlainUser.class).get());
            Throwable cause = thrown;
            while (cause.getCause() != null && !cause.getMessage().contains("no NATS connection factory")) {
                cause = cause.getCause();
            }
            assertTrue(cause.getMessage().contains("java:app/nats/ConnectionFactory")
                    && cause.getMessage().contains(NatsCdiExtension.DEFAULT_NAME_PROPERTY), cause.getMessage());
        }
    }
}
