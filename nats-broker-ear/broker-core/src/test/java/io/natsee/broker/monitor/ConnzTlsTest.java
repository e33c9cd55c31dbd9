package io.natsee.broker.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.natsee.broker.BrokerOptions;
import io.natsee.broker.support.Await;
import io.natsee.broker.support.TestPki;
import io.natsee.broker.support.TestPki.Issued;
import io.natsee.broker.support.TestPki.KeyForm;
import io.natsee.broker.tls.TlsOptions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code /connz} of TLS clients, ours and nats-server 2.9.10's: {@code tls_version} as Go writes
 * it ({@code "1.3"}), {@code tls_cipher_suite} under Go's name (IANA's, but Go's ChaCha20 suites
 * of TLS 1.2 drop {@code _SHA256}), for open connections and closed ones.
 */
class ConnzTlsTest {

    /** Protocol, suite the client offers alone, and what /connz says. */
    private static final String[][] CASES = {
        {"TLSv1.3", "TLS_AES_128_GCM_SHA256", "1.3", "TLS_AES_128_GCM_SHA256"},
        {"TLSv1.3", "TLS_AES_256_GCM_SHA384", "1.3", "TLS_AES_256_GCM_SHA384"},
        {"TLSv1.2", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "1.2", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"},
        {"TLSv1.2", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", "1.2", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305"},
    };

    /** A TLS 1.2 suite nats-server 2.9.10 does not enable by default. */
    private static final String CBC = "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256";

    @TempDir
    Path directory;

    private TestPki pki;
    private Issued certificate;
    private MonitorTargets target;
    private final List<Socket> sockets = new ArrayList<>();

    @BeforeEach
    void makeCertificates() {
        pki = TestPki.create(directory, "connz");
        certificate = pki.server("server", KeyForm.RSA_PKCS1);
    }

    @AfterEach
    void stop() throws IOException {
        for (Socket socket : sockets) {
            socket.close();
        }
        if (target != null) {
            target.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"natsee", "reference"})
    void tlsClientsShowTheirVersionAndCipherSuite(String kind) throws IOException {
        target = kind.equals("natsee")
                ? MonitorTargets.ours(BrokerOptions.builder().tls(new TlsOptions(certificate.certFile(),
                        certificate.keyFile(), null, false, false, null, List.of())))
                : MonitorTargets.reference("--tls", "--tlscert", certificate.certFile().toString(),
                        "--tlskey", certificate.keyFile().toString());
        SSLContext context = pki.clientContext(null);
        for (int i = 0; i < CASES.length; i++) {
            connect(context, CASES[i][0], CASES[i][1], "case" + i);
        }
        AssertionError failure = org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class,
                () -> connect(context, "TLSv1.2", CBC, "cbc"));
        assertTrue(failure.getMessage().contains("refused"), failure.toString());
        JsonNode open = target.json("/connz");
        assertEquals(CASES.length, open.get("num_connections").asInt(), open.toString());
        assertCases(open);

        sockets.get(0).close();
        Await.until(Duration.ofSeconds(5), "the close to show", () -> closedCase0() != null);
        JsonNode closed = closedCase0();
        assertEquals("1.3", closed.path("tls_version").asText(), closed.toString());
        assertEquals("TLS_AES_128_GCM_SHA256", closed.path("tls_cipher_suite").asText(), closed.toString());
    }

    private JsonNode closedCase0() {
        for (JsonNode connection : target.json("/connz?state=closed").get("connections")) {
            if (connection.path("name").asText().equals("case0")) {
                return connection;
            }
        }
        return null;
    }

    private void assertCases(JsonNode connz) {
        int seen = 0;
        for (JsonNode connection : connz.get("connections")) {
            int index = Integer.parseInt(connection.get("name").asText().substring("case".length()));
            String where = target + " " + connection;
            assertEquals(CASES[index][2], connection.path("tls_version").asText(), where);
            assertEquals(CASES[index][3], connection.path("tls_cipher_suite").asText(), where);
            List<String> names = new ArrayList<>();
            connection.fieldNames().forEachRemaining(names::add);
            assertEquals(names.indexOf("name") + 1, names.indexOf("tls_version"), "after name: " + names);
            assertEquals(names.indexOf("tls_version") + 1, names.indexOf("tls_cipher_suite"), names.toString());
            seen++;
        }
        assertEquals(CASES.length, seen);
    }

    private void connect(SSLContext context, String protocol, String suite, String name) throws IOException {
        Socket plain = new Socket(MonitorTargets.HOST, target.port());
        sockets.add(plain);
        plain.setSoTimeout(5000);
        // INFO comes in plain text, byte by byte so nothing of the handshake is read ahead.
        StringBuilder info = new StringBuilder();
        int b;
        while ((b = plain.getInputStream().read()) != '\n' && b >= 0) {
            info.append((char) b);
        }
        assertTrue(info.toString().contains("\"tls_required\":true"), info.toString());
        SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(plain, MonitorTargets.HOST, target.port(), true);
        sockets.set(sockets.size() - 1, tls);
        tls.setEnabledProtocols(new String[] {protocol});
        tls.setEnabledCipherSuites(new String[] {suite});
        try {
            tls.startHandshake();
        } catch (IOException e) {
            throw new AssertionError(target + " refused " + protocol + " with " + suite, e);
        }
        assertEquals(suite, tls.getSession().getCipherSuite());
        tls.getOutputStream().write(("CONNECT {\"verbose\":false,\"name\":\"" + name + "\"}\r\nPING\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        BufferedReader in = new BufferedReader(new InputStreamReader(tls.getInputStream(), StandardCharsets.US_ASCII));
        assertEquals("PONG", in.readLine());
    }
}
