package io.natsee.broker.cluster;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads route protocol 2 from a route's socket and calls its {@link RouteConnection}: control
 * lines (INFO, CONNECT, PING, PONG, RS+, RS-, -ERR, +OK) and messages (RMSG and HMSG with the
 * '+' and '|' queue forms). LS+, LS-, A+, A- and unknown verbs are skipped; LMSG's payload is
 * skipped too. Bytes are kept in one growing array until a line or payload is complete.
 */
final class RouteReader {

    /** A malformed line or payload; the route is closed. */
    static final class ParseException extends Exception {
        ParseException(String message) {
            super(message);
        }
    }

    private static final int MAX_CONTROL_LINE = 4096;

    private final RouteConnection route;
    private byte[] buffer = new byte[16 * 1024];
    private ByteBuffer view = ByteBuffer.wrap(buffer);
    private int length;
    private boolean stopped;
    private final List<String> queues = new ArrayList<>(4);

    // The message whose payload is awaited (payloadSize >= 0).
    private int payloadSize = -1;
    private int headerSize;
    private boolean global;
    private boolean skip;
    private int subjectOffset;
    private int subjectLength;
    private int replyOffset;
    private int replyLength;

    RouteReader(RouteConnection route) {
        this.route = route;
    }

    void stop() {
        stopped = true;
    }

    void read(ByteBuffer bytes) throws ParseException {
        int incoming = bytes.remaining();
        if (length + incoming > buffer.length) {
            byte[] bigger = new byte[Math.max(buffer.length * 2, length + incoming)];
            System.arraycopy(buffer, 0, bigger, 0, length);
            buffer = bigger;
            view = ByteBuffer.wrap(buffer);
        }
        bytes.get(buffer, length, incoming);
        length += incoming;
        int position = 0;
        while (!stopped) {
            if (payloadSize >= 0) {
                if (length - position < payloadSize + 2) {
                    break;
                }
                if (buffer[position + payloadSize] != '\r' || buffer[position + payloadSize + 1] != '\n') {
                    throw new ParseException("message payload not followed by CRLF");
                }
                int size = payloadSize;
                payloadSize = -1;
                if (!skip) {
                    route.onMessage(global, view, subjectOffset, subjectLength, replyOffset, replyLength, queues,
                            view, position, headerSize, size);
                }
                position += size + 2;
                continue;
            }
            int end = indexOf(position, '\n');
            if (end < 0) {
                if (length - position > MAX_CONTROL_LINE) {
                    throw new ParseException("maximum control line exceeded");
                }
                break;
            }
            int lineEnd = end > position && buffer[end - 1] == '\r' ? end - 1 : end;
            line(position, lineEnd);
            position = end + 1;
        }
        if (position > 0) {
            System.arraycopy(buffer, position, buffer, 0, length - position);
            length -= position;
            // The message arguments point into the moved bytes.
            subjectOffset -= position;
            replyOffset -= position;
        }
    }

    private int indexOf(int from, char wanted) {
        for (int i = from; i < length; i++) {
            if (buffer[i] == wanted) {
                return i;
            }
        }
        return -1;
    }

    private void line(int start, int end) throws ParseException {
        int verbEnd = start;
        while (verbEnd < end && buffer[verbEnd] != ' ' && buffer[verbEnd] != '\t') {
            verbEnd++;
        }
        String verb = new String(buffer, start, verbEnd - start, StandardCharsets.US_ASCII).toUpperCase();
        int argsStart = verbEnd;
        while (argsStart < end && (buffer[argsStart] == ' ' || buffer[argsStart] == '\t')) {
            argsStart++;
        }
        switch (verb) {
            case "" -> {
            }
            case "PING" -> route.onPing();
            case "PONG" -> route.onPong();
            case "+OK" -> {
            }
            case "-ERR" -> route.onError(new String(buffer, argsStart, end - argsStart, StandardCharsets.UTF_8));
            case "INFO" -> route.onInfo(copy(argsStart, end));
            case "CONNECT" -> route.onConnect(copy(argsStart, end));
            case "RS+" -> interest(argsStart, end, true);
            case "RS-" -> interest(argsStart, end, false);
            case "RMSG" -> message(argsStart, end, false, false);
            case "HMSG" -> message(argsStart, end, true, false);
            case "LMSG" -> message(argsStart, end, false, true);
            default -> {
                // LS+, LS-, A+, A- and whatever a newer peer sends: not for this server.
            }
        }
    }

