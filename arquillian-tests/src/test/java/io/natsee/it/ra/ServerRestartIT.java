package io.natsee.it.ra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.natsee.it.Deployments;
import io.natsee.it.ItNats;
import io.natsee.it.ra.app.EchoMdb;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A message-driven bean inside Payara Micro keeps receiving after the NATS server restarts.
 */
@ExtendWith(ArquillianExtension.class)
class ServerRestartIT {

    static {
        ItNats.start();
    }

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.war("restart", EchoMdb.class);
    }

    private static String echo(Connection client, String text, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                Message reply = client.request("it.echo", text.getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(1));
                if (reply != null) {
                    return new String(reply.getData(), StandardCharsets.UTF_8);
                }
            } catch (IllegalStateException notYet) {
                Thread.sleep(100);
            }
        }
        return null;
    }

    @Test
    void deliveryResumesAfterTheServerRestarts() throws Exception {
        try (Connection client = ItNats.connect()) {
            assertEquals("before", echo(client, "before", Duration.ofSeconds(20)));
        }
        ItNats.stop();
        ItNats.start();
        long restarted = System.nanoTime();
        try (Connection client = ItNats.connect()) {
            assertEquals("after", echo(client, "after", Duration.ofSeconds(30)));
        }
        long seconds = (System.nanoTime() - restarted) / 1_000_000_000L;
        assertTrue(seconds < 30, "resumed after " + seconds + " s");
    }
}
