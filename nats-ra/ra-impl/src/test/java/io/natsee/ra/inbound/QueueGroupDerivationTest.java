package io.natsee.ra.inbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.natsee.ra.api.NatsMessageListener;
import io.natsee.ra.support.FakeMessageEndpointFactory;
import org.junit.jupiter.api.Test;

/** The default queue group names the application, never the server it runs on. */
class QueueGroupDerivationTest {

    private static final String BEAN = "io.natsee.it.ra.app.EchoMdb";

    @Test
    void payarasDomainAndServerFieldsAreDropped() {
        // As logged by Payara Micro 6.2025.10 for a standalone WAR named "restart".
        assertEquals("restart_io.natsee.it.ra.app.EchoMdb",
                NatsActivation.derivedQueueGroup("domain1_server_restart_restart_" + BEAN, BEAN, "server"));
        assertEquals("restart_io.natsee.it.ra.app.EchoMdb",
                NatsActivation.derivedQueueGroup("domain1_server_restart_restart_" + BEAN, BEAN, null));
    }

    @Test
    void instancesOfOneApplicationGetTheSameGroup() {
        String onFirst = NatsActivation.derivedQueueGroup("domain1_instance1_shop_shop-ejb.jar_" + BEAN, BEAN, "instance1");
        String onSecond = NatsActivation.derivedQueueGroup("domain1_instance2_shop_shop-ejb.jar_" + BEAN, BEAN, "instance2");
        String inCluster = NatsActivation.derivedQueueGroup("production_cluster-a_shop_shop-ejb.jar_" + BEAN, BEAN, "node7");
        assertEquals("shop_shop-ejb.jar_io.natsee.it.ra.app.EchoMdb", onFirst);
        assertEquals(onFirst, onSecond);
        assertEquals(onFirst, inCluster);
    }

    @Test
    void underscoresInTheServerNameAreHandledWhenTheInstanceNameIsKnown() {
        String first = NatsActivation.derivedQueueGroup("my_domain_app_server_1_shop_web.war_" + BEAN, BEAN, "app_server_1");
        String second = NatsActivation.derivedQueueGroup("my_domain_app_server_2_shop_web.war_" + BEAN, BEAN, "app_server_2");
        assertEquals("shop_web.war_io.natsee.it.ra.app.EchoMdb", first);
        assertEquals(first, second);
    }

    @Test
    void underscoresInTheApplicationNameAreKept() {
        assertEquals("order_service_io.natsee.it.ra.app.EchoMdb",
                NatsActivation.derivedQueueGroup("domain1_server_order_service_order_service_" + BEAN, BEAN, "server"));
    }

    @Test
    void otherContainersNamesAreUsedAsTheyAre() {
        assertEquals("shop_web_OrderBean", NatsActivation.derivedQueueGroup("shop#web#OrderBean", BEAN, "server"));
        assertEquals("app_" + BEAN, NatsActivation.derivedQueueGroup("app_" + BEAN, BEAN, null), "too few fields for Payara's form");
        assertEquals(BEAN, NatsActivation.derivedQueueGroup(null, BEAN, null));
        assertEquals("natsee", NatsActivation.derivedQueueGroup(" ", null, null));
    }

    @Test
    void anExplicitGroupOrNoLoadBalancingWins() {
        FakeMessageEndpointFactory factory = new FakeMessageEndpointFactory(new Object(), NatsMessageListener.class,
                "domain1_server_shop_shop_java.lang.Object");
        NatsActivationSpec spec = new NatsActivationSpec();
        assertEquals("shop_java.lang.Object", NatsActivation.queueGroupFor(spec, factory));
        spec.setQueueGroup("orders");
        assertEquals("orders", NatsActivation.queueGroupFor(spec, factory));
        spec.setQueueGroup(null);
        spec.setLoadBalanced(false);
        assertNull(NatsActivation.queueGroupFor(spec, factory));
    }
}
