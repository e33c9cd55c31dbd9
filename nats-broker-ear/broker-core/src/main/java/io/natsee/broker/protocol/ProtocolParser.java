package io.natsee.broker.protocol;

import static io.natsee.broker.protocol.ParserState.*;

import io.natsee.broker.protocol.ProtocolException.Kind;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The NATS client protocol parser: a byte state machine over each read, as nats-server's. One
 * instance per connection, used by its event loop only.
 *
 * <p>Verbs are case-insensitive and their arguments are separated by spaces or tabs. Arguments
 * and payloads are handed to the {@link ProtocolHandler} as offsets into the read buffer; only
 * when a read ends inside an operation are its bytes copied, into buffers of the parser that grow
 * as needed and are reused. Limits are checked inside the machine: a control line longer than
 * max_control_line and a payload larger than max_payload are refused before their bytes are kept.
 */
public final class ProtocolParser {

    private static final int INITIAL_COPY = 256;
    private static final byte[] EMPTY = new byte[0];
    /** The bytes {@code "PUB "} read as one big-endian int. */
    private static final int PUB_SPACE_WORD = ('P' << 24) | ('U' << 16) | ('B' << 8) | ' ';

    private ProtocolHandler handler;
    private final int maxControlLine;
    private int maxPayload;

    private ParserState state = OP_START;
    private boolean stopped;

    /** Where the current control line's arguments start in the read buffer; -1 when copied. */
    private int argumentsStart;
    /** The arguments copied so far when a read cut the control line. */
    private byte[] argumentCopy = EMPTY;
    private int argumentCopyLength;
    private boolean copyingArguments;
    private ByteBuffer argumentCopyBuffer = ByteBuffer.wrap(EMPTY);

    /** The pending PUB/HPUB: argument positions relative to the start of its arguments. */
    private boolean pendingHeaders;
    private int subjectStart;
    private int subjectLength;
    private int replyStart;
    private int replyLength;
    private int headerSize;
    private int payloadSize;
    /** The size fields as the client wrote them, relative to the start of the arguments. */
    private int sizeFieldStart;
    private int sizeFieldLength;
    private int headerSizeFieldStart;
    private int headerSizeFieldLength;
    /** The message handed to the handler for every PUB and HPUB, refilled each time. */
    private final PublishedMessage message = new PublishedMessage();
    /** The payload (plus CRLF) copied so far when a read cut it. */
    private byte[] payloadCopy = EMPTY;
    private int payloadCopyLength;
    private boolean copyingPayload;
    private ByteBuffer payloadCopyBuffer = ByteBuffer.wrap(EMPTY);

    /** Hands the operations read from now on to {@code handler} (a reload switching the trace); on the reading thread. */
    public void handler(ProtocolHandler handler) {
        this.handler = handler;
    }

    /** Changes max_payload for the payloads read from now on (a reload); on the reading thread. */
    public void maxPayload(int maxPayload) {
        this.maxPayload = maxPayload;
    }

    public ProtocolParser(ProtocolHandler handler, int maxControlLine, int maxPayload) {
        this.handler = handler;
        this.maxControlLine = maxControlLine;
        this.maxPayload = maxPayload;
    }

