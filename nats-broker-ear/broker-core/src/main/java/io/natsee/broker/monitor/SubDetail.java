package io.natsee.broker.monitor;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One subscription as nats-server 2.9.10's monitoring shows it ({@code SubDetail}): in
 * {@code /subsz?subs=1} with its account, in {@code /connz?subs=detail} without.
 *
 * @param account the account; left out when empty
 * @param subject the subject, maybe with wildcards
 * @param queue the queue group; left out when empty
 * @param sid the client's subscription id
 * @param msgs messages delivered on it
 * @param max the auto-unsubscribe limit; left out when 0
 * @param cid the owning connection's id
 */
public record SubDetail(
        @JsonProperty("account") @JsonInclude(JsonInclude.Include.NON_EMPTY) String account,
        @JsonProperty("subject") String subject,
        @JsonProperty("qgroup") @JsonInclude(JsonInclude.Include.NON_EMPTY) String queue,
        @JsonProperty("sid") String sid,
        @JsonProperty("msgs") long msgs,
        @JsonProperty("max") @JsonInclude(JsonInclude.Include.NON_DEFAULT) long max,
        @JsonProperty("cid") long cid) {

    /** The same subscription named with an account ({@code /subsz} shows it). */
    public SubDetail inAccount(String accountName) {
        return new SubDetail(accountName, subject, queue, sid, msgs, max, cid);
    }
}
