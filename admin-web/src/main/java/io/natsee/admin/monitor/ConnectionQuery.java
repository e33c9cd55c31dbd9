package io.natsee.admin.monitor;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * The options of a {@code /connz} request, as nats-server names them.
 *
 * @param sort the sort key ({@code cid}, {@code subs}, {@code pending}, {@code msgs_to}, {@code msgs_from},
 *             {@code bytes_to}, {@code bytes_from}, {@code last}, {@code idle}, {@code uptime}, {@code start},
 *             {@code stop} and {@code reason} for closed ones)
 * @param state {@code open}, {@code closed} or {@code any}
 * @param offset the page's first index
 * @param limit the page size
 * @param cid only this connection, when not 0
 * @param user only this user's connections, when not blank
 * @param account only this account's connections, when not blank
 * @param subscriptionsDetail whether to list subscriptions in detail
 * @param auth whether to show the authenticated user and account
 */
public record ConnectionQuery(String sort, String state, int offset, int limit, long cid, String user,
                              String account, boolean subscriptionsDetail, boolean auth) {

    /** The sort keys nats-server accepts. */
    public static final Set<String> SORTS = Set.of("cid", "start", "subs", "pending", "msgs_to", "msgs_from",
            "bytes_to", "bytes_from", "last", "idle", "uptime", "stop", "reason");
    /** The states nats-server accepts. */
    public static final Set<String> STATES = Set.of("open", "closed", "any");

    public ConnectionQuery {
        sort = sort == null || sort.isBlank() ? "cid" : sort.toLowerCase(Locale.ROOT);
        state = state == null || state.isBlank() ? "open" : state.toLowerCase(Locale.ROOT);
        if (!SORTS.contains(sort)) {
            throw new IllegalArgumentException("unknown sort key " + sort);
        }
        if (!STATES.contains(state)) {
            throw new IllegalArgumentException("unknown connection state " + state);
        }
        if ((sort.equals("stop") || sort.equals("reason")) && !state.equals("closed")) {
            sort = "cid";
        }
        offset = Math.max(0, offset);
        limit = limit <= 0 ? 1024 : limit;
        cid = Math.max(0, cid);
        user = Objects.requireNonNullElse(user, "").trim();
        account = Objects.requireNonNullElse(account, "").trim();
    }

    /** Open connections by id, first page of the given size. */
    public static ConnectionQuery firstPage(int limit) {
        return new ConnectionQuery("cid", "open", 0, limit, 0, "", "", false, true);
    }

    /**
     * One connection with its subscriptions in detail, among the open ({@code closed} false) or
     * the closed ones: with a cid, nats-server looks among the closed ones for {@code state=any},
     * so a caller asks for each state in turn.
     */
    public static ConnectionQuery single(long cid, boolean closed) {
        return new ConnectionQuery("cid", closed ? "closed" : "open", 0, 1, cid, "", "", true, true);
    }

    /** The query string ({@code sort=...&state=...}), without the {@code ?}. */
    public String toQueryString() {
        StringBuilder query = new StringBuilder("sort=").append(sort).append("&state=").append(state)
                .append("&offset=").append(offset).append("&limit=").append(limit);
        if (cid > 0) {
            query.append("&cid=").append(cid);
        }
        if (!user.isEmpty()) {
            query.append("&user=").append(URLEncoder.encode(user, StandardCharsets.UTF_8));
        }
        if (!account.isEmpty()) {
            query.append("&acc=").append(URLEncoder.encode(account, StandardCharsets.UTF_8));
        }
        if (subscriptionsDetail) {
            query.append("&subs=detail");
        }
        if (auth) {
            query.append("&auth=1");
        }
        return query.toString();
    }
}
