package io.natsee.broker.monitor;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The answer of nats-server's {@code /healthz}: {@code {"status":"ok"}} when the server is serving,
 * otherwise a status such as {@code unavailable} and the reason.
 *
 * @param status {@code ok} or {@code unavailable}
 * @param error why the server is not healthy; left out of the JSON when empty
 */
public record Healthz(
        @JsonProperty("status") String status,
        @JsonProperty("error") @JsonInclude(JsonInclude.Include.NON_EMPTY) String error) {

    /** The status text of a healthy server. */
    public static final String OK = "ok";
    /** The status text of a server that cannot serve clients. */
    public static final String UNAVAILABLE = "unavailable";

    /** A healthy answer. */
    public static Healthz ok() {
        return new Healthz(OK, null);
    }

    /** An unhealthy answer with its reason. */
    public static Healthz unavailable(String error) {
        return new Healthz(UNAVAILABLE, error);
    }

    /** Whether this answer reports a healthy server (HTTP 200; otherwise 503, as nats-server does). */
    @JsonIgnore
    public boolean healthy() {
        return OK.equals(status);
    }
}
