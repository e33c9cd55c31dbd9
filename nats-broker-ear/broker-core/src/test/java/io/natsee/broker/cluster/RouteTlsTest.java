package io.natsee.broker.cluster;

import static io.natsee.broker.cluster.ClusterTestSupport.WAIT;
import static io.natsee.broker.cluster.ClusterTestSupport.closeAll;
import static io.natsee.broker.cluster.ClusterTestSupport.connect;
import static io.natsee.broker.cluster.ClusterTestSupport.routeCount;
import static io.natsee.broker.cluster.ClusterTestSupport.routeUrl;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.natsee.broker.Broker;
import io.natsee.broker.support.Await;
import io.natsee.broker.support.TestPki;
import io.natsee.broker.tls.TlsOptions;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Subscription;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster {@code tls} block on routes, both ways: TLS from the first byte on the route port,
 * the peer's certificate checked against {@code ca_file} (and, with {@code verify}, required of
 * the dialling side), between two of ours and with Debian's nats-server 2.9.10 as a TLS peer.
 */
@Timeout(90)
class RouteTlsTest {

    @TempDir
    Path directory;

    private ClusterOptions tlsCluster(TestPki pki, String name, List<URI> routes) {
        TestPki.Issued identity = pki.route(name, TestPki.KeyForm.RSA_PKCS8);
        TlsOptions tls = new TlsOptions(identity.certFile(), identity.keyFile(), pki.caFile(), true, false,
                Duration.ofSeconds(2), List.of());
        return ClusterOptions.of(ClusterOptions.RANDOM_PORT).withListen("127.0.0.1", ClusterOptions.RANDOM_PORT)
                .withName("secure").withRoutes(routes).withTls(tls);
    }

    @Test
    void twoOfOursRouteOverTlsAndDeliver() throws Exception {
        TestPki pki = TestPki.create(directory, "routes");
        Broker a = ClusterTestSupport.start("a", tlsCluster(pki, "a", List.of()));
        Broker b = null;
        try {
            b = ClusterTestSupport.start("b", tlsCluster(pki, "b", List.of(routeUrl(a))));
            ClusterTestSupport.awaitMesh(a, b);
            assertPlaintextGetsNoInfo(a.routes().port());
            assertDelivered(ClusterTestSupport.clientUrl(a), ClusterTestSupport.clientUrl(b), "tls.ours");
        } finally {
            closeAll(b, a);
        }
    }

    @Test
    void aPeerWhoseCertificateTheCaDidNotSignIsRefused() throws Exception {
        TestPki pki = TestPki.create(directory, "routes");
        TestPki stranger = TestPki.create(Files.createDirectories(directory.resolve("stranger")), "stranger");
        Broker a = ClusterTestSupport.start("a", tlsCluster(pki, "a", List.of()));
        Broker c = null;
        try {
            // c trusts nobody but its own CA, and shows a certificate that a's CA did not sign.
            c = ClusterTestSupport.start("c", tlsCluster(stranger, "c", List.of(routeUrl(a))));
            Thread.sleep(1500);
            assertEquals(0, routeCount(a), "a route with an unknown certificate must not register");
            assertEquals(0, routeCount(c));
        } finally {
            closeAll(c, a);
        }
    }

    @Test
    void debianNatsServerIsATlsRoutePeerInBothDirections() throws Exception {
        TestPki pki = TestPki.create(directory, "routes");
        TestPki.Issued goIdentity = pki.route("go", TestPki.KeyForm.RSA_PKCS8);
        Path config = directory.resolve("go.conf");
        Files.writeString(config, "cluster {\n  tls {\n    cert_file: \"" + goIdentity.certFile() + "\"\n"
                + "    key_file: \"" + goIdentity.keyFile() + "\"\n    ca_file: \"" + pki.caFile() + "\"\n"
                + "    verify: true\n    timeout: 2\n  }\n}\n", StandardCharsets.UTF_8);
        ReferencePeer go1 = null;
        ReferencePeer go2 = null;
        Broker ours = null;
        try {
            go1 = ReferencePeer.start("go1", "secure", List.of(), "-c", config.toString());
            // Ours dials go1; go2 dials ours (and learns go1 by gossip).
            ours = ClusterTestSupport.start("ours", tlsCluster(pki, "ours", List.of(URI.create(go1.routeUrl()))));
            go2 = ReferencePeer.start("go2", "secure", List.of(routeUrl(ours).toString()), "-c", config.toString());
            ReferencePeer first = go1;
            ReferencePeer second = go2;
            Broker broker = ours;
            try {
                Await.until(WAIT, "our server routed over TLS to both nats-servers", () -> routeCount(broker) == 2);
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "\ngo1: " + first.log() + "\ngo2: " + second.log(), e);
            }
            assertDelivered(go1.clientUrl(), ClusterTestSupport.clientUrl(ours), "tls.go1toours");
            assertDelivered(ClusterTestSupport.clientUrl(ours), go2.clientUrl(), "tls.ourstogo2");
            assertDelivered(go2.clientUrl(), ClusterTestSupport.clientUrl(ours), "tls.go2toours");
        } finally {
            closeAll(ours, go1, go2);
        }
    }

    /** A subscriber on {@code subUrl} receives, once each, what a publisher on {@code pubUrl} sends. */
    private static void assertDelivered(String pubUrl, String subUrl, String subject)
            throws Exception {
        try (Connection subscriber = connect(subUrl); Connection publisher = connect(pubUrl)) {
            Subscription subscription = subscriber.subscribe(subject);
            subscriber.flush(WAIT);
            // Interest travels in order on a route: once a probe subscribed after the subject
            // is reached from the publisher's side, so is the subject.
            Subscription probe = subscriber.subscribe(subject + ".probe");
            subscriber.flush(WAIT);
            Await.until(WAIT, "interest in " + subject + " across the TLS route", () -> {
                try {
                    publisher.publish(subject + ".probe", new byte[0]);
                    publisher.flush(WAIT);
                    return probe.nextMessage(Duration.ofMillis(50)) != null;
                } catch (Exception e) {
                    return false;
                }
            });
            probe.unsubscribe();
            for (int i = 0; i < 20; i++) {
                publisher.publish(subject, ("m" + i).getBytes(StandardCharsets.UTF_8));
            }
            publisher.flush(WAIT);
            for (int i = 0; i < 20; i++) {
                Message message = subscription.nextMessage(WAIT);
                assertNotNull(message, subject + " message " + i);
                assertEquals("m" + i, new String(message.getData(), StandardCharsets.UTF_8));
            }
            assertEquals(null, subscription.nextMessage(Duration.ofMillis(200)));
        }
    }

    /** A plaintext peer hears no INFO: the route port waits for a TLS ClientHello first. */
    private static void assertPlaintextGetsNoInfo(int routePort) throws Exception {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", routePort), 2000);
            socket.setSoTimeout(3000);
            OutputStream out = socket.getOutputStream();
            out.write("CONNECT {}\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            int first;
            try {
                first = in.read();
            } catch (java.net.SocketException e) {
                first = -1;
            }
            assertNotEquals('I', first, "a TLS route port must not send INFO in plain text");
        }
    }
}
