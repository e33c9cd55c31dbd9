package io.natsee.broker.blackbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

import org.bouncycastle.asn1.x509.GeneralName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import io.natsee.broker.support.ConfiguredServer;
import io.natsee.broker.support.TestPki;
import io.natsee.broker.support.TestPki.Issued;
import io.natsee.broker.support.TestPki.KeyForm;

/**
 * TLS {@code verify_and_map} (reference section B, {@code tls {}}): the verified client
 * certificate names the user, as nats-server 2.9.10 maps it. Verified on the binary: the SAN
 * e-mail addresses first, then the SAN DNS names, then the SAN URIs, each literally; then the
 * subject compared as an LDAP DN with the user names that parse as DNs (attribute types
 * case-insensitive, values exact, spaces after commas ignored, RDNs in any order, DC components
 * included); then Go's string form of the subject, which has a fixed order and leaves out
 * attribute types Go does not know (a subject with UID is {@code "CN=zed,O=Test"}). The mapped
 * user's permissions apply; a configured password must still be sent; the CONNECT's {@code user}
 * is ignored; a user whose {@code allowed_connection_types} lacks STANDARD is not mapped; an
 * unmapped certificate gets {@code -ERR 'Authorization Violation'} and the connection closes.
 * Certificates are made at test time; subjects are written in RFC 2253 order (most specific
 * first).
 */
@Timeout(60)
public abstract class TlsVerifyAndMapContract {

    private static final String VIOLATION = "-ERR 'Authorization Violation'";
    private static final Duration WAIT = Duration.ofSeconds(5);

    @TempDir
    Path directory;

    private TestPki pki;
    private Issued serverIdentity;
    private final Deque<AutoCloseable> resources = new ArrayDeque<>();

    /** The server implementation this test class runs against. */
    protected abstract ConfiguredServer.Kind kind();

    @BeforeEach
    void makeCertificates() {
        pki = TestPki.create(directory, "map");
        serverIdentity = pki.server("server", KeyForm.EC_PKCS8);
    }

    @AfterEach
    void closeResources() throws Exception {
        while (!resources.isEmpty()) {
            resources.pop().close();
        }
    }

    private String config(String users) {
        return "tls {\n"
                + "  cert_file: \"" + serverIdentity.certFile() + "\"\n"
                + "  key_file: \"" + serverIdentity.keyFile() + "\"\n"
                + "  ca_file: \"" + pki.caFile() + "\"\n"
                + "  verify_and_map: true\n"
                + "}\n"
                + users;
    }

    private static final String USERS = """
            authorization {
              users: [
                {user: "CN=alice,O=Test"}
                {user: "bob@example.com", permissions: {publish: ["bob.>"], subscribe: ["bob.>"]}}
                {user: "CN=bob,O=Test", permissions: {publish: ["bobdn.>"], subscribe: ["bobdn.>"]}}
                {user: "carol.example.com", permissions: {publish: ["carol.>"], subscribe: ["carol.>"]}}
                {user: "spiffe://example.org/svc"}
                {user: "CN=dave,O=Test"}
                {user: "cn=erin, o=Test"}
                {user: "CN=frank,O=Test", password: "frank-pw"}
                {user: "CN=gina,O=Test", allowed_connection_types: ["WEBSOCKET"]}
                {user: "CN=KATE,O=Test"}
                {user: "O=Test,OU=Dev,CN=multi"}
                {user: "CN=dcuser,DC=example,DC=org"}
                {user: "CN=zed,O=Test"}
                {user: "UID=z2,O=Test,CN=zed2"}
              ]
            }
            """;

    // ------------------------------------------------------------------ which name maps

    @Test
    void subjectDistinguishedNameInRfc2253FormMapsTheUser() throws IOException {
        ConfiguredServer server = start(config(USERS));
        Client alice = connect(server, pki.clientWithSubject("alice", "CN=alice,O=Test", KeyForm.EC_PKCS8));
        alice.send("CONNECT {\"verbose\":false}\r\nSUB any.thing 1\r\nPUB any.thing 2\r\nhi\r\nPING\r\n");
        assertEquals("MSG any.thing 1 2", alice.readLine());
        assertEquals("hi", alice.readLine());
        assertEquals("PONG", alice.readLine());
    }

    @Test
    void sanEmailWinsOverTheSubjectAndItsUsersPermissionsApply() throws IOException {
        ConfiguredServer server = start(config(USERS));
        Client bob = connect(server, pki.clientWithSubject("bob", "CN=bob,O=Test", KeyForm.EC_PKCS8,
                new GeneralName(GeneralName.rfc822Name, "bob@example.com"),
                new GeneralName(GeneralName.dNSName, "bob.example.com")));
        bob.send("CONNECT {\"verbose\":false}\r\nSUB bob.x 1\r\nSUB bobdn.x 2\r\n"
                + "PUB bob.x 1\r\na\r\nPUB bobdn.x 1\r\nb\r\nPING\r\n");
        assertEquals("-ERR 'Permissions Violation for Subscription to \"bobdn.x\"'", bob.readLine());
        assertEquals("MSG bob.x 1 1", bob.readLine());
        assertEquals("a", bob.readLine());
        assertEquals("-ERR 'Permissions Violation for Publish to \"bobdn.x\"'", bob.readLine());
        assertEquals("PONG", bob.readLine());
    }

