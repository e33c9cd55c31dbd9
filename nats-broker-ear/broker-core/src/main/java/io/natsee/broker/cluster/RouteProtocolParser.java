package io.natsee.broker.cluster;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The route protocol parser (nats-server 2.9.10's route protocol 2): reads {@code INFO},
 * {@code CONNECT}, {@code PING}, {@code PONG}, {@code -ERR}, {@code RS+}, {@code RS-},
 * {@code RMSG} and {@code HMSG}, and accepts without acting {@code LS+}, {@code LS-},
 * {@code LMSG} (its payload skipped), {@code A+}, {@code A-}, {@code +OK} and any other verb,
 * so nothing a Go peer sends (its {@code $SYS} traffic included) drops the route. One instance
 * per route connection, used by its event loop only.
 *
 * <p>Two states, named after what is being read: {@link State#CONTROL_LINE} up to the line
 * feed, then for messages {@link State#PAYLOAD} up to the payload's CRLF. Verbs are
 * case-insensitive and fields are separated by spaces or tabs. Fields and payloads are handed
 * over as offsets into the read buffer; only when a read ends inside an operation are its bytes
 * copied, into buffers of the parser that grow as needed and are reused. A control line longer
 * than max_control_line and a message larger than the payload limit are refused before their
 * bytes are kept. Bad arguments carry nats-server's texts ({@code processRoutedMsgArgs Parse
 * Error: '...'}).
 */
public final class RouteProtocolParser {

    /** What the parser is reading. */
    public enum State {
        /** A control line, up to its line feed. */
        CONTROL_LINE,
        /** A message's bytes and their CRLF. */
        PAYLOAD
    }

    private static final int INITIAL_COPY = 256;
    private static final int SHRINK_COPY_ABOVE = 64 * 1024;
    private static final byte[] EMPTY = new byte[0];

    private final RouteProtocolHandler handler;
    private final int maxControlLine;
    private final int maxPayload;

    private State state = State.CONTROL_LINE;
    private boolean stopped;
    /** Whether each control line is also handed to {@link RouteProtocolHandler#onLine} (for -V). */
    private boolean tracing;

    /** The control line so far, when a read cut it (or a message's payload follows in a later read). */
    private byte[] lineCopy = EMPTY;
    private ByteBuffer lineCopyBuffer = ByteBuffer.wrap(EMPTY);
    private int lineCopyLength;
    private boolean copyingLine;

    /** Absolute start and end of each field of the current line; field 0 is the verb. */
    private int[] fields = new int[2 * 16];
    private int fieldCount;

    /** The pending message (valid in PAYLOAD). */
    private final RoutedMessage message = new RoutedMessage();
    private boolean skipping;
    private int pendingTotal;
    private byte[] payloadCopy = EMPTY;
    private ByteBuffer payloadCopyBuffer = ByteBuffer.wrap(EMPTY);
    private int payloadCopyLength;

    /**
     * @param maxControlLine the longest control line accepted, in bytes
     * @param maxPayload the largest message (headers plus payload) accepted, in bytes;
     *                   {@link Integer#MAX_VALUE} for no limit beyond the 9-digit sizes
     */
    public RouteProtocolParser(RouteProtocolHandler handler, int maxControlLine, int maxPayload) {
        this.handler = handler;
        this.maxControlLine = maxControlLine;
        this.maxPayload = maxPayload;
    }

    public State state() {
        return state;
    }

    /** Hands every control line to the handler's {@code onLine} before acting on it (protocol trace). */
    public void trace(boolean on) {
        tracing = on;
    }

    /** Stops parsing: the rest of the current read and all later reads are ignored. */
    public void stop() {
        stopped = true;
    }

    /**
     * Parses the bytes between {@code buffer}'s position and limit (absolute reads; the position
     * is not moved). Every complete operation is handed to the handler before this returns; an
     * incomplete one is kept for the next read.
     */
    public void parse(ByteBuffer buffer) throws RouteProtocolException {
        int i = buffer.position();
        final int end = buffer.limit();
        while (i < end && !stopped) {
            i = state == State.PAYLOAD ? readPayload(buffer, i, end) : readLine(buffer, i, end);
        }
    }

    private int readLine(ByteBuffer buffer, int from, int end) throws RouteProtocolException {
        int lineFeed = -1;
        for (int j = from; j < end; j++) {
            if (buffer.get(j) == '\n') {
                lineFeed = j;
                break;
            }
        }
        if (lineFeed < 0) {
            appendLine(buffer, from, end);
            int kept = lineCopyLength;
            if (kept > 0 && lineCopy[kept - 1] == '\r') {
                kept--;
            }
            if (kept > maxControlLine) {
                throw new RouteProtocolException(state.name(), "maximum control line exceeded: more than "
                        + maxControlLine + " bytes at '" + RouteProtocolException.snippet(lineCopyBuffer, 0, kept) + "'");
            }
            return end;
        }
        ByteBuffer line;
        int start;
        int stop;
        if (copyingLine) {
            appendLine(buffer, from, lineFeed);
            line = lineCopyBuffer;
            start = 0;
            stop = lineCopyLength;
            copyingLine = false;
        } else {
            line = buffer;
            start = from;
            stop = lineFeed;
        }
        if (stop > start && line.get(stop - 1) == '\r') {
            stop--;
        }
        if (stop - start > maxControlLine) {
            throw new RouteProtocolException(state.name(), "maximum control line exceeded: " + (stop - start)
                    + " bytes, more than " + maxControlLine + " at '" + RouteProtocolException.snippet(line, start, stop) + "'");
        }
        int next = dispatchLine(line, start, stop, buffer, lineFeed + 1, end);
        if (state == State.CONTROL_LINE) {
            lineCopyLength = 0; // the copied line is done with; a message waiting for its payload keeps it
        }
        return next;
    }

    /** Handles one control line; returns where reading goes on in the read buffer. */
    private int dispatchLine(ByteBuffer line, int start, int stop, ByteBuffer read, int next, int end)
            throws RouteProtocolException {
        split(line, start, stop);
        if (fieldCount == 0) {
            return next; // an empty line: nothing to do
        }
        int verbStart = fields[0];
        int verbLength = fields[1] - verbStart;
        if (tracing) {
            handler.onLine(line, verbStart, verbLength, rest(line, fields[1], stop), stop);
        }
        if (is(line, verbStart, verbLength, "PING")) {
            handler.onPing();
        } else if (is(line, verbStart, verbLength, "PONG")) {
            handler.onPong();
        } else if (is(line, verbStart, verbLength, "RS+")) {
            subscribe(line, start, stop);
        } else if (is(line, verbStart, verbLength, "RS-")) {
            unsubscribe(line, start, stop);
        } else if (is(line, verbStart, verbLength, "RMSG")) {
            return startMessage(line, start, stop, false, false, read, next, end);
        } else if (is(line, verbStart, verbLength, "HMSG")) {
            return startMessage(line, start, stop, true, false, read, next, end);
        } else if (is(line, verbStart, verbLength, "LMSG")) {
            return startMessage(line, start, stop, false, true, read, next, end);
        } else if (is(line, verbStart, verbLength, "INFO")) {
            int json = rest(line, fields[1], stop);
            handler.onInfo(line, json, stop - json);
        } else if (is(line, verbStart, verbLength, "CONNECT")) {
            int json = rest(line, fields[1], stop);
            handler.onConnect(line, json, stop - json);
        } else if (is(line, verbStart, verbLength, "-ERR")) {
            int text = rest(line, fields[1], stop);
            handler.onError(line, text, stop - text);
        } else {
            // LS+, LS-, A+, A-, +OK and verbs of later versions: accepted, not acted on.
            handler.onIgnored(line, start, stop - start);
        }
        return next;
    }

    private void subscribe(ByteBuffer line, int start, int stop) throws RouteProtocolException {
        int[] f = fields;
        if (fieldCount == 3) {
            handler.onSubscribe(line, f[2], f[3] - f[2], f[4], f[5] - f[4], 0, 0, 0);
        } else if (fieldCount == 5) {
            long weight = parseSize(line, f[8], f[9]);
            if (weight < 0) {
                throw parseError("processRemoteSub", line, start, stop);
            }
            handler.onSubscribe(line, f[2], f[3] - f[2], f[4], f[5] - f[4], f[6], f[7] - f[6], (int) weight);
        } else {
            throw parseError("processRemoteSub", line, start, stop);
        }
    }

    private void unsubscribe(ByteBuffer line, int start, int stop) throws RouteProtocolException {
        int[] f = fields;
        if (fieldCount == 3) {
            handler.onUnsubscribe(line, f[2], f[3] - f[2], f[4], f[5] - f[4], 0, 0);
        } else if (fieldCount == 4) {
            handler.onUnsubscribe(line, f[2], f[3] - f[2], f[4], f[5] - f[4], f[6], f[7] - f[6]);
        } else {
            throw parseError("processRemoteUnsub", line, start, stop);
        }
    }

    /**
     * Reads an RMSG/HMSG (or LMSG, skipped) control line as nats-server's
     * {@code processRoutedMsgArgs} and {@code processRoutedHeaderMsgArgs} do, then its payload.
     */
    private int startMessage(ByteBuffer line, int start, int stop, boolean headers, boolean skip,
                             ByteBuffer read, int next, int end) throws RouteProtocolException {
        String where = headers ? "processRoutedHeaderMsgArgs" : "processRoutedMsgArgs";
        int arguments = fieldCount - 1; // fields after the verb
        int sizes = headers ? 2 : 1;
        RoutedMessage m = message;
        m.replyField = -1;
        m.queueCount = 0;
        m.firstQueueField = 0;
        if (skip) {
            if (arguments < 1) {
                throw parseError("processRoutedOriginClusterMsgArgs", line, start, stop);
            }
        } else if (arguments < 2 + sizes) {
            throw parseError(where, line, start, stop);
        } else if (arguments == 3 + sizes) {
            m.replyField = 3;
        } else if (arguments > 3 + sizes) {
            int indicator = 3;
            if (fields[2 * indicator + 1] - fields[2 * indicator] != 1) {
                throw parseError(where, line, start, stop);
            }
            byte kind = line.get(fields[2 * indicator]);
            if (kind == '+') {
                m.replyField = 4;
                m.firstQueueField = 5;
            } else if (kind == '|') {
                m.firstQueueField = 4;
            } else {
                throw parseError(where, line, start, stop);
            }
            m.queueCount = fieldCount - sizes - m.firstQueueField;
        }
        int last = fieldCount - 1;
        long total = parseSize(line, fields[2 * last], fields[2 * last + 1]);
        long header = -1;
        if (headers) {
            header = parseSize(line, fields[2 * (last - 1)], fields[2 * (last - 1) + 1]);
            if (header < 0 || header > total) {
                throw parseError(where, line, start, stop);
            }
        }
        if (total < 0) {
            throw parseError(skip ? "processRoutedOriginClusterMsgArgs" : where, line, start, stop);
        }
        if (total > maxPayload) {
            throw new RouteProtocolException(state.name(), "maximum payload exceeded: " + total + " bytes, more than "
                    + maxPayload + " at '" + RouteProtocolException.snippet(line, start, stop) + "'");
        }
        m.accountField = 1;
        m.subjectField = 2;
        m.headerLength = (int) header;
        m.totalLength = (int) total;
        skipping = skip;
        pendingTotal = (int) total;
        if (end - next >= pendingTotal + 2) {
            checkPayloadEnd(read, next + pendingTotal);
            deliver(line, read, next, start, stop);
            return next + pendingTotal + 2;
        }
        if (line == read) {
            keepLine(read, start, stop);
        }
        state = State.PAYLOAD;
        payloadCopyLength = 0;
        if (payloadCopy.length < pendingTotal + 2) {
            payloadCopy = new byte[Math.max(pendingTotal + 2, INITIAL_COPY)];
            payloadCopyBuffer = ByteBuffer.wrap(payloadCopy);
        }
        return next;
    }

    private int readPayload(ByteBuffer buffer, int from, int end) throws RouteProtocolException {
        int needed = pendingTotal + 2;
        int take = Math.min(needed - payloadCopyLength, end - from);
        buffer.get(from, payloadCopy, payloadCopyLength, take);
        payloadCopyLength += take;
        if (payloadCopyLength == needed) {
            checkPayloadEnd(payloadCopyBuffer, pendingTotal);
            state = State.CONTROL_LINE;
            deliver(lineCopyBuffer, payloadCopyBuffer, 0, 0, lineCopyLength);
            payloadCopyLength = 0;
            lineCopyLength = 0;
            if (payloadCopy.length > SHRINK_COPY_ABOVE) {
                payloadCopy = EMPTY;
                payloadCopyBuffer = ByteBuffer.wrap(EMPTY);
            }
        }
        return from + take;
    }

    private void deliver(ByteBuffer line, ByteBuffer payload, int payloadOffset, int start, int stop) {
        if (skipping) {
            handler.onIgnored(line, start, stop - start);
            return;
        }
        RoutedMessage m = message;
        m.arguments = line;
        m.fields = fields;
        m.payload = payload;
        m.payloadOffset = payloadOffset;
        handler.onMessage(m);
    }

    /** Moves the current line into the copy buffer (its payload comes in a later read) and rebases the fields. */
    private void keepLine(ByteBuffer read, int start, int stop) {
        int length = stop - start;
        if (lineCopy.length < length) {
            lineCopy = new byte[Math.max(length, INITIAL_COPY)];
            lineCopyBuffer = ByteBuffer.wrap(lineCopy);
        }
        read.get(start, lineCopy, 0, length);
        lineCopyLength = length;
        for (int i = 0; i < 2 * fieldCount; i++) {
            fields[i] -= start;
        }
    }

    private void checkPayloadEnd(ByteBuffer buffer, int at) throws RouteProtocolException {
        if (buffer.get(at) != '\r' || buffer.get(at + 1) != '\n') {
            state = State.PAYLOAD;
            throw new RouteProtocolException(State.PAYLOAD.name(), "message not followed by CRLF: '"
                    + RouteProtocolException.snippet(buffer, at, at + 2) + "'");
        }
    }

    private void split(ByteBuffer line, int start, int stop) {
        int count = 0;
        int i = start;
        while (i < stop) {
            byte b = line.get(i);
            if (b == ' ' || b == '\t') {
                i++;
                continue;
            }
            int fieldStart = i;
            while (i < stop) {
                b = line.get(i);
                if (b == ' ' || b == '\t') {
                    break;
                }
                i++;
            }
            if (2 * count + 1 >= fields.length) {
                fields = Arrays.copyOf(fields, fields.length * 2);
            }
            fields[2 * count] = fieldStart;
            fields[2 * count + 1] = i;
            count++;
        }
        fieldCount = count;
    }

    /** The first byte after the verb's field and the blanks that follow it. */
    private static int rest(ByteBuffer line, int afterVerb, int stop) {
        int i = afterVerb;
        while (i < stop && (line.get(i) == ' ' || line.get(i) == '\t')) {
            i++;
        }
        return i;
    }

    private static boolean is(ByteBuffer line, int offset, int length, String verb) {
        if (length != verb.length()) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            int b = line.get(offset + i);
            if (b >= 'a' && b <= 'z') {
                b -= 'a' - 'A';
            }
            if (b != verb.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** A decimal size as nats-server's parseSize reads it: 1 to 9 digits, else -1. */
    static long parseSize(ByteBuffer buffer, int start, int stop) {
        if (start == stop || stop - start > 9) {
            return -1;
        }
        long value = 0;
        for (int i = start; i < stop; i++) {
            int digit = buffer.get(i) - '0';
            if (digit < 0 || digit > 9) {
                return -1;
            }
            value = value * 10 + digit;
        }
        return value;
    }

    private void appendLine(ByteBuffer buffer, int start, int stop) {
        int length = stop - start;
        int needed = lineCopyLength + length;
        if (lineCopy.length < needed) {
            byte[] bigger = new byte[Math.max(needed, Math.max(INITIAL_COPY, lineCopy.length * 2))];
            System.arraycopy(lineCopy, 0, bigger, 0, lineCopyLength);
            lineCopy = bigger;
            lineCopyBuffer = ByteBuffer.wrap(bigger);
        }
        buffer.get(start, lineCopy, lineCopyLength, length);
        lineCopyLength += length;
        copyingLine = true;
    }

    private RouteProtocolException parseError(String where, ByteBuffer line, int start, int stop) {
        int argumentsStart = fieldCount > 1 ? fields[2] : stop;
        return new RouteProtocolException(state.name(), where + " Parse Error: '"
                + RouteProtocolException.snippet(line, argumentsStart, stop) + "'");
    }
}
