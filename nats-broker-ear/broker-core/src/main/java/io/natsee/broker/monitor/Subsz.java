package io.natsee.broker.monitor;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;

import java.time.Instant;
import java.util.List;

/**
 * The answer of nats-server 2.9.10's {@code /subsz}: the subject trie's counters and, with
 * {@code subs=1}, one page of subscriptions. nats-server serves only {@link #statistics} when
 * the page is empty; adapters do the same through {@link #body()}.
 *
 * @param serverId the server's id
 * @param now when the answer was made
 * @param statistics the trie's counters
 * @param total the subscriptions on this page (nats-server counts after paging)
 * @param offset the page's first index
 * @param limit the page's size
 * @param subscriptions the page; left out when empty
 */
public record Subsz(
        @JsonProperty("server_id") String serverId,
        @JsonProperty("now") Instant now,
        @JsonUnwrapped Statistics statistics,
        @JsonProperty("total") int total,
        @JsonProperty("offset") int offset,
        @JsonProperty("limit") int limit,
        @JsonProperty("subscriptions_list") @JsonInclude(JsonInclude.Include.NON_EMPTY) List<SubDetail> subscriptions) {

    /** What nats-server writes: the whole answer when it lists subscriptions, else the counters alone. */
    public Object body() {
        return subscriptions.isEmpty() ? statistics : this;
    }

    /**
     * The subject trie's counters ({@code SublistStats}).
     *
     * @param numSubscriptions subscriptions registered
     * @param numCache subjects in the trie's match cache
     * @param numInserts insertions since start
     * @param numRemoves removals since start
     * @param numMatches matches computed by the trie
     * @param cacheHitRate fraction of matches answered from the cache
     * @param maxFanout most subscriptions one match returned
     * @param avgFanout subscriptions per computed match
     */
    public record Statistics(
            @JsonProperty("num_subscriptions") int numSubscriptions,
            @JsonProperty("num_cache") int numCache,
            @JsonProperty("num_inserts") long numInserts,
            @JsonProperty("num_removes") long numRemoves,
            @JsonProperty("num_matches") long numMatches,
            @JsonProperty("cache_hit_rate") double cacheHitRate,
            @JsonProperty("max_fanout") int maxFanout,
            @JsonProperty("avg_fanout") double avgFanout) {
    }
}
