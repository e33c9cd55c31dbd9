package io.natsee.broker.monitor;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Instant;
import java.util.List;

/**
 * The answer of nats-server 2.9.10's {@code /accountz}: the accounts this server knows. Without
 * multi-account configuration these are the global account {@code $G} and the system account
 * {@code $SYS}, as nats-server lists them.
 *
 * @param serverId the server's id
 * @param now when the answer was made
 * @param systemAccount the system account's name; left out when empty
 * @param accounts the account names, sorted; left out when empty
 */
public record Accountz(
        @JsonProperty("server_id") String serverId,
        @JsonProperty("now") Instant now,
        @JsonProperty("system_account") @JsonInclude(JsonInclude.Include.NON_EMPTY) String systemAccount,
        @JsonProperty("accounts") @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> accounts) {
}