    /** The current state, for diagnostics. */
    public ParserState state() {
        return state;
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
    public void parse(ByteBuffer buffer) throws ProtocolException {
        int i = buffer.position();
        final int end = buffer.limit();
        while (i < end && !stopped) {
            ParserState current = state;
            if (current == PAYLOAD) {
                i = readPayload(buffer, i, end);
                continue;
            }
            if (current.readsArguments()) {
                i = readArguments(buffer, i, end);
                continue;
            }
            byte b = buffer.get(i);
            switch (current) {
                case OP_START -> {
                    if (!handler.beginOperation(b)) {
                        stopped = true;
                        return;
                    }
                    if (b == 'P' && i + 4 <= end && buffer.order() == ByteOrder.BIG_ENDIAN
                            && buffer.getInt(i) == PUB_SPACE_WORD) {
                        // "PUB " whole in this read, the common case: one comparison for four states.
                        state = PUB_SPACE;
                        i += 4;
                        continue;
                    }
                    switch (b) {
                        case 'P', 'p' -> state = OP_P;
                        case 'S', 's' -> state = OP_S;
                        case 'U', 'u' -> state = OP_U;
                        case 'H', 'h' -> state = OP_H;
                        case 'C', 'c' -> state = OP_C;
                        case 'I', 'i' -> state = OP_I;
                        case '+' -> state = OP_PLUS;
                        case '-' -> state = OP_MINUS;
                        default -> throw unknown(buffer, i, end);
                    }
                }
                case OP_P -> {
                    switch (b) {
                        case 'U', 'u' -> state = OP_PU;
                        case 'I', 'i' -> state = OP_PI;
                        case 'O', 'o' -> state = OP_PO;
                        default -> throw unknown(buffer, i, end);
                    }
                }
                case OP_PU -> state = expect(b, 'B', OP_PUB, buffer, i, end);
                case OP_PUB -> state = expectSpace(b, PUB_SPACE, buffer, i, end);
                case OP_PI -> state = expect(b, 'N', OP_PIN, buffer, i, end);
                case OP_PIN -> state = expect(b, 'G', OP_PING, buffer, i, end);
                case OP_PING -> {
                    if (b == '\n') {
                        state = OP_START;
                        handler.onPing();
                    }
                }
                case OP_PO -> state = expect(b, 'N', OP_PON, buffer, i, end);
                case OP_PON -> state = expect(b, 'G', OP_PONG, buffer, i, end);
                case OP_PONG -> {
                    if (b == '\n') {
                        state = OP_START;
                        handler.onPong();
                    }
                }
                case OP_H -> state = expect(b, 'P', OP_HP, buffer, i, end);
                case OP_HP -> state = expect(b, 'U', OP_HPU, buffer, i, end);
                case OP_HPU -> state = expect(b, 'B', OP_HPUB, buffer, i, end);
                case OP_HPUB -> state = expectSpace(b, HPUB_SPACE, buffer, i, end);
                case OP_S -> state = expect(b, 'U', OP_SU, buffer, i, end);
                case OP_SU -> state = expect(b, 'B', OP_SUB, buffer, i, end);
                case OP_SUB -> state = expectSpace(b, SUB_SPACE, buffer, i, end);
                case OP_U -> state = expect(b, 'N', OP_UN, buffer, i, end);
                case OP_UN -> state = expect(b, 'S', OP_UNS, buffer, i, end);
                case OP_UNS -> state = expect(b, 'U', OP_UNSU, buffer, i, end);
                case OP_UNSU -> state = expect(b, 'B', OP_UNSUB, buffer, i, end);
                case OP_UNSUB -> state = expectSpace(b, UNSUB_SPACE, buffer, i, end);
                case OP_C -> state = expect(b, 'O', OP_CO, buffer, i, end);
                case OP_CO -> state = expect(b, 'N', OP_CON, buffer, i, end);
                case OP_CON -> state = expect(b, 'N', OP_CONN, buffer, i, end);
                case OP_CONN -> state = expect(b, 'E', OP_CONNE, buffer, i, end);
                case OP_CONNE -> state = expect(b, 'C', OP_CONNEC, buffer, i, end);
                case OP_CONNEC -> state = expect(b, 'T', OP_CONNECT, buffer, i, end);
                case OP_CONNECT -> {
                    if (b == '\r' || b == '\n') {
                        // A bare CONNECT: empty arguments, which the handler refuses silently as nats-server does.
                        state = CONNECT_ARGS;
                        argumentsStart = i;
                        copyingArguments = false;
                        argumentCopyLength = 0;
                        continue;
                    }
                    state = expectSpace(b, CONNECT_SPACE, buffer, i, end);
                }
                case OP_I -> state = expect(b, 'N', OP_IN, buffer, i, end);
                case OP_IN -> state = expect(b, 'F', OP_INF, buffer, i, end);
                case OP_INF -> state = expect(b, 'O', OP_INFO, buffer, i, end);
                case OP_INFO -> state = expectSpace(b, INFO_SPACE, buffer, i, end);
                case OP_PLUS -> state = expect(b, 'O', OP_PLUS_O, buffer, i, end);
                case OP_PLUS_O -> state = expect(b, 'K', OP_PLUS_OK, buffer, i, end);
                case OP_PLUS_OK -> {
                    if (b == '\n') {
                        state = OP_START;
                        handler.onOk();
                    }
                }
                case OP_MINUS -> state = expect(b, 'E', OP_MINUS_E, buffer, i, end);
                case OP_MINUS_E -> state = expect(b, 'R', OP_MINUS_ER, buffer, i, end);
                case OP_MINUS_ER -> state = expect(b, 'R', OP_MINUS_ERR, buffer, i, end);
                case OP_MINUS_ERR -> state = expectSpace(b, OP_MINUS_ERR_SPACE, buffer, i, end);
                case PUB_SPACE, HPUB_SPACE, SUB_SPACE, UNSUB_SPACE, CONNECT_SPACE, INFO_SPACE, OP_MINUS_ERR_SPACE -> {
                    if (b != ' ' && b != '\t') {
                        state = argumentsStateAfter(current);
                        argumentsStart = i;
                        copyingArguments = false;
                        argumentCopyLength = 0;
                        continue; // this byte is the first of the arguments
                    }
                }
                default -> throw unknown(buffer, i, end);
            }
            i++;
        }
        if (state == PAYLOAD && !copyingArguments && !stopped) {
            keepArguments(buffer);
        }
    }

    /** Copies the pending PUB's arguments out of the read buffer, which the next read replaces. */
    private void keepArguments(ByteBuffer buffer) {
        int length = argumentEndForCopy();
        argumentCopyLength = 0;
        ensureArgumentCopy(length);
        buffer.get(argumentsBase, argumentCopy, 0, length);
        argumentCopyLength = length;
        argumentsBase = -1;
        copyingArguments = true;
    }

    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;

    /**
     * The high bit of each byte of {@code word} (little-endian: the first byte lowest) that is a
     * space, a tab or a line feed. A byte after a marked one may be marked falsely (the borrow of
     * the zero-byte test), never one before it, so the lowest mark is always the first such byte.
     */
    static long separators(long word) {
        return zeroBytes(word ^ 0x2020202020202020L) | zeroBytes(word ^ 0x0909090909090909L)
                | zeroBytes(word ^ 0x0A0A0A0A0A0A0A0AL);
    }

    private static long zeroBytes(long value) {
        return (value - ONES) & ~value & HIGHS;
    }

    private int readArguments(ByteBuffer buffer, int from, int end) throws ProtocolException {
        // One pass finds the line feed and, when the line is whole in this read, its fields.
        // Eight bytes at a time while eight remain: a word without a blank or a line feed is
        // inside a field (or starts one); otherwise the bytes before the first such byte are.
        int lineFeed = -1;
        int count = 0;
        boolean inField = false;
        final int[] fields = this.fields;
        final boolean bigEndian = buffer.order() == ByteOrder.BIG_ENDIAN;
        int j = from;
        while (j < end) {
            if (end - j >= Long.BYTES) {
                long word = buffer.getLong(j);
                long marks = separators(bigEndian ? Long.reverseBytes(word) : word);
                int plain = marks == 0 ? Long.BYTES : Long.numberOfTrailingZeros(marks) >>> 3;
                if (plain > 0 && !inField) {
                    if (count < MAX_FIELDS) {
                        fields[2 * count] = j;
                    }
                    inField = true;
                }
                j += plain;
                if (marks == 0) {
                    continue;
                }
                // The byte at j is a blank or the line feed.
                if (buffer.get(j) == '\n') {
                    lineFeed = j;
                    break;
                }
                if (inField) {
                    if (count < MAX_FIELDS) {
                        fields[2 * count + 1] = j;
                    }
                    count++;
                    inField = false;
                }
                j++;
                continue;
            }
            byte b = buffer.get(j);
            if (b == '\n') {
                lineFeed = j;
                break;
            }
            if (b == ' ' || b == '\t') {
                if (inField) {
                    if (count < MAX_FIELDS) {
                        fields[2 * count + 1] = j;
                    }
                    count++;
                    inField = false;
                }
            } else if (!inField) {
                if (count < MAX_FIELDS) {
                    fields[2 * count] = j;
                }
                inField = true;
            }
            j++;
        }
        if (lineFeed < 0) {
            int start = copyingArguments ? from : argumentsStart;
            appendArguments(buffer, start, end);
            int kept = argumentCopyLength;
            if (kept > 0 && argumentCopy[kept - 1] == '\r') {
                kept--; // the CR of the line's end, whose LF is in the next read
            }
            if (kept > maxControlLine) {
                throw new ProtocolException(Kind.MAX_CONTROL_LINE, state,
                        "control line of more than " + maxControlLine + " bytes: '"
                                + shown(argumentCopyBuffer, 0, kept) + "'");
            }
            return end;
        }
        ByteBuffer args;
        int start;
        int stop;
        if (copyingArguments) {
            appendArguments(buffer, from, lineFeed);
            args = argumentCopyBuffer;
            start = 0;
            stop = argumentCopyLength;
            if (stop > start && args.get(stop - 1) == '\r') {
                stop--;
            }
            count = split(args, start, stop, fields);
        } else {
            args = buffer;
            start = argumentsStart;
            stop = lineFeed;
            if (inField) {
                if (count < MAX_FIELDS) {
                    fields[2 * count + 1] = lineFeed;
                }
                count++;
            }
            if (stop > start && args.get(stop - 1) == '\r') {
                stop--;
                // The last field touches the line feed: it ends with this CR, which is not part of it.
                int last = count - 1;
                if (count <= MAX_FIELDS && last >= 0 && fields[2 * last + 1] == lineFeed) {
                    fields[2 * last + 1] = stop;
                    if (stop == fields[2 * last]) {
                        count--;
                    }
                }
            }
            count = Math.min(count, MAX_FIELDS + 1);
        }
        if (stop - start > maxControlLine) {
            throw new ProtocolException(Kind.MAX_CONTROL_LINE, state,
                    "control line of " + (stop - start) + " bytes, more than " + maxControlLine + ": '"
                            + shown(args, start, stop) + "'");
        }
        ParserState current = state;
        switch (current) {
            case PUB_ARGS -> startPayload(args, start, stop, false, count);
            case HPUB_ARGS -> startPayload(args, start, stop, true, count);
            case SUB_ARGS -> dispatchSub(args, start, stop, count);
            case UNSUB_ARGS -> dispatchUnsub(args, start, stop, count);
            case CONNECT_ARGS -> handler.onConnect(args, start, stop - start);
            case INFO_ARGS -> handler.onInfo(args, start, stop - start);
            case MINUS_ERR_ARGS -> handler.onErr(args, start, stop - start);
            default -> throw new IllegalStateException(current.name());
        }
        if (state != PAYLOAD) {
            state = OP_START;
        }
        if (state == PAYLOAD) {
            // The payload's arguments stay where they are until the payload is complete.
            argumentsBase = copyingArguments ? -1 : start;
        } else {
            copyingArguments = false;
            argumentCopyLength = 0;
        }
        return lineFeed + 1;
    }

    /** Where the pending PUB's arguments start in the read buffer, or -1 if they were copied. */
    private int argumentsBase;

    /** The fields are in {@link #fields}: subject [reply] [header size] size. */
    private void startPayload(ByteBuffer args, int start, int stop, boolean headers, int count)
            throws ProtocolException {
        int[] fields = this.fields;
        int sizeField;
        int headerField = -1;
        if (!headers) {
            if (count == 2) {
                sizeField = 1;
                replyLength = 0;
            } else if (count == 3) {
                sizeField = 2;
                replyStart = fields[2] - start;
                replyLength = fields[3] - fields[2];
            } else {
                throw badArguments(args, start, stop);
            }
        } else {
            if (count == 3) {
                headerField = 1;
                sizeField = 2;
                replyLength = 0;
            } else if (count == 4) {
                headerField = 2;
                sizeField = 3;
                replyStart = fields[2] - start;
                replyLength = fields[3] - fields[2];
            } else {
                throw badArguments(args, start, stop);
            }
        }
        subjectStart = fields[0] - start;
        subjectLength = fields[1] - fields[0];
        sizeFieldStart = fields[2 * sizeField] - start;
        sizeFieldLength = fields[2 * sizeField + 1] - fields[2 * sizeField];
        if (headers) {
            headerSizeFieldStart = fields[2 * headerField] - start;
            headerSizeFieldLength = fields[2 * headerField + 1] - fields[2 * headerField];
        } else {
            headerSizeFieldLength = 0;
        }
        long size = parseSize(args, fields[2 * sizeField], fields[2 * sizeField + 1]);
        if (size < 0) {
            throw badArguments(args, start, stop);
        }
        long header = 0;
        if (headers) {
            header = parseSize(args, fields[2 * headerField], fields[2 * headerField + 1]);
            if (header < 0 || header > size) {
                throw badArguments(args, start, stop);
            }
        }
        if (size > maxPayload) {
            throw new ProtocolException(Kind.MAX_PAYLOAD, state,
                    "payload of " + size + " bytes, more than " + maxPayload + ": '"
                            + ProtocolException.snippet(args, start, stop) + "'");
        }
        pendingHeaders = headers;
        headerSize = (int) header;
        payloadSize = (int) size;
        copyingPayload = false;
        payloadCopyLength = 0;
        state = PAYLOAD;
    }

    private int readPayload(ByteBuffer buffer, int from, int end) throws ProtocolException {
        int needed = payloadSize + 2;
        if (!copyingPayload && end - from >= needed) {
            checkPayloadEnd(buffer, from + payloadSize);
            dispatchPayload(buffer, from);
            return from + needed;
        }
        if (!copyingPayload) {
            // The read ends inside the payload: keep the arguments and the payload so far.
            if (!copyingArguments) {
                keepArguments(buffer);
            }
            if (payloadCopy.length < needed) {
                payloadCopy = new byte[Math.max(needed, INITIAL_COPY)];
                payloadCopyBuffer = ByteBuffer.wrap(payloadCopy);
            }
            copyingPayload = true;
            payloadCopyLength = 0;
        }
        int take = Math.min(needed - payloadCopyLength, end - from);
        buffer.get(from, payloadCopy, payloadCopyLength, take);
        payloadCopyLength += take;
        if (payloadCopyLength == needed) {
            checkPayloadEnd(payloadCopyBuffer, payloadSize);
            dispatchPayload(payloadCopyBuffer, 0);
            copyingPayload = false;
            payloadCopyLength = 0;
            if (payloadCopy.length > 64 * 1024) {
                // Do not hold on to a large copy buffer after a large split message.
                payloadCopy = EMPTY;
                payloadCopyBuffer = ByteBuffer.wrap(EMPTY);
            }
        }
        return from + take;
    }

    /** The arguments of a pending PUB reach at least to its last field; copy that much. */
    private int argumentEndForCopy() {
        return sizeFieldStart + sizeFieldLength; // the size is the last field
    }

    private void checkPayloadEnd(ByteBuffer buffer, int at) throws ProtocolException {
        if (buffer.get(at) != '\r' || buffer.get(at + 1) != '\n') {
            state = PAYLOAD;
            throw new ProtocolException(Kind.UNKNOWN_OPERATION, PAYLOAD,
                    "payload not followed by CRLF: " + ProtocolException.snippet(buffer, at, at + 2));
        }
    }

    private void dispatchPayload(ByteBuffer payload, int payloadOffset) {
        ByteBuffer args;
        int base;
        if (copyingArguments) {
            args = argumentCopyBuffer;
            base = 0;
        } else {
            args = payload;
            base = argumentsBase;
        }
        state = OP_START;
        copyingArguments = false;
        argumentCopyLength = 0;
        PublishedMessage m = message;
        m.arguments = args;
        m.subjectOffset = base + subjectStart;
        m.subjectLength = subjectLength;
        m.replyOffset = replyLength == 0 ? 0 : base + replyStart;
        m.replyLength = replyLength;
        m.payload = payload;
        m.payloadOffset = payloadOffset;
        m.totalLength = payloadSize;
        // nats-server copies the size fields verbatim into MSG and HMSG lines: where they are.
        m.sizeFieldOffset = base + sizeFieldStart;
        m.sizeFieldLength = sizeFieldLength;
        if (pendingHeaders) {
            m.headers = true;
            m.headerLength = headerSize;
            m.headerSizeFieldOffset = base + headerSizeFieldStart;
            m.headerSizeFieldLength = headerSizeFieldLength;
            handler.onHpub(m);
        } else {
            m.headers = false;
            m.headerLength = 0;
            m.headerSizeFieldOffset = 0;
            m.headerSizeFieldLength = 0;
            handler.onPub(m);
        }
    }

    private void dispatchSub(ByteBuffer args, int start, int stop, int count) throws ProtocolException {
        int[] fields = this.fields;
        if (count == 2) {
            handler.onSub(args, fields[0], fields[1] - fields[0], 0, 0, fields[2], fields[3] - fields[2]);
        } else if (count == 3) {
            handler.onSub(args, fields[0], fields[1] - fields[0], fields[2], fields[3] - fields[2],
                    fields[4], fields[5] - fields[4]);
        } else {
            throw badArguments(args, start, stop);
        }
    }

    private void dispatchUnsub(ByteBuffer args, int start, int stop, int count) throws ProtocolException {
        int[] fields = this.fields;
        if (count == 1) {
            handler.onUnsub(args, fields[0], fields[1] - fields[0], -1);
        } else if (count == 2) {
            handler.onUnsub(args, fields[0], fields[1] - fields[0], parseSize(args, fields[2], fields[3]));
        } else {
            throw badArguments(args, start, stop);
        }
    }

    /** Fields a control line may have; one more means "too many". */
    private static final int MAX_FIELDS = 5;
    /** Start and end of up to 5 fields of the current control line. */
    private final int[] fields = new int[2 * MAX_FIELDS];

    private static int split(ByteBuffer args, int start, int stop, int[] fields) {
        int count = 0;
        int i = start;
        while (i < stop) {
            byte b = args.get(i);
            if (b == ' ' || b == '\t') {
                i++;
                continue;
            }
            if (count == MAX_FIELDS) {
                return MAX_FIELDS + 1;
            }
            int fieldStart = i;
            while (i < stop) {
                b = args.get(i);
                if (b == ' ' || b == '\t') {
                    break;
                }
                i++;
            }
            fields[2 * count] = fieldStart;
            fields[2 * count + 1] = i;
            count++;
        }
        return count;
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

    private void appendArguments(ByteBuffer buffer, int start, int stop) {
        int length = stop - start;
        ensureArgumentCopy(argumentCopyLength + length);
        buffer.get(start, argumentCopy, argumentCopyLength, length);
        argumentCopyLength += length;
        copyingArguments = true;
    }

    private void ensureArgumentCopy(int capacity) {
        if (argumentCopy.length < capacity) {
            byte[] bigger = new byte[Math.max(capacity, Math.max(INITIAL_COPY, argumentCopy.length * 2))];
            System.arraycopy(argumentCopy, 0, bigger, 0, argumentCopyLength);
            argumentCopy = bigger;
            argumentCopyBuffer = ByteBuffer.wrap(bigger);
        }
    }

    private static ParserState argumentsStateAfter(ParserState space) {
        return switch (space) {
            case PUB_SPACE -> PUB_ARGS;
            case HPUB_SPACE -> HPUB_ARGS;
            case SUB_SPACE -> SUB_ARGS;
            case UNSUB_SPACE -> UNSUB_ARGS;
            case CONNECT_SPACE -> CONNECT_ARGS;
            case INFO_SPACE -> INFO_ARGS;
            case OP_MINUS_ERR_SPACE -> MINUS_ERR_ARGS;
            default -> throw new IllegalStateException(space.name());
        };
    }

    private ParserState expect(byte b, char upper, ParserState next, ByteBuffer buffer, int i, int end)
            throws ProtocolException {
        if (b == upper || b == upper + ('a' - 'A')) {
            return next;
        }
        throw unknown(buffer, i, end);
    }

    private ParserState expectSpace(byte b, ParserState next, ByteBuffer buffer, int i, int end)
            throws ProtocolException {
        if (b == ' ' || b == '\t') {
            return next;
        }
        throw unknown(buffer, i, end);
    }

    /** A snippet for an error message; never of CONNECT's arguments, which hold credentials. */
    private String shown(ByteBuffer buffer, int start, int stop) {
        return state == CONNECT_ARGS ? "<CONNECT arguments not shown>" : ProtocolException.snippet(buffer, start, stop);
    }

    private ProtocolException unknown(ByteBuffer buffer, int i, int end) {
        return new ProtocolException(Kind.UNKNOWN_OPERATION, state,
                "unknown protocol operation at '" + ProtocolException.snippet(buffer, i, end) + "'");
    }

    private ProtocolException badArguments(ByteBuffer args, int start, int stop) {
        return new ProtocolException(Kind.BAD_ARGUMENTS, state,
                "cannot parse arguments '" + ProtocolException.snippet(args, start, stop) + "'");
    }
}