    private byte[] copy(int start, int end) {
        byte[] bytes = new byte[end - start];
        System.arraycopy(buffer, start, bytes, 0, bytes.length);
        return bytes;
    }

    /** Splits the arguments into [start, end) pairs. */
    private int fields(int start, int end, int[] offsets) throws ParseException {
        int count = 0;
        int i = start;
        while (i < end) {
            while (i < end && (buffer[i] == ' ' || buffer[i] == '\t')) {
                i++;
            }
            if (i == end) {
                break;
            }
            int fieldStart = i;
            while (i < end && buffer[i] != ' ' && buffer[i] != '\t') {
                i++;
            }
            if (count * 2 + 1 >= offsets.length) {
                throw new ParseException("too many arguments");
            }
            offsets[count * 2] = fieldStart;
            offsets[count * 2 + 1] = i;
            count++;
        }
        return count;
    }

    private final int[] fields = new int[2 * 64];

    private String field(int index) {
        return new String(buffer, fields[index * 2], fields[index * 2 + 1] - fields[index * 2], StandardCharsets.UTF_8);
    }

    private void interest(int start, int end, boolean add) throws ParseException {
        int count = fields(start, end, fields);
        if (count < 2) {
            throw new ParseException("bad RS arguments");
        }
        String account = field(0);
        String subject = field(1);
        String queue = count >= 3 ? field(2) : null;
        if (add) {
            route.onSubscribe(account, subject, queue);
        } else {
            route.onUnsubscribe(account, subject, queue);
        }
    }

    private void message(int start, int end, boolean headers, boolean leaf) throws ParseException {
        int count = fields(start, end, fields);
        int first = leaf ? 1 : 0;
        int sizes = headers ? 2 : 1;
        if (count < first + 2 + sizes) {
            throw new ParseException("bad message arguments");
        }
        skip = leaf;
        global = RouteConnection.GLOBAL_ACCOUNT.equals(field(first));
        subjectOffset = fields[(first + 1) * 2];
        subjectLength = fields[(first + 1) * 2 + 1] - subjectOffset;
        replyOffset = 0;
        replyLength = 0;
        queues.clear();
        int rest = first + 2;
        int sizeIndex = count - sizes;
        if (rest < sizeIndex) {
            byte marker = buffer[fields[rest * 2]];
            boolean single = fields[rest * 2 + 1] - fields[rest * 2] == 1;
            if (single && marker == '+') {
                if (rest + 1 >= sizeIndex) {
                    throw new ParseException("bad queue arguments");
                }
                replyOffset = fields[(rest + 1) * 2];
                replyLength = fields[(rest + 1) * 2 + 1] - replyOffset;
                for (int i = rest + 2; i < sizeIndex; i++) {
                    queues.add(field(i));
                }
            } else if (single && marker == '|') {
                for (int i = rest + 1; i < sizeIndex; i++) {
                    queues.add(field(i));
                }
            } else if (rest + 1 == sizeIndex) {
                replyOffset = fields[rest * 2];
                replyLength = fields[rest * 2 + 1] - replyOffset;
            } else {
                throw new ParseException("bad message arguments");
            }
        }
        int total = number(sizeIndex + sizes - 1);
        headerSize = headers ? number(sizeIndex) : 0;
        if (total < 0 || headerSize < 0 || headerSize > total) {
            throw new ParseException("bad message size");
        }
        payloadSize = total;
    }

    private int number(int index) throws ParseException {
        int value = 0;
        int from = fields[index * 2];
        int to = fields[index * 2 + 1];
        if (to - from > 9) {
            throw new ParseException("bad size");
        }
        for (int i = from; i < to; i++) {
            byte b = buffer[i];
            if (b < '0' || b > '9') {
                throw new ParseException("bad size");
            }
            value = value * 10 + (b - '0');
        }
        return value;
    }
}
