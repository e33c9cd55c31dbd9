package io.natsee.broker.blackbox;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import io.natsee.broker.support.ServerTestBase;
import io.natsee.broker.support.TestPki;
import io.natsee.broker.support.TestPki.Issued;
import io.natsee.broker.support.TestPki.KeyForm;
import io.natsee.broker.support.TestServer;
import io.natsee.broker.support.TlsClient;

/**
 * TLS on the client port (reference sections A.3 and B, {@code tls {}}), as nats-server 2.9.10
 * does it: INFO in plain text with {@code tls_required} (and {@code tls_verify}), then a TLS
 * handshake on the same socket; a plaintext client, a handshake that does not finish in time and a
 * client without a trusted certificate (when {@code verify}) are all closed without a byte after
 * INFO. Certificates are made at test time.
 */
public abstract class TlsContract extends ServerTestBase {

    private static final Pattern TLS_FIELDS = Pattern.compile("\"headers\":true,(.*)\"max_payload\":");

    @TempDir
    Path directory;

    private TestPki pki;
    private Issued server;
    private Issued client;

    @BeforeEach
    void makeCertificates() {
        pki = TestPki.create(directory, "main");
        server = pki.server("server", KeyForm.RSA_PKCS1);
        client = pki.client("client", "alice", KeyForm.EC_PKCS8);
    }

    private TestServer.Tls tls() {
        return TestServer.Tls.of(server.certFile(), server.keyFile());
    }

    private TestServer startTls(TestServer.Tls tls) {
        return startServer(TestServer.Options.defaults().withTls(tls));
    }

    // ------------------------------------------------------------------ INFO

    @Test
    void infoSaysTlsRequiredAfterHeadersAndBeforeMaxPayload() {
        TlsClient raw = track(TlsClient.connect(startTls(tls())));
        Matcher fields = TLS_FIELDS.matcher(raw.infoLine());
        assertTrue(fields.find(), raw.infoLine());
        assertEquals("\"tls_required\":true,", fields.group(1));
        assertTrue(raw.infoLine().endsWith("} "), "INFO ends with a space before CRLF: " + raw.infoLine());
    }

    @Test
    void infoSaysTlsVerifyWhenClientCertificatesAreRequired() {
        TlsClient raw = track(TlsClient.connect(startTls(tls().withVerify(pki.caFile()))));
        Matcher fields = TLS_FIELDS.matcher(raw.infoLine());
        assertTrue(fields.find(), raw.infoLine());
        assertEquals("\"tls_required\":true,\"tls_verify\":true,", fields.group(1));
    }

    // ------------------------------------------------------------------ refusals

    @Test
    void plaintextClientIsClosedWithoutAnotherByte() throws IOException {
        TlsClient raw = track(TlsClient.connect(startTls(tls())));
        raw.plainSocket().getOutputStream().write("CONNECT {\"verbose\":false}\r\nPING\r\n".getBytes(StandardCharsets.US_ASCII));
        byte[] after = raw.readPlainUntilClosed(Duration.ofSeconds(5));
        assertEquals("", new String(after, StandardCharsets.ISO_8859_1),
                "nats-server 2.9.10 closes a plaintext client silently (no -ERR; its handshake fails at once)");
    }

    @Test
    void handshakeThatNeverStartsIsClosedAfterTheTimeout() throws IOException {
        Duration timeout = Duration.ofMillis(500);
        TlsClient raw = track(TlsClient.connect(startTls(tls().withTimeout(timeout))));
        long start = System.nanoTime();
        byte[] after = raw.readPlainUntilClosed(Duration.ofSeconds(5));
        long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
        assertEquals("", new String(after, StandardCharsets.ISO_8859_1), "no bytes after INFO, not even -ERR");
        assertTrue(elapsedMillis >= timeout.toMillis() - 100, "closed after " + elapsedMillis + " ms, before the timeout");
    }

    @Test
    void handshakeThatStallsMidwayIsClosedAfterTheTimeout() throws IOException {
        Duration timeout = Duration.ofMillis(500);
        TlsClient raw = track(TlsClient.connect(startTls(tls().withTimeout(timeout))));
        // A TLS handshake record header and the first byte of a ClientHello, then nothing.
        raw.plainSocket().getOutputStream().write(new byte[] {0x16, 0x03, 0x01, 0x00, 0x50, 0x01});
        long start = System.nanoTime();
        byte[] after = raw.readPlainUntilClosed(Duration.ofSeconds(5));
        long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(0, after.length, "no bytes after INFO");
        assertTrue(elapsedMillis >= timeout.toMillis() - 100, "closed after " + elapsedMillis + " ms");
    }

