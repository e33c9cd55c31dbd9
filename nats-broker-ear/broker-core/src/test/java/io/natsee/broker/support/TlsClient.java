package io.natsee.broker.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A raw NATS client over TLS for black-box tests, as nats-server 2.9 expects it: TCP connect, read
 * the plain-text INFO line, then a TLS handshake on the same socket, then the protocol encrypted.
 * Every read is bounded by {@link #TIMEOUT}.
 */
public final class TlsClient implements AutoCloseable {

    /** How long any single read waits. */
    public static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final Socket plain;
    private final String infoLine;
    private SSLSocket tls;
    private InputStream in;

    private TlsClient(Socket plain, String infoLine) {
        this.plain = plain;
        this.infoLine = infoLine;
    }

    /** Connects and reads INFO; no TLS yet. */
    public static TlsClient connect(TestServer server) {
        try {
            Socket socket = new Socket();
            socket.connect(new InetSocketAddress(server.host(), server.port()), (int) TIMEOUT.toMillis());
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            socket.setTcpNoDelay(true);
            String info = readLine(socket.getInputStream());
            if (info == null) {
                socket.close();
                throw new AssertionError("server closed before INFO");
            }
            return new TlsClient(socket, info);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The INFO line without its CRLF. */
    public String infoLine() {
        return infoLine;
    }

    /** The plain socket, for tests that speak something other than TLS after INFO. */
    public Socket plainSocket() {
        return plain;
    }

    /** Runs the TLS handshake as a client of {@code context}; throws what the handshake throws. */
    public TlsClient handshake(SSLContext context) throws IOException {
        tls = (SSLSocket) context.getSocketFactory().createSocket(plain, plain.getInetAddress().getHostAddress(),
                plain.getPort(), true);
        tls.setUseClientMode(true);
        tls.setSoTimeout((int) TIMEOUT.toMillis());
        tls.startHandshake();
        in = tls.getInputStream();
        return this;
    }

    /** The socket after {@link #handshake}. */
    public SSLSocket tlsSocket() {
        return tls;
    }

    public TlsClient send(String text) throws IOException {
        tls.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
        tls.getOutputStream().flush();
        return this;
    }

    public TlsClient send(byte[] bytes) throws IOException {
        tls.getOutputStream().write(bytes);
        tls.getOutputStream().flush();
        return this;
    }

    /** The next line over TLS without its CRLF; {@code null} at end of stream. */
    public String readLine() throws IOException {
        return readLine(in);
    }

    /** Exactly {@code count} bytes over TLS. */
    public byte[] readBytes(int count) throws IOException {
        byte[] bytes = in.readNBytes(count);
        if (bytes.length != count) {
            throw new IOException("end of stream after " + bytes.length + " of " + count + " bytes");
        }
        return bytes;
    }

    /**
     * Reads the plain socket until the server closes it; returns what arrived (and fails if it
     * stays open past {@code within}).
     */
    public byte[] readPlainUntilClosed(Duration within) throws IOException {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        long deadline = System.nanoTime() + within.toNanos();
        InputStream input = plain.getInputStream();
        byte[] buffer = new byte[4096];
        while (true) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                throw new AssertionError("server did not close within " + within + "; received "
                        + ProtocolClient.escape(received.toString(StandardCharsets.ISO_8859_1)));
            }
            plain.setSoTimeout((int) Math.max(1, left));
            int n;
            try {
                n = input.read(buffer);
            } catch (SocketTimeoutException e) {
                continue;
            } catch (IOException e) {
                // a reset is a close too
                return received.toByteArray();
            }
            if (n < 0) {
                return received.toByteArray();
            }
            received.write(buffer, 0, n);
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
            if (tls != null) {
                tls.close();
            }
            plain.close();
        } catch (IOException ignored) {
            // closing a test socket
        }
    }
}
