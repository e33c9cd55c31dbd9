package io.natsee.ra.streaming;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The Java streaming client (io.nats:java-nats-streaming 2.2.3 with jnats 2.6.5 and protobuf
 * 3.9.1), loaded in a class loader of its own so that its old jnats and protobuf stay apart from
 * the adapter's, and driven by reflection: the judge of the adapter's streaming client.
 */
final class JavaStreamingClient implements AutoCloseable {

    /** Where the build copies the client's three jars (the system property set by surefire). */
    static final String JARS_PROPERTY = "natsee.javaStreamingClient";

    private final ClassLoader loader;
    private final Object connection;

    private JavaStreamingClient(ClassLoader loader, Object connection) {
        this.loader = loader;
        this.connection = connection;
    }

    /** Returns the class loader holding the client, or fails the test when the build did not copy it. */
    static ClassLoader loader() throws Exception {
        String directory = System.getProperty(JARS_PROPERTY);
        if (directory == null) {
            throw new IllegalStateException("system property " + JARS_PROPERTY + " is not set; run the tests through Maven");
        }
        URL[] jars;
        try (Stream<Path> files = Files.list(Path.of(directory))) {
            jars = files.filter(path -> path.toString().endsWith(".jar")).map(path -> {
                try {
                    return path.toUri().toURL();
                } catch (MalformedURLException e) {
                    throw new IllegalStateException(e);
                }
            }).toArray(URL[]::new);
        }
        if (jars.length != 3) {
            throw new IllegalStateException("expected the streaming client, jnats and protobuf jars in " + directory);
        }
        return new URLClassLoader("java-nats-streaming", jars, ClassLoader.getPlatformClassLoader());
    }

    static JavaStreamingClient connect(ClassLoader loader, String natsUrl, String clusterId, String clientId) throws Exception {
        Class<?> builderClass = loader.loadClass("io.nats.streaming.Options$Builder");
        Object builder = builderClass.getConstructor().newInstance();
        builder = builderClass.getMethod("natsUrl", String.class).invoke(builder, natsUrl);
        builder = builderClass.getMethod("clusterId", String.class).invoke(builder, clusterId);
        builder = builderClass.getMethod("clientId", String.class).invoke(builder, clientId);
        Object options = builderClass.getMethod("build").invoke(builder);
        Class<?> factoryClass = loader.loadClass("io.nats.streaming.StreamingConnectionFactory");
        Object factory = factoryClass.getConstructor(loader.loadClass("io.nats.streaming.Options")).newInstance(options);
        return new JavaStreamingClient(loader, call(factory, factoryClass.getMethod("createConnection")));
    }

    /** Publishes and waits for the acknowledgement. */
    void publish(String channel, byte[] data) throws Exception {
        call(connection, type("io.nats.streaming.StreamingConnection").getMethod("publish", String.class, byte[].class),
                channel, data);
    }

    /**
     * Subscribes from the first message (or resumes a durable), acknowledging each message by
     * hand after {@code handler} ran; the handler gets the payload, the sequence and the
     * redelivered flag as {@code payload:sequence:redelivered}.
     */
    void subscribeAll(String channel, String durableName, Consumer<String> handler) throws Exception {
        Class<?> optionsBuilderClass = type("io.nats.streaming.SubscriptionOptions$Builder");
        Object builder = optionsBuilderClass.getConstructor().newInstance();
        builder = optionsBuilderClass.getMethod("deliverAllAvailable").invoke(builder);
        builder = optionsBuilderClass.getMethod("manualAcks").invoke(builder);
        builder = optionsBuilderClass.getMethod("ackWait", Duration.class).invoke(builder, Duration.ofSeconds(30));
        if (durableName != null) {
            builder = optionsBuilderClass.getMethod("durableName", String.class).invoke(builder, durableName);
        }
        Object options = optionsBuilderClass.getMethod("build").invoke(builder);
        Class<?> handlerType = type("io.nats.streaming.MessageHandler");
        Class<?> messageType = type("io.nats.streaming.Message");
        Method getData = messageType.getMethod("getData");
        Method getSequence = messageType.getMethod("getSequence");
        Method isRedelivered = messageType.getMethod("isRedelivered");
        Method ack = messageType.getMethod("ack");
        Object callback = Proxy.newProxyInstance(loader, new Class<?>[] {handlerType}, (proxy, method, args) -> {
            switch (method.getName()) {
                case "onMessage" -> {
                    Object message = args[0];
                    handler.accept(new String((byte[]) getData.invoke(message), java.nio.charset.StandardCharsets.UTF_8)
                            + ":" + getSequence.invoke(message) + ":" + isRedelivered.invoke(message));
                    ack.invoke(message);
                    return null;
                }
                case "hashCode" -> {
                    return System.identityHashCode(proxy);
                }
                case "equals" -> {
                    return proxy == args[0];
                }
                default -> {
                    return "java streaming client handler";
                }
            }
        });
        call(connection, type("io.nats.streaming.StreamingConnection").getMethod("subscribe", String.class, handlerType,
                type("io.nats.streaming.SubscriptionOptions")), channel, callback, options);
    }

    @Override
    public void close() throws Exception {
        call(connection, type("io.nats.streaming.StreamingConnection").getMethod("close"));
    }

    private Class<?> type(String name) throws ClassNotFoundException {
        return loader.loadClass(name);
    }

    private static Object call(Object target, Method method, Object... args) throws Exception {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(method.getDeclaringClass().getClassLoader());
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
