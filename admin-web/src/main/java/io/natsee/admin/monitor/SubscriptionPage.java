package io.natsee.admin.monitor;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The answer of {@code /subsz}: the subject trie's counters and, when asked, one page of
 * subscriptions.
 *
 * @param numSubscriptions subscriptions registered
 * @param numCache subjects in the match cache
 * @param numInserts insertions since start
 * @param numRemoves removals since start
 * @param numMatches matches computed
 * @param cacheHitRate fraction of matches answered by the cache
 * @param maxFanout most subscriptions one match returned
 * @param avgFanout subscriptions per match
 * @param total subscriptions on the page
 * @param subscriptions the page (empty unless asked)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SubscriptionPage(
        @JsonProperty("num_subscriptions") int numSubscriptions,
        @JsonProperty("num_cache") int numCache,
        @JsonProperty("num_inserts") long numInserts,
        @JsonProperty("num_removes") long numRemoves,
        @JsonProperty("num_matches") long numMatches,
        @JsonProperty("cache_hit_rate") double cacheHitRate,
        @JsonProperty("max_fanout") int maxFanout,
        @JsonProperty("avg_fanout") double avgFanout,
        @JsonProperty("total") int total,
        @JsonProperty("subscriptions_list") List<SubscriptionInfo> subscriptions) {

    public SubscriptionPage {
        subscriptions = subscriptions == null ? List.of() : List.copyOf(subscriptions);
    }
}
