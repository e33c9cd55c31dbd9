package io.natsee.ra.support;

import jakarta.resource.spi.UnavailableException;
import jakarta.resource.spi.endpoint.MessageEndpoint;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.transaction.xa.XAResource;

/**
 * Builds endpoints the way a container does: a proxy that implements MessageEndpoint and the
 * bean's listener interface, forwarding listener calls to the bean; it checks that
 * beforeDelivery and afterDelivery come in pairs around each call and that every endpoint is
 * released.
 */
public final class FakeMessageEndpointFactory implements MessageEndpointFactory {

    private final Object bean;
    private final Class<?> listenerInterface;
    private final String activationName;
    private final AtomicInteger created = new AtomicInteger();
    private final AtomicInteger released = new AtomicInteger();
    private final AtomicInteger beforeDeliveries = new AtomicInteger();
    private final AtomicInteger afterDeliveries = new AtomicInteger();
    private final List<String> violations = Collections.synchronizedList(new ArrayList<>());
    private volatile FakeTransactionSynchronizationRegistry transactions;

    public FakeMessageEndpointFactory(Object bean, Class<?> listenerInterface, String activationName) {
        this.bean = bean;
        this.listenerInterface = listenerInterface;
        this.activationName = activationName;
    }

    /**
     * Runs every delivery in a container-managed transaction, as for a REQUIRED bean: begun in
     * beforeDelivery, committed in afterDelivery, rolled back instead when the bean threw or
     * marked it rollback-only.
     */
    public FakeMessageEndpointFactory transacted(FakeTransactionSynchronizationRegistry registry) {
        this.transactions = registry;
        return this;
    }

    @Override
    public MessageEndpoint createEndpoint(XAResource xaResource) throws UnavailableException {
        created.incrementAndGet();
        boolean[] threw = {false};
        boolean[] inDelivery = {false};
        boolean[] wasReleased = {false};
        return (MessageEndpoint) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {MessageEndpoint.class, listenerInterface}, (proxy, method, args) -> {
                    if (wasReleased[0]) {
                        violations.add(method.getName() + " after release");
                    }
                    switch (method.getName()) {
                        case "beforeDelivery" -> {
                            if (inDelivery[0]) {
                                violations.add("beforeDelivery twice");
                            }
                            inDelivery[0] = true;
                            beforeDeliveries.incrementAndGet();
                            threw[0] = false;
                            if (transactions != null) {
                                transactions.begin();
                            }
                            return null;
                        }
                        case "afterDelivery" -> {
                            if (!inDelivery[0]) {
                                violations.add("afterDelivery without beforeDelivery");
                            }
                            inDelivery[0] = false;
                            afterDeliveries.incrementAndGet();
                            if (transactions != null) {
                                if (threw[0] || transactions.getTransactionStatus() == jakarta.transaction.Status.STATUS_MARKED_ROLLBACK) {
                                    transactions.rollback();
                                } else {
                                    transactions.commit();
                                }
                            }
                            return null;
                        }
                        case "release" -> {
                            if (inDelivery[0]) {
                                violations.add("release inside a delivery");
                            }
                            wasReleased[0] = true;
                            released.incrementAndGet();
                            return null;
                        }
                        case "hashCode" -> {
                            return System.identityHashCode(proxy);
                        }
                        case "equals" -> {
                            return proxy == args[0];
                        }
                        case "toString" -> {
                            return "endpoint for " + bean;
                        }
                        default -> {
                            if (!inDelivery[0]) {
                                violations.add(method.getName() + " outside beforeDelivery/afterDelivery");
                            }
                            try {
                                return method.invoke(bean, args);
                            } catch (InvocationTargetException e) {
                                threw[0] = true;
                                throw e.getCause();
                            }
                        }
                    }
                });
    }

    @Override
    public MessageEndpoint createEndpoint(XAResource xaResource, long timeout) throws UnavailableException {
        return createEndpoint(xaResource);
    }

    @Override
    public boolean isDeliveryTransacted(Method method) {
        return false;
    }

    @Override
    public String getActivationName() {
        return activationName;
    }

    @Override
    public Class<?> getEndpointClass() {
        return bean.getClass();
    }

    public int created() {
        return created.get();
    }

    public int released() {
        return released.get();
    }

    public int beforeDeliveries() {
        return beforeDeliveries.get();
    }

    public int afterDeliveries() {
        return afterDeliveries.get();
    }

    public List<String> violations() {
        return new ArrayList<>(violations);
    }
}
