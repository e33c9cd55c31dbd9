package io.natsee.broker.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A raw-socket NATS client for black-box tests: sends exact bytes and expects exact bytes back,
 * with a timeout on every read. Failures are {@link AssertionError}s that show the expected and
 * the received bytes escaped ({@code \r}, {@code \n}, {@code \xNN}).
 *
 * <p>By default a server {@code PING} that arrives where another frame was expected is answered
 * with {@code PONG} and skipped (nats-server pings every new client about two seconds after it
 * connects); tests of ping behaviour switch that off with {@link #answerServerPings(boolean)}.
 * Lines and payloads are handled as ISO-8859-1 so that every byte maps to one char.
 */
public final class ProtocolClient implements AutoCloseable {

    /** How long a single expectation waits unless told otherwise. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    private static final byte[] PING = "PING\r\n".getBytes(StandardCharsets.ISO_8859_1);
    private static final Pattern MSG_LINE = Pattern.compile(
            "(MSG|HMSG) (\\S+) (\\S+)(?: (\\S+))? (\\d+)(?: (\\d+))?");
    private static final int TRANSCRIPT_LIMIT = 4096;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private byte[] buffer = new byte[64 * 1024];
    private int start;
    private int end;
    private boolean eof;
    private Duration timeout = DEFAULT_TIMEOUT;
    private boolean answerServerPings = true;
    private String infoLine;
    private final ByteArrayOutputStream transcript = new ByteArrayOutputStream();

    private ProtocolClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    /** Connects without reading anything. */
    public static ProtocolClient openRaw(String host, int port) {
        return openRaw(host, port, 0);
    }

    /**
     * Connects without reading anything.
     *
     * @param receiveBufferSize the socket receive buffer in bytes, 0 for the system default
     */
    public static ProtocolClient openRaw(String host, int port, int receiveBufferSize) {
        Socket socket = new Socket();
        try {
            if (receiveBufferSize > 0) {
                socket.setReceiveBufferSize(receiveBufferSize);
            }
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port), (int) DEFAULT_TIMEOUT.toMillis());
            return new ProtocolClient(socket);
        } catch (IOException e) {
            closeQuietly(socket);
            throw new AssertionError("cannot connect to " + host + ":" + port + ": " + e, e);
        }
    }

    /** Connects to the server and reads its INFO line (see {@link #infoLine()}). */
    public static ProtocolClient open(TestServer server) {
        ProtocolClient client = openRaw(server.host(), server.port());
        client.readInfo();
        return client;
    }

    /** Connects and reads INFO, then sends {@code CONNECT <json>} and a PING and expects PONG. */
    public static ProtocolClient open(TestServer server, String connectJson) {
        ProtocolClient client = open(server);
        client.send("CONNECT " + connectJson + "\r\n");
        client.ping();
        return client;
    }

    /** A connected client with {@code verbose:false} (pedantic left at its default, true). */
    public static ProtocolClient quiet(TestServer server) {
        return open(server, "{\"verbose\":false}");
    }

    /** A connected client with {@code verbose:false, headers:true}. */
    public static ProtocolClient quietWithHeaders(TestServer server) {
        return open(server, "{\"verbose\":false,\"headers\":true}");
    }

    /** Sets the timeout of every later expectation. */
    public ProtocolClient timeout(Duration timeout) {
        this.timeout = timeout;
        return this;
    }

    /** Whether an unexpected server PING is answered and skipped (default true). */
    public ProtocolClient answerServerPings(boolean answer) {
        this.answerServerPings = answer;
        return this;
    }

    /** The INFO line read by {@link #open}, without CRLF; null if not read. */
    public String infoLine() {
        return infoLine;
    }

    /** The JSON of the INFO line read by {@link #open}. */
    public String infoJson() {
        if (infoLine == null) {
            throw new AssertionError("INFO was not read");
        }
        return infoLine.substring("INFO ".length()).trim();
    }

    /** Reads the next line, which must be an INFO line, and keeps it. */
    public String readInfo() {
        String line = readLine();
        if (!line.startsWith("INFO {")) {
            throw new AssertionError("expected INFO but got '" + escape(line) + "'");
        }
        infoLine = line;
        return line;
    }

    // ---------------------------------------------------------------- sending

    /** Writes the string's ISO-8859-1 bytes exactly, as one write. */
    public ProtocolClient send(String raw) {
        return send(raw.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Writes the bytes exactly, as one write. */
    public ProtocolClient send(byte[] raw) {
        try {
            out.write(raw);
            out.flush();
            return this;
        } catch (IOException e) {
            throw new AssertionError("write failed: " + e + "; received so far: " + transcriptText(), e);
        }
    }

    /** Writes the bytes; returns false instead of failing when the server has closed the socket. */
    public boolean trySend(byte[] raw) {
        try {
            out.write(raw);
            out.flush();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Sends PING and expects exactly PONG next: proves everything sent before was processed. */
    public ProtocolClient ping() {
        send("PING\r\n");
        expect("PONG\r\n");
        return this;
    }

    // ---------------------------------------------------------------- expecting

    /** Reads exactly the given bytes (ISO-8859-1) and fails on any difference. */
    public ProtocolClient expect(String exact) {
        byte[] expected = exact.getBytes(StandardCharsets.ISO_8859_1);
        long deadline = deadline();
        skipServerPings(deadline, exact.startsWith("PING"));
        int available = fillAtLeast(expected.length, deadline);
        int n = Math.min(available, expected.length);
        byte[] actual = Arrays.copyOfRange(buffer, start, start + n);
        int mismatch = Arrays.mismatch(expected, actual);
        if (mismatch >= 0 || n < expected.length) {
            // Collect a little more of what followed, to show it.
            fillAtLeast(Math.max(n, 1) + 128, System.nanoTime() + Duration.ofMillis(200).toNanos());
            String got = new String(buffer, start, end - start, StandardCharsets.ISO_8859_1);
            throw new AssertionError("expected bytes '" + escape(exact) + "' but received '" + escape(got) + "'"
                    + (eof ? "<EOF>" : "") + (n < expected.length && !eof ? "<timeout>" : ""));
        }
        start += expected.length;
        return this;
    }

    /** Expects one line (the text before CRLF). */
    public ProtocolClient expectLine(String line) {
        return expect(line + "\r\n");
    }

    /** Reads one line and matches it completely against a regular expression. */
    public Matcher expectLineMatching(String regex) {
        String line = readLine();
        Matcher matcher = Pattern.compile(regex).matcher(line);
        if (!matcher.matches()) {
            throw new AssertionError("line '" + escape(line) + "' does not match /" + regex + "/");
        }
        return matcher;
    }

    /**
     * Reads up to the next LF; the line must end with CRLF. Returns the line without CRLF.
     */
    public String readLine() {
        long deadline = deadline();
        skipServerPings(deadline, false);
        // Counted from start: fillMore may move the bytes to the front of the buffer.
        int scanned = 0;
        while (true) {
            for (int i = start + scanned; i < end; i++) {
                if (buffer[i] == '\n') {
                    if (i == start || buffer[i - 1] != '\r') {
                        throw new AssertionError("line not terminated by CRLF: '"
                                + escape(new String(buffer, start, i + 1 - start, StandardCharsets.ISO_8859_1)) + "'");
                    }
                    String line = new String(buffer, start, i - 1 - start, StandardCharsets.ISO_8859_1);
                    start = i + 1;
                    return line;
                }
            }
            scanned = end - start;
            if (!fillMore(deadline)) {
                throw new AssertionError("expected a line but "
                        + (eof ? "the connection was closed" : "timed out") + "; pending '"
                        + escape(new String(buffer, start, end - start, StandardCharsets.ISO_8859_1))
                        + "'; received so far: " + transcriptText());
            }
        }
    }

    /** Reads exactly {@code count} bytes. */
    public byte[] readBytes(int count) {
        long deadline = deadline();
        int available = fillAtLeast(count, deadline);
        if (available < count) {
            throw new AssertionError("expected " + count + " bytes but " + (eof ? "the connection closed" : "timed out")
                    + " after " + available + ": '" + escape(new String(buffer, start, available,
                    StandardCharsets.ISO_8859_1)) + "'");
        }
        byte[] result = Arrays.copyOfRange(buffer, start, start + count);
        start += count;
        return result;
    }

    /** Reads one MSG or HMSG frame including its payload and trailing CRLF. */
    public Msg readMsg() {
        String line = readLine();
        Matcher m = MSG_LINE.matcher(line);
        if (!m.matches()) {
            throw new AssertionError("expected MSG or HMSG but got '" + escape(line) + "'");
        }
        boolean headers = m.group(1).equals("HMSG");
        String reply;
        int headerSize;
        int totalSize;
        if (headers) {
            if (m.group(6) == null) {
                // HMSG subject sid hdr total: group 4 holds hdr, group 5 total.
                if (m.group(4) == null) {
                    throw new AssertionError("malformed HMSG line '" + escape(line) + "'");
                }
                reply = null;
                headerSize = Integer.parseInt(m.group(4));
                totalSize = Integer.parseInt(m.group(5));
            } else {
                reply = m.group(4);
                headerSize = Integer.parseInt(m.group(5));
                totalSize = Integer.parseInt(m.group(6));
            }
        } else {
            if (m.group(6) != null) {
                throw new AssertionError("malformed MSG line '" + escape(line) + "'");
            }
            reply = m.group(4);
            headerSize = 0;
            totalSize = Integer.parseInt(m.group(5));
        }
        byte[] body = readBytes(totalSize);
        expect("\r\n");
        return new Msg(m.group(1), m.group(2), m.group(3), reply,
                Arrays.copyOfRange(body, 0, headerSize), Arrays.copyOfRange(body, headerSize, totalSize), line);
    }

    /** Expects the server to close the connection, with no further bytes, within the timeout. */
    public void expectClosed() {
        long deadline = deadline();
        skipServerPings(deadline, false);
        while (fillMore(deadline)) {
            // keep reading until EOF or timeout
        }
        if (end > start) {
            throw new AssertionError("expected the connection to close but received '"
                    + escape(new String(buffer, start, end - start, StandardCharsets.ISO_8859_1)) + "'"
                    + (eof ? "<EOF>" : ""));
        }
        if (!eof) {
            throw new AssertionError("expected the connection to close within " + timeout.toMillis()
                    + " ms but it stayed open; received so far: " + transcriptText());
        }
    }

    /**
     * Reads and discards everything until the server closes the connection.
     *
     * @return the number of bytes read
     * @throws AssertionError if the connection is still open after {@code within}
     */
    public long drainUntilClosed(Duration within, java.util.function.Consumer<byte[]> sink) {
        long deadline = System.nanoTime() + within.toNanos();
        long total = 0;
        while (true) {
            if (end > start) {
                byte[] chunk = Arrays.copyOfRange(buffer, start, end);
                sink.accept(chunk);
                total += chunk.length;
                start = end;
            }
            if (eof) {
                return total;
            }
            if (!fillMore(deadline) && !eof) {
                throw new AssertionError("connection still open after " + within.toMillis() + " ms, "
                        + total + " bytes read");
            }
        }
    }

    /** Whether the server has closed the connection (as seen by reads so far). */
    public boolean isClosedByServer() {
        return eof;
    }

    /** Everything received on this connection so far (the last 4 KB), escaped. */
    public String transcriptText() {
        return "'" + escape(transcript.toString(StandardCharsets.ISO_8859_1)) + "'";
    }

    @Override
    public void close() {
        closeQuietly(socket);
    }

    // ---------------------------------------------------------------- internals

    private long deadline() {
        return System.nanoTime() + timeout.toNanos();
    }

    private void skipServerPings(long deadline, boolean pingExpected) {
        if (!answerServerPings || pingExpected) {
            return;
        }
        while (true) {
            if (fillAtLeast(1, deadline) < 1 || buffer[start] != 'P') {
                return;
            }
            if (fillAtLeast(PING.length, deadline) < PING.length) {
                return;
            }
            if (Arrays.mismatch(PING, 0, PING.length, buffer, start, start + PING.length) != -1) {
                return;
            }
            start += PING.length;
            trySend("PONG\r\n".getBytes(StandardCharsets.ISO_8859_1));
        }
    }

    /** Reads until {@code count} bytes are buffered, EOF or the deadline; returns what is buffered. */
    private int fillAtLeast(int count, long deadline) {
        while (end - start < count) {
            if (!fillMore(deadline)) {
                break;
            }
        }
        return end - start;
    }

    /** One read; false on EOF or when the deadline passed. */
    private boolean fillMore(long deadline) {
        if (eof) {
            return false;
        }
        long remainingMillis = (deadline - System.nanoTime()) / 1_000_000;
        if (remainingMillis <= 0) {
            return false;
        }
        if (start > 0 && start == end) {
            start = 0;
            end = 0;
        }
        if (end == buffer.length) {
            if (start > 0) {
                System.arraycopy(buffer, start, buffer, 0, end - start);
                end -= start;
                start = 0;
            } else {
                buffer = Arrays.copyOf(buffer, buffer.length * 2);
            }
        }
        try {
            socket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, remainingMillis)));
            int n = in.read(buffer, end, buffer.length - end);
            if (n < 0) {
                eof = true;
                return false;
            }
            record(buffer, end, n);
            end += n;
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            // A reset is how some closes arrive; treat it like EOF.
            eof = true;
            return false;
        } catch (IOException e) {
            throw new AssertionError("read failed: " + e, e);
        }
    }

    private void record(byte[] bytes, int offset, int length) {
        if (transcript.size() > TRANSCRIPT_LIMIT) {
            byte[] kept = transcript.toByteArray();
            transcript.reset();
            transcript.write(kept, kept.length - TRANSCRIPT_LIMIT / 2, TRANSCRIPT_LIMIT / 2);
        }
        transcript.write(bytes, offset, Math.min(length, TRANSCRIPT_LIMIT));
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing left to release
        }
    }

    /** Shows CR, LF, tab and non-printable bytes as escapes. */
    public static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\r' -> b.append("\\r");
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20 || c > 0x7e) {
                        b.append(String.format("\\x%02x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }

    /**
     * One received MSG or HMSG.
     *
     * @param verb    {@code MSG} or {@code HMSG}
     * @param reply   the reply subject or null
     * @param headers the header block (empty for MSG)
     * @param line    the control line as received
     */
    public record Msg(String verb, String subject, String sid, String reply, byte[] headers, byte[] payload,
                      String line) {

        public String payloadText() {
            return new String(payload, StandardCharsets.ISO_8859_1);
        }

        public String headersText() {
            return new String(headers, StandardCharsets.ISO_8859_1);
        }
    }
}