    @Test
    void clientWithoutCertificateIsRefusedWhenVerifying() {
        TestServer nats = startTls(tls().withVerify(pki.caFile()));
        assertRefused(nats, pki.clientContext(null));
    }

    @Test
    void clientWithUntrustedCertificateIsRefusedWhenVerifying() {
        TestPki rogue = TestPki.create(directory, "rogue");
        Issued mallory = rogue.client("mallory", "mallory", KeyForm.RSA_PKCS8);
        TestServer nats = startTls(tls().withVerify(pki.caFile()));
        // mallory trusts the real CA (so she gets as far as presenting her own certificate)
        assertRefused(nats, TestPki.clientContext(mallory, pki.caCertificate()));
    }

    @Test
    void clientWithTrustedCertificateIsAcceptedWhenVerifying() throws IOException {
        TestServer nats = startTls(tls().withVerify(pki.caFile()));
        TlsClient raw = track(TlsClient.connect(nats)).handshake(pki.clientContext(client));
        raw.send("CONNECT {\"verbose\":false}\r\nPING\r\n");
        assertEquals("PONG", raw.readLine());
    }

    @Test
    void jnatsRefusedWithoutClientCertificateWhenVerifying() {
        TestServer nats = startTls(tls().withVerify(pki.caFile()));
        Options options = jnatsOptions(nats, pki.clientContext(null)).maxReconnects(0)
                .connectionTimeout(Duration.ofSeconds(5)).build();
        assertThrows(Exception.class, () -> Nats.connect(options).close());
    }

    // ------------------------------------------------------------------ working TLS

    @ParameterizedTest
    @EnumSource(KeyForm.class)
    void serverKeyInEveryPemFormServes(KeyForm form) throws IOException {
        Issued serverIdentity = pki.server("server-" + form, form);
        TestServer nats = startTls(TestServer.Tls.of(serverIdentity.certFile(), serverIdentity.keyFile()));
        TlsClient raw = track(TlsClient.connect(nats)).handshake(pki.clientContext(null));
        raw.send("CONNECT {\"verbose\":false}\r\nSUB tls.test 1\r\nPUB tls.test 5\r\nhello\r\nPING\r\n");
        assertEquals("MSG tls.test 1 5", raw.readLine());
        assertEquals("hello", raw.readLine());
        assertEquals("PONG", raw.readLine());
        assertEquals(serverIdentity.certificate(), raw.tlsSocket().getSession().getPeerCertificates()[0]);
    }

    @Test
    void tls12WithAConfiguredCipherSuite() throws IOException {
        String suite = "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384";
        TestServer nats = startTls(tls().withCipherSuites(List.of(suite)));
        TlsClient raw = track(TlsClient.connect(nats));
        SSLContext context = pki.clientContext(null);
        javax.net.ssl.SSLSocket socket = (javax.net.ssl.SSLSocket) context.getSocketFactory().createSocket(
                raw.plainSocket(), "127.0.0.1", nats.port(), true);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setProtocols(new String[] {"TLSv1.2"});
        socket.setSSLParameters(parameters);
        socket.startHandshake();
        assertEquals("TLSv1.2", socket.getSession().getProtocol());
        assertEquals(suite, socket.getSession().getCipherSuite());
        socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
        byte[] pong = socket.getInputStream().readNBytes(6);
        assertEquals("PONG\r\n", new String(pong, StandardCharsets.US_ASCII));
        socket.close();
    }

    @Test
    void tls11IsRefused() throws IOException {
        TestServer nats = startTls(tls());
        TlsClient raw = track(TlsClient.connect(nats));
        SSLContext context = pki.clientContext(null);
        javax.net.ssl.SSLSocket socket = (javax.net.ssl.SSLSocket) context.getSocketFactory().createSocket(
                raw.plainSocket(), "127.0.0.1", nats.port(), true);
        socket.setSoTimeout(5000);
        try {
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setProtocols(new String[] {"TLSv1.1"});
            socket.setSSLParameters(parameters);
            assertThrows(IOException.class, socket::startHandshake);
        } catch (IllegalArgumentException e) {
            // this JDK cannot even offer TLS 1.1: nothing to test
        } finally {
            socket.close();
        }
    }

