package io.natsee.broker.monitor;

import java.util.Locale;
import java.util.function.Function;

/**
 * The options of a {@code /connz} request, with nats-server 2.9.10's query parameters and
 * defaults: {@code sort}, {@code auth}, {@code subs=1|detail}, {@code offset}, {@code limit}
 * (1024), {@code cid}, {@code state=open|closed|any}, {@code user} and {@code acc}.
 *
 * @param sort the order of the connections
 * @param auth whether to show the authorized user and account
 * @param subscriptions whether to list subscription subjects
 * @param subscriptionsDetail whether to list subscriptions in detail (wins over {@code subscriptions})
 * @param offset the first connection of the page (negative: 0)
 * @param limit the page size (0 or negative: 1024)
 * @param cid only the connection with this id, when not 0
 * @param state which connections
 * @param user only connections of this user, when not empty
 * @param account only connections of this account, when not empty
 */
public record ConnzQuery(Sort sort, boolean auth, boolean subscriptions, boolean subscriptionsDetail,
                         int offset, int limit, long cid, State state, String user, String account) {

    /** nats-server's {@code DefaultConnListSize}. */
    public static final int DEFAULT_LIMIT = 1024;

    /** Which connections to show. */
    public enum State {
        /** Connections open now (the default). */
        OPEN,
        /** Connections remembered after they closed. */
        CLOSED,
        /** Both. */
        ANY
    }

    /** The sort keys of nats-server's {@code SortOpt}, with its directions. */
    public enum Sort {
        /** By id, ascending (the default). */
        CID("cid"),
        /** By start, which is the order of ids. */
        START("start"),
        /** By number of subscriptions, most first. */
        SUBS("subs"),
        /** By pending bytes, most first. */
        PENDING("pending"),
        /** By messages delivered to the client, most first. */
        MSGS_TO("msgs_to"),
        /** By messages received from the client, most first. */
        MSGS_FROM("msgs_from"),
        /** By bytes delivered, most first. */
        BYTES_TO("bytes_to"),
        /** By bytes received, most first. */
        BYTES_FROM("bytes_from"),
        /** By last activity, latest first. */
        LAST("last"),
        /** By time between start and last activity, longest first (nats-server's definition). */
        IDLE("idle"),
        /** By uptime, shortest first (nats-server sorts it ascending). */
        UPTIME("uptime"),
        /** By stop time, latest first; closed connections only. */
        STOP("stop"),
        /** By close reason, alphabetically; closed connections only. */
        REASON("reason");

        private final String key;

        Sort(String key) {
            this.key = key;
        }

        /** The query parameter value. */
        public String key() {
            return key;
        }

        /** The sort for a query value ("" is {@link #CID}). */
        static Sort of(String key) throws MonitorRequestException {
            if (key.isEmpty()) {
                return CID;
            }
            for (Sort sort : values()) {
                if (sort.key.equals(key)) {
                    return sort;
                }
            }
            throw new MonitorRequestException("invalid sorting option: " + key);
        }
    }

    /** The defaults: open connections by id, first 1024. */
    public static ConnzQuery defaults() {
        return new ConnzQuery(Sort.CID, false, false, false, 0, DEFAULT_LIMIT, 0, State.OPEN, "", "");
    }

    /**
     * Reads the query as nats-server's {@code HandleConnz} and {@code Connz} do, in their order,
     * with their error texts.
     *
     * @param parameters the request's parameter values by name ({@code null} or "" when absent)
     * @throws MonitorRequestException for a value nats-server refuses
     */
    public static ConnzQuery parse(Function<String, String> parameters) throws MonitorRequestException {
        QueryParameters query = new QueryParameters(parameters);
        String sortText = query.text("sort");
        boolean auth = query.bool("auth");
        boolean detail = query.text("subs").toLowerCase(Locale.ROOT).equals("detail");
        boolean subscriptions = !detail && query.bool("subs");
        int offset = query.integer("offset");
        int limit = query.integer("limit");
        long cid = query.unsigned("cid");
        State state = switch (query.text("state").toLowerCase(Locale.ROOT)) {
            case "", "open" -> State.OPEN;
            case "closed" -> State.CLOSED;
            case "any", "all" -> State.ANY;
            default -> throw new MonitorRequestException("Error decoding state for " + query.text("state"));
        };
        Sort sort = Sort.of(sortText);
        if (sort == Sort.STOP && state != State.CLOSED) {
            throw new MonitorRequestException("sort by stop only valid on closed connections");
        }
        if (sort == Sort.REASON && state != State.CLOSED) {
            throw new MonitorRequestException("sort by reason only valid on closed connections");
        }
        return new ConnzQuery(sort, auth, subscriptions, detail, Math.max(0, offset),
                limit <= 0 ? DEFAULT_LIMIT : limit, cid, state, query.text("user"), query.text("acc"));
    }
}
