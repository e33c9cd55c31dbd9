package io.natsee.it.ra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.natsee.it.Deployments;
import io.natsee.it.ItNats;
import io.natsee.it.ra.app.DescriptorMdb;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An MDB without {@code resourceAdapter=nats-ra} in its code, mapped to the adapter by
 * {@code WEB-INF/glassfish-ejb-jar.xml} ({@code mdb-resource-adapter}), as docs/ra-guide.md
 * ("Naming the adapter") describes for Payara.
 */
@ExtendWith(ArquillianExtension.class)
class DescriptorAdapterIT {

    static {
        ItNats.start();
    }

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.war("descriptor", DescriptorMdb.class)
                .addAsWebInfResource("descriptor/glassfish-ejb-jar.xml", "glassfish-ejb-jar.xml");
    }

    @Test
    void theDescriptorNamesTheAdapterForABeanThatDoesNot() throws Exception {
        try (Connection client = ItNats.connect()) {
            Message reply = null;
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (reply == null && System.nanoTime() < deadline) {
                try {
                    reply = client.request("it.descriptor", "hello".getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(2));
                } catch (Exception noRespondersYet) {
                    Thread.sleep(100); // the activation may still be connecting: retry until the deadline
                }
            }
            assertNotNull(reply, "the descriptor-mapped MDB answered");
            assertEquals("mapped: hello", new String(reply.getData(), StandardCharsets.UTF_8));
        }
    }
}
