package io.natsee.broker.protocol;

/** The states of {@link ProtocolParser}, each named after the bytes consumed so far. */
public enum ParserState {
    OP_START,
    OP_PLUS, OP_PLUS_O, OP_PLUS_OK,
    OP_MINUS, OP_MINUS_E, OP_MINUS_ER, OP_MINUS_ERR, OP_MINUS_ERR_SPACE, MINUS_ERR_ARGS,
    OP_C, OP_CO, OP_CON, OP_CONN, OP_CONNE, OP_CONNEC, OP_CONNECT, CONNECT_SPACE, CONNECT_ARGS,
    OP_H, OP_HP, OP_HPU, OP_HPUB, HPUB_SPACE, HPUB_ARGS,
    OP_I, OP_IN, OP_INF, OP_INFO, INFO_SPACE, INFO_ARGS,
    OP_P, OP_PU, OP_PUB, PUB_SPACE, PUB_ARGS,
    OP_PI, OP_PIN, OP_PING,
    OP_PO, OP_PON, OP_PONG,
    OP_S, OP_SU, OP_SUB, SUB_SPACE, SUB_ARGS,
    OP_U, OP_UN, OP_UNS, OP_UNSU, OP_UNSUB, UNSUB_SPACE, UNSUB_ARGS,
    /** Reading the payload of a PUB or HPUB, then its CRLF. */
    PAYLOAD;

    /** Whether this state reads a control line's arguments up to its line feed. */
    boolean readsArguments() {
        return this == MINUS_ERR_ARGS || this == CONNECT_ARGS || this == HPUB_ARGS || this == INFO_ARGS
                || this == PUB_ARGS || this == SUB_ARGS || this == UNSUB_ARGS;
    }
}
