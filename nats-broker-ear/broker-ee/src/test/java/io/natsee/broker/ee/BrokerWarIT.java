package io.natsee.broker.ee;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.ErrorListener;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The broker WAR, as built, inside Payara Micro 6.2025.10: plain jnats clients publish,
 * subscribe and send requests; undeploying closes the clients cleanly and frees the client port;
 * deploying again serves on the same port. (This container adapter runs one Payara Micro process
 * per deployment, so undeploy stops that process; the in-process restart with thread and port
 * release is BrokerConfigurationTest#startedAndStoppedTwiceOnTheGivenThreadsWithNothingLeft.)
 */
@ExtendWith(ArquillianExtension.class)
class BrokerWarIT {

    private static final int PORT = Integer.getInteger("it.broker.port", 4222);

    @ArquillianResource
    Deployer deployer;

    @Deployment(name = "broker", managed = false, testable = false)
    static WebArchive broker() {
        return ShrinkWrap.createFromZipFile(WebArchive.class, new File(System.getProperty("it.war", "target/natsee-broker.war")));
    }

    @Test
    void clientsUseTheDeployedBrokerAndSeeACleanCloseOnUndeployThenItServesAgain() throws Exception {
        for (int round = 1; round <= 2; round++) {
            deployer.deploy("broker");
            CountDownLatch closed = new CountDownLatch(1);
            AtomicInteger errors = new AtomicInteger();
            Options options = new Options.Builder().server("nats://127.0.0.1:" + PORT).noReconnect()
                    .connectionListener((connection, event) -> {
                        if (event == ConnectionListener.Events.CLOSED) {
                            closed.countDown();
                        }
                    })
                    .errorListener(new ErrorListener() {
                        @Override
                        public void errorOccurred(Connection conn, String error) {
                            errors.incrementAndGet();
                        }
                    }).build();
            Connection nc = Nats.connect(options);
            try {
                Subscription sub = nc.subscribe("it.>");
                for (int i = 0; i < 100; i++) {
                    nc.publish("it.n", Integer.toString(i).getBytes(StandardCharsets.UTF_8));
                }
                for (int i = 0; i < 100; i++) {
                    Message got = sub.nextMessage(Duration.ofSeconds(5));
                    assertNotNull(got, "message " + i);
                    assertEquals(Integer.toString(i), new String(got.getData(), StandardCharsets.UTF_8));
                }
                try (Connection responder = Nats.connect("nats://127.0.0.1:" + PORT)) {
                    responder.createDispatcher(msg -> responder.publish(msg.getReplyTo(),
                            ("hello, " + new String(msg.getData(), StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8)))
                            .subscribe("it.greet", "greeters");
                    responder.flush(Duration.ofSeconds(2));
                    Message reply = nc.request("it.greet", ("round " + round).getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(5));
                    assertEquals("hello, round " + round, new String(reply.getData(), StandardCharsets.UTF_8));
                }

                deployer.undeploy("broker");
                assertTrue(closed.await(30, TimeUnit.SECONDS), "the client saw its connection closed");
                assertEquals(0, errors.get(), "no -ERR before the close");
                assertFalse(accepts(PORT), "client port still open after undeploy");
            } finally {
                nc.close();
            }
        }
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
