package io.natsee.broker.monitor;

import java.util.function.Function;

/**
 * The options of a {@code /subsz} request, with nats-server 2.9.10's query parameters:
 * {@code subs}, {@code offset}, {@code limit} (1024), {@code acc} and {@code test}.
 *
 * @param subscriptions whether to list subscriptions
 * @param offset the first subscription of the page
 * @param limit the page size
 * @param account only this account's subscriptions, when not empty
 * @param test only subscriptions a message on this literal subject would reach, when not empty
 */
public record SubszQuery(boolean subscriptions, int offset, int limit, String account, String test) {

    /** nats-server's {@code DefaultSubListSize}. */
    public static final int DEFAULT_LIMIT = 1024;

    /** The defaults: counters only. */
    public static SubszQuery defaults() {
        return new SubszQuery(false, 0, DEFAULT_LIMIT, "", "");
    }

    /**
     * Reads the query as nats-server's {@code HandleSubsz} does.
     *
     * @throws MonitorRequestException for a value nats-server refuses
     */
    public static SubszQuery parse(Function<String, String> parameters) throws MonitorRequestException {
        QueryParameters query = new QueryParameters(parameters);
        boolean subscriptions = query.bool("subs");
        int offset = query.integer("offset");
        int limit = query.integer("limit");
        return new SubszQuery(subscriptions, Math.max(0, offset), limit <= 0 ? DEFAULT_LIMIT : limit,
                query.text("acc"), query.text("test"));
    }
}
