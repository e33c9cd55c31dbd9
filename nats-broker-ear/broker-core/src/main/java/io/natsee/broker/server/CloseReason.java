package io.natsee.broker.server;

/** Why a connection closed, in nats-server's words (shown by monitoring). */
public enum CloseReason {
    CLIENT_CLOSED("Client Closed"),
    /** Closed on an operator's request (nats-server 2.10's kick); see ConnectionControl. */
    KICKED("Kicked"),
    SERVER_SHUTDOWN("Server Shutdown"),
    SLOW_CONSUMER_PENDING_BYTES("Slow Consumer (Pending Bytes)"),
    SLOW_CONSUMER_WRITE_DEADLINE("Slow Consumer (Write Deadline)"),
    STALE_CONNECTION("Stale Connection"),
    MAX_CONTROL_LINE_EXCEEDED("Maximum Control Line Exceeded"),
    MAX_PAYLOAD_EXCEEDED("Maximum Message Payload Exceeded"),
    MAX_CONNECTIONS_EXCEEDED("Maximum Connections Exceeded"),
    PROTOCOL_VIOLATION("Protocol Violation"),
    PARSE_ERROR("Parse Error"),
    BAD_CLIENT_PROTOCOL_VERSION("Bad Client Protocol Version"),
    AUTHENTICATION_TIMEOUT("Authentication Timeout"),
    AUTHENTICATION_FAILURE("Authentication Failure"),
    WRITE_ERROR("Write Error"),
    TLS_HANDSHAKE_ERROR("TLS Handshake Failure"),
    TLS_REQUIRED("Secure Connection - TLS Required"),
    DUPLICATE_ROUTE("Duplicate Route"),
    CLUSTER_NAME_CONFLICT("Cluster Name Conflict");

    private final String text;

    CloseReason(String text) {
        this.text = text;
    }

    /** The reason as nats-server's monitoring shows it. */
    public String text() {
        return text;
    }
}
