package io.natsee.admin.monitor;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One subscription as {@code /subsz?subs=1} and {@code /connz?subs=detail} show it.
 *
 * @param account its account (only in {@code /subsz})
 * @param subject its subject, maybe with wildcards
 * @param queue its queue group, or {@code null}
 * @param sid the client's subscription id
 * @param msgs messages delivered on it
 * @param max its auto-unsubscribe limit (0: none)
 * @param cid the owning connection
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SubscriptionInfo(
        @JsonProperty("account") String account,
        @JsonProperty("subject") String subject,
        @JsonProperty("qgroup") String queue,
        @JsonProperty("sid") String sid,
        @JsonProperty("msgs") long msgs,
        @JsonProperty("max") long max,
        @JsonProperty("cid") long cid) {
}
