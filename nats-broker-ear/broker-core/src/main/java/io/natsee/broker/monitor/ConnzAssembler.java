package io.natsee.broker.monitor;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Builds {@code /connz} answers from connection snapshots as nats-server 2.9.10's {@code Connz}
 * does: choose by state, id, user and account, sort by the requested key (in its direction),
 * then cut the page. Stateless.
 */
final class ConnzAssembler {

    /** The global account's name: nats-server leaves it out of {@code account}. */
    static final String GLOBAL_ACCOUNT = "$G";

    private ConnzAssembler() {
    }

    static Connz connz(MonitorSource source, ConnzQuery query, Instant now) {
        if (!query.account().isEmpty() && !GLOBAL_ACCOUNT.equals(query.account())) {
            // nats-server answers an unknown account with an empty page whose list is null.
            return new Connz(source.serverId(), now, 0, 0, query.offset(), query.cid() > 0 ? 1 : query.limit(), null);
        }
        boolean withSubscriptions = query.subscriptions() || query.subscriptionsDetail();
        int limit = query.cid() > 0 ? 1 : query.limit();
        List<ConnectionSnapshot> open = query.state() == ConnzQuery.State.CLOSED
                ? List.of() : source.openConnections(withSubscriptions);
        List<ConnectionSnapshot> closed = query.state() == ConnzQuery.State.OPEN
                ? List.of() : source.closedConnections();
        List<ConnectionSnapshot> chosen = new ArrayList<>(open.size() + closed.size());
        if (query.cid() > 0) {
            // nats-server looks the id up among the closed ones when they are asked for, else among the open ones.
            List<ConnectionSnapshot> candidates = query.state() == ConnzQuery.State.OPEN ? open : closed;
            for (ConnectionSnapshot connection : candidates) {
                if (connection.cid() == query.cid()) {
                    chosen.add(connection);
                    break;
                }
            }
        } else {
            for (ConnectionSnapshot connection : open) {
                if (matches(connection, query)) {
                    chosen.add(connection);
                }
            }
            for (ConnectionSnapshot connection : closed) {
                if (matches(connection, query)) {
                    chosen.add(connection);
                }
            }
        }
        List<ConnInfoKey> keyed = new ArrayList<>(chosen.size());
        for (ConnectionSnapshot connection : chosen) {
            keyed.add(new ConnInfoKey(connection, info(connection, query, now)));
        }
        keyed.sort(comparator(query.sort(), now));
        int from = Math.min(query.offset(), keyed.size());
        int to = (int) Math.min((long) query.offset() + limit, keyed.size());
        List<Connz.ConnInfo> page = new ArrayList<>(Math.max(0, to - from));
        for (ConnInfoKey entry : keyed.subList(from, Math.max(from, to))) {
            page.add(entry.info());
        }
        int total = totalOf(query.state(), open.size(), closed.size());
        return new Connz(source.serverId(), now, page.size(), total, query.offset(), limit, page);
    }

    /** nats-server's {@code Total}: every connection of the state, before the id and user filters. */
    private static int totalOf(ConnzQuery.State state, int open, int closed) {
        return switch (state) {
            case OPEN -> open;
            case CLOSED -> closed;
            case ANY -> open + closed;
        };
    }

    private static boolean matches(ConnectionSnapshot connection, ConnzQuery query) {
        if (!query.account().isEmpty() && !query.account().equals(connection.account())) {
            return false;
        }
        return query.user().isEmpty() || query.user().equals(connection.user());
    }

    static Connz.ConnInfo info(ConnectionSnapshot c, ConnzQuery query, Instant now) {
        Instant end = c.stop() != null ? c.stop() : now;
        List<String> subjects = List.of();
        List<SubDetail> detail = List.of();
        if (query.subscriptionsDetail()) {
            detail = c.subscriptions();
        } else if (query.subscriptions()) {
            subjects = c.subscriptions().stream().map(SubDetail::subject).toList();
        }
        String authorizedUser = query.auth() ? c.authorizedUser() : null;
        String account = query.auth() && !GLOBAL_ACCOUNT.equals(c.account()) ? c.account() : null;
        return new Connz.ConnInfo(c.cid(), "Client", "nats", c.ip(), c.port(), c.start(), c.lastActivity(),
                c.stop(), c.reason(), GoFormats.duration(roundTrip(c.rttNanos())),
                GoFormats.uptime(Duration.between(c.start(), end)),
                GoFormats.uptime(Duration.between(c.lastActivity(), end)),
                c.pendingBytes(), c.inMsgs(), c.outMsgs(), c.inBytes(), c.outBytes(), c.subscriptionCount(),
                c.name(), c.lang(), c.version(), c.tlsVersion(), c.tlsCipher(), authorizedUser, account,
                subjects, detail);
    }

    /** nats-server's {@code getRTT}: whole microseconds between 1 µs and 1 ms, else nanoseconds. */
    static long roundTrip(long nanos) {
        if (nanos > 1_000 && nanos < 1_000_000) {
            return nanos / 1_000 * 1_000;
        }
        return nanos;
    }

    private static Comparator<ConnInfoKey> comparator(ConnzQuery.Sort sort, Instant now) {
        Comparator<ConnInfoKey> byCid = Comparator.comparingLong(e -> e.snapshot().cid());
        Comparator<ConnInfoKey> order = switch (sort) {
            case CID, START -> byCid;
            case SUBS -> Comparator.<ConnInfoKey>comparingInt(e -> e.snapshot().subscriptionCount()).reversed();
            case PENDING -> Comparator.<ConnInfoKey>comparingLong(e -> e.snapshot().pendingBytes()).reversed();
            case MSGS_TO -> Comparator.<ConnInfoKey>comparingLong(e -> e.snapshot().outMsgs()).reversed();
            case MSGS_FROM -> Comparator.<ConnInfoKey>comparingLong(e -> e.snapshot().inMsgs()).reversed();
            case BYTES_TO -> Comparator.<ConnInfoKey>comparingLong(e -> e.snapshot().outBytes()).reversed();
            case BYTES_FROM -> Comparator.<ConnInfoKey>comparingLong(e -> e.snapshot().inBytes()).reversed();
            case LAST -> Comparator.<ConnInfoKey, Instant>comparing(e -> e.snapshot().lastActivity()).reversed();
            case IDLE -> Comparator.<ConnInfoKey, Duration>comparing(
                    e -> Duration.between(e.snapshot().start(), e.snapshot().lastActivity())).reversed();
            case UPTIME -> Comparator.comparing(e -> Duration.between(e.snapshot().start(),
                    e.snapshot().stop() != null ? e.snapshot().stop() : now));
            case STOP -> Comparator.<ConnInfoKey, Instant>comparing(
                    e -> e.snapshot().stop() != null ? e.snapshot().stop() : now).reversed();
            case REASON -> Comparator.comparing(e -> e.snapshot().reason() == null ? "" : e.snapshot().reason());
        };
        // nats-server's sort is not stable; ties fall back to the id here so pages do not shuffle.
        return order.thenComparing(byCid);
    }

    /** A connection with its JSON form, sorted by the snapshot's exact values. */
    private record ConnInfoKey(ConnectionSnapshot snapshot, Connz.ConnInfo info) {
    }
}