    @Test
    void sanDnsNameMapsTheUser() throws IOException {
        ConfiguredServer server = start(config(USERS));
        Client carol = connect(server, pki.clientWithSubject("carol", "CN=carol", KeyForm.EC_PKCS8,
                new GeneralName(GeneralName.dNSName, "carol.example.com")));
        carol.send("CONNECT {\"verbose\":false}\r\nPUB other 1\r\nx\r\nPUB carol.ok 1\r\ny\r\nPING\r\n");
        assertEquals("-ERR 'Permissions Violation for Publish to \"other\"'", carol.readLine());
        assertEquals("PONG", carol.readLine());
    }

    @Test
    void sanUriMapsTheUser() throws IOException {
        ConfiguredServer server = start(config(USERS));
        expectAccepted(connect(server, pki.clientWithSubject("uri", "CN=workload,O=Test", KeyForm.EC_PKCS8,
                new GeneralName(GeneralName.uniformResourceIdentifier, "spiffe://example.org/svc"))));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "O=Test,CN=dave",          // encoded CN first: the user "CN=dave,O=Test" still matches (any RDN order)
            "CN=erin,O=Test",          // the user "cn=erin, o=Test": attribute types ignore case, spaces ignored
            "CN=multi,OU=Dev,O=Test",  // the user "O=Test,OU=Dev,CN=multi": reversed order
            "CN=dcuser,DC=example,DC=org",
            "UID=z,O=Test,CN=zed"})    // UID is unknown to nats: Go's form "CN=zed,O=Test" maps
    void subjectsThatMapAsTheReferenceMapsThem(String subject) throws IOException {
        ConfiguredServer server = start(config(USERS));
        expectAccepted(connect(server, pki.clientWithSubject("subject", subject, KeyForm.EC_PKCS8)));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "CN=kate,O=Test",          // the user is "CN=KATE,O=Test": values are compared exactly
            "CN=ivan,O=Test",          // nobody
            "UID=z2,O=Test,CN=zed2",   // the user is this RFC 2253 text, but Go's form is "CN=zed2,O=Test"
            "CN=alice,O=Test,C=US"})   // one RDN more than the user "CN=alice,O=Test"
    void subjectsThatMapToNobodyAreRefused(String subject) throws IOException {
        ConfiguredServer server = start(config(USERS));
        expectRefused(connect(server, pki.clientWithSubject("subject", subject, KeyForm.EC_PKCS8)), "{\"verbose\":false}");
    }

    @Test
    void unmappedEmailAndDnsFallBackToTheSubject() throws IOException {
        ConfiguredServer server = start(config(USERS));
        expectAccepted(connect(server, pki.clientWithSubject("alice2", "CN=alice,O=Test", KeyForm.EC_PKCS8,
                new GeneralName(GeneralName.rfc822Name, "nobody@example.com"),
                new GeneralName(GeneralName.dNSName, "nobody.example.com"))));
    }

    // ------------------------------------------------------------------ other rules

    @Test
    void theConnectUserIsIgnored() throws IOException {
        ConfiguredServer server = start(config(USERS));
        Client alice = connect(server, pki.clientWithSubject("alice", "CN=alice,O=Test", KeyForm.EC_PKCS8));
        // alice claims to be bob (limited to bob.>) but stays alice, who may do everything
        alice.send("CONNECT {\"verbose\":false,\"user\":\"bob@example.com\"}\r\nSUB elsewhere 1\r\nPING\r\n");
        assertEquals("PONG", alice.readLine());
    }

    @Test
    void aMappedUserWithAPasswordMustStillSendIt() throws IOException {
        ConfiguredServer server = start(config(USERS));
        Issued frank = pki.clientWithSubject("frank", "CN=frank,O=Test", KeyForm.EC_PKCS8);
        expectRefused(connect(server, frank), "{\"verbose\":false}");
        expectRefused(connect(server, frank), "{\"verbose\":false,\"pass\":\"wrong\"}");
        Client right = connect(server, frank);
        right.send("CONNECT {\"verbose\":false,\"pass\":\"frank-pw\"}\r\nPING\r\n");
        assertEquals("PONG", right.readLine());
    }

    @Test
    void aUserNotAllowedStandardConnectionsIsNotMapped() throws IOException {
        ConfiguredServer server = start(config(USERS));
        expectRefused(connect(server, pki.clientWithSubject("gina", "CN=gina,O=Test", KeyForm.EC_PKCS8)), "{\"verbose\":false}");
    }

    @Test
    void aClientWithoutACertificateIsRefused() {
        ConfiguredServer server = start(config(USERS));
        try {
            Client anonymous = connect(server, null);
            anonymous.send("CONNECT {\"verbose\":false}\r\nPING\r\n");
            String line = anonymous.readLine();
            assertTrue(line == null || line.startsWith("-ERR"), "served a client without a certificate: " + line);
        } catch (IOException expected) {
            // handshake failure or alert: refused
        }
    }

    @Test
    void withoutUsersTheTokenStillAuthenticates() throws IOException {
        ConfiguredServer server = start(config("authorization { token: \"t0k\" }\n"));
        Issued alice = pki.clientWithSubject("alice", "CN=alice,O=Test", KeyForm.EC_PKCS8);
        expectRefused(connect(server, alice), "{\"verbose\":false}");
        Client right = connect(server, alice);
        right.send("CONNECT {\"verbose\":false,\"auth_token\":\"t0k\"}\r\nPING\r\n");
        assertEquals("PONG", right.readLine());
    }

    @Test
    void jnatsWithAMappedCertificate() throws Exception {
        ConfiguredServer server = start(config(USERS));
        SSLContext context = pki.clientContext(pki.clientWithSubject("carol", "CN=carol", KeyForm.RSA_PKCS8,
                new GeneralName(GeneralName.dNSName, "carol.example.com")));
        Options options = new Options.Builder().server("tls://" + server.host() + ":" + server.port())
                .sslContext(context).connectionTimeout(WAIT).noReconnect().maxReconnects(0).build();
        try (Connection connection = Nats.connect(options)) {
            Subscription subscription = connection.subscribe("carol.jnats");
            connection.flush(WAIT);
            connection.publish("carol.jnats", "mapped".getBytes(StandardCharsets.UTF_8));
            Message message = subscription.nextMessage(WAIT);
            assertNotNull(message);
            assertEquals("mapped", new String(message.getData(), StandardCharsets.UTF_8));
        }
    }

    // ------------------------------------------------------------------ helpers

    private ConfiguredServer start(String config) {
        ConfiguredServer server = kind().start(config);
        resources.push(server);
        return server;
    }

    private Client connect(ConfiguredServer server, Issued identity) throws IOException {
        Client client = new Client(server, pki.clientContext(identity));
        resources.push(client);
        return client;
    }

    private static void expectAccepted(Client client) throws IOException {
        client.send("CONNECT {\"verbose\":false}\r\nPING\r\n");
        assertEquals("PONG", client.readLine());
    }

    private static void expectRefused(Client client, String connectJson) throws IOException {
        client.send("CONNECT " + connectJson + "\r\nPING\r\n");
        assertEquals(VIOLATION, client.readLine());
        assertNull(client.readLine(), "the connection must close after the violation");
    }

    /** A raw client: TCP, the plain INFO line, then a TLS handshake on the same socket. */
    private static final class Client implements AutoCloseable {
        private final Socket plain;
        private final SSLSocket tls;
        private final InputStream in;

        Client(ConfiguredServer server, SSLContext context) throws IOException {
            plain = new Socket();
            plain.connect(new InetSocketAddress(server.host(), server.port()), (int) WAIT.toMillis());
            plain.setSoTimeout((int) WAIT.toMillis());
            String info = readLine(plain.getInputStream());
            if (info == null || !info.startsWith("INFO ")) {
                fail("no INFO: " + info);
            }
            tls = (SSLSocket) context.getSocketFactory().createSocket(plain, server.host(), server.port(), true);
            tls.setUseClientMode(true);
            tls.setSoTimeout((int) WAIT.toMillis());
            tls.startHandshake();
            in = tls.getInputStream();
        }

        void send(String text) throws IOException {
            tls.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
            tls.getOutputStream().flush();
        }

        /** The next line without CRLF; {@code null} when the server closed (or reset) the connection. */
        String readLine() throws IOException {
            try {
                return readLine(in);
            } catch (javax.net.ssl.SSLException | java.net.SocketException closed) {
                return null;
            }
        }

        private static String readLine(InputStream input) throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int previous = -1;
            while (true) {
                int b = input.read();
                if (b < 0) {
                    return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
                }
                if (previous == '\r' && b == '\n') {
                    byte[] bytes = line.toByteArray();
                    return new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
                }
                line.write(b);
                previous = b;
            }
        }

        @Override
        public void close() {
            try {
                tls.close();
            } catch (IOException ignored) {
                // closing a test socket
            }
            try {
                plain.close();
            } catch (IOException ignored) {
                // closing a test socket
            }
        }
    }
}