    @Test
    void jnatsPubSubOverTls() throws Exception {
        TestServer nats = startTls(tls());
        try (Connection connection = Nats.connect(jnatsOptions(nats, pki.clientContext(null)).build())) {
            Subscription subscription = connection.subscribe("tls.>");
            connection.flush(Duration.ofSeconds(5));
            connection.publish("tls.a", "over tls".getBytes(StandardCharsets.UTF_8));
            Message message = subscription.nextMessage(Duration.ofSeconds(5));
            assertNotNull(message, "no message over TLS");
            assertEquals("over tls", new String(message.getData(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void jnatsWithMutualTlsPubSub() throws Exception {
        TestServer nats = startTls(tls().withVerify(pki.caFile()));
        try (Connection connection = Nats.connect(jnatsOptions(nats, pki.clientContext(client)).build())) {
            Subscription subscription = connection.subscribe("mtls");
            connection.flush(Duration.ofSeconds(5));
            connection.publish("mtls", new byte[] {1, 2, 3});
            Message message = subscription.nextMessage(Duration.ofSeconds(5));
            assertNotNull(message);
            assertArrayEquals(new byte[] {1, 2, 3}, message.getData());
        }
    }

    @Test
    void largePayloadsArriveIntactOverTls() throws Exception {
        TestServer nats = startTls(tls());
        Random random = new Random(42);
        int[] sizes = {0, 1, 1023, 16 * 1024 - 1, 16 * 1024, 16 * 1024 + 1, 64 * 1024, 512 * 1024, 1024 * 1024};
        try (Connection subscriber = Nats.connect(jnatsOptions(nats, pki.clientContext(null)).build());
             Connection publisher = Nats.connect(jnatsOptions(nats, pki.clientContext(null)).build())) {
            Subscription subscription = subscriber.subscribe("big");
            subscriber.flush(Duration.ofSeconds(5));
            byte[][] sent = new byte[sizes.length * 3][];
            for (int i = 0; i < sent.length; i++) {
                sent[i] = new byte[sizes[i % sizes.length]];
                random.nextBytes(sent[i]);
                publisher.publish("big", sent[i]);
            }
            publisher.flush(Duration.ofSeconds(10));
            for (int i = 0; i < sent.length; i++) {
                Message message = subscription.nextMessage(Duration.ofSeconds(10));
                assertNotNull(message, "message " + i + " missing");
                assertArrayEquals(digest(sent[i]), digest(message.getData()),
                        "message " + i + " (" + sent[i].length + " bytes) changed in transit");
            }
        }
    }

    @Test
    void manyMessagesInABurstArriveInOrderOverTls() throws Exception {
        TestServer nats = startTls(tls());
        int count = 20_000;
        try (Connection subscriber = Nats.connect(jnatsOptions(nats, pki.clientContext(null)).build());
             Connection publisher = Nats.connect(jnatsOptions(nats, pki.clientContext(null)).build())) {
            Subscription subscription = subscriber.subscribe("burst");
            subscriber.flush(Duration.ofSeconds(5));
            for (int i = 0; i < count; i++) {
                publisher.publish("burst", Integer.toString(i).getBytes(StandardCharsets.US_ASCII));
            }
            publisher.flush(Duration.ofSeconds(10));
            for (int i = 0; i < count; i++) {
                Message message = subscription.nextMessage(Duration.ofSeconds(10));
                assertNotNull(message, "message " + i + " missing");
                assertEquals(Integer.toString(i), new String(message.getData(), StandardCharsets.US_ASCII));
            }
        }
    }

    // ------------------------------------------------------------------ helpers

    private static Options.Builder jnatsOptions(TestServer nats, SSLContext context) {
        return new Options.Builder().server("tls://" + nats.host() + ":" + nats.port()).sslContext(context)
                .maxReconnects(0).connectionTimeout(Duration.ofSeconds(5)).noRandomize();
    }

    /**
     * The server must not serve this client: the handshake fails, or (TLS 1.3, where the client
     * finishes before the server has checked its certificate) the first read ends in an alert or
     * end of stream, never in PONG.
     */
    private void assertRefused(TestServer nats, SSLContext context) {
        TlsClient raw = track(TlsClient.connect(nats));
        try {
            raw.handshake(context);
            raw.send("CONNECT {\"verbose\":false}\r\nPING\r\n");
            String line = raw.readLine();
            assertFalse("PONG".equals(line), "the server served a client it must refuse");
            assertEquals(null, line, "expected the connection closed, got " + line);
        } catch (IOException expected) {
            // handshake failure, alert or reset: refused
        }
    }

    private static byte[] digest(byte[] bytes) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(bytes);
    }
}
