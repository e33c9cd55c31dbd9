package io.natsee.admin.view;

import io.natsee.admin.monitor.ConnectionInfo;
import io.natsee.admin.monitor.ConnectionPage;
import io.natsee.admin.monitor.ConnectionQuery;
import io.natsee.admin.monitor.MonitorClient;
import io.natsee.admin.monitor.MonitorException;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.primefaces.model.FilterMeta;
import org.primefaces.model.LazyDataModel;
import org.primefaces.model.SortMeta;
import org.primefaces.model.SortOrder;

/**
 * The connections page: a lazily paged, sortable table over {@code /connz} with its filters
 * (state, cid, user, account), the detail of one connection with its subscriptions, and the
 * operator's "close connection".
 */
@Named
@ViewScoped
public class ConnectionsBean implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Table column (row property) to {@code /connz} sort key. */
    static final Map<String, String> SORT_KEYS = Map.ofEntries(
            Map.entry("cid", "cid"), Map.entry("start", "start"), Map.entry("subscriptions", "subs"),
            Map.entry("pendingBytes", "pending"), Map.entry("outMsgs", "msgs_to"), Map.entry("inMsgs", "msgs_from"),
            Map.entry("outBytes", "bytes_to"), Map.entry("inBytes", "bytes_from"), Map.entry("lastActivity", "last"),
            Map.entry("idle", "idle"), Map.entry("uptime", "uptime"), Map.entry("stop", "stop"), Map.entry("reason", "reason"));

    private MonitorClient client;
    private ServerSelection selection;
    private CallerRoles caller;
    private Notices notices;

    private String state = "open";
    private Long cid;
    private String user = "";
    private String account = "";
    private ConnectionInfo detail;
    private String problem;
    private final Table table = new Table();

    protected ConnectionsBean() {
    }

    @Inject
    public ConnectionsBean(MonitorClient client, ServerSelection selection, CallerRoles caller, Notices notices) {
        this.client = client;
        this.selection = selection;
        this.caller = caller;
        this.notices = notices;
    }

    /** The table's data: one {@code /connz} page per table page. */
    public LazyDataModel<ConnectionInfo> getTable() {
        return table;
    }

    /** The {@code /connz} sort keys it orders smallest first (as nats-server does); it orders the others largest first. */
    static final Set<String> ASCENDING_KEYS = Set.of("cid", "start", "uptime", "reason");

    /**
     * One page as the table asks for it, in the order {@code /connz} sorts that key.
     *
     * @param sortField the row property the table sorts by ({@code null}: by cid)
     */
    List<ConnectionInfo> page(int first, int pageSize, String sortField) {
        return page(first, pageSize, sortField, SortOrder.UNSORTED);
    }

    /**
     * One page as the table asks for it. {@code /connz} sorts each key one way only; the other way
     * is the mirrored window of its order, read backwards (not with a user filter, where
     * {@code /connz}'s total is no count of the rows: that keeps {@code /connz}'s order).
     *
     * @param order the direction the table's header shows ({@code UNSORTED}: {@code /connz}'s own)
     */
    List<ConnectionInfo> page(int first, int pageSize, String sortField, SortOrder order) {
        String sort = sortField == null ? "cid" : SORT_KEYS.getOrDefault(sortField, "cid");
        boolean mirrored = order != null && order != SortOrder.UNSORTED && user.isBlank() && cid == null
                && (order == SortOrder.ASCENDING) != ASCENDING_KEYS.contains(sort);
        try {
            ConnectionPage page;
            if (mirrored) {
                int total = client.connections(selection.server(), query(sort, 0, 1)).total();
                int end = Math.max(0, total - first);
                int offset = Math.max(0, end - pageSize);
                if (end == 0) {
                    problem = null;
                    table.setRowCount(total);
                    return List.of();
                }
                page = client.connections(selection.server(), query(sort, offset, end - offset));
                List<ConnectionInfo> rows = new java.util.ArrayList<>(page.connections());
                java.util.Collections.reverse(rows);
                problem = null;
                table.setRowCount(page.total());
                return rows;
            }
            page = client.connections(selection.server(), query(sort, first, pageSize));
            problem = null;
            table.setRowCount(rowCount(page, first, pageSize));
            return page.connections();
        } catch (MonitorException e) {
            problem = e.getMessage();
            table.setRowCount(0);
            return List.of();
        }
    }

    private ConnectionQuery query(String sort, int offset, int limit) {
        return new ConnectionQuery(sort, state, offset, limit, cid == null ? 0 : cid, user, account, false, true);
    }

    /**
     * How many rows the table has. {@code /connz}'s total counts every connection of the state (and
     * account) even when a cid or user filter leaves fewer, as nats-server 2.9's does: with a cid
     * the page holds the one row or none; with a user a short page ends the list (a full one can
     * only say "at least": the total stays the upper bound).
     */
    private int rowCount(ConnectionPage page, int first, int pageSize) {
        int rows = page.connections().size();
        if (cid != null && cid > 0) {
            return rows;
        }
        if (!user.isBlank() && rows < pageSize) {
            return first + rows;
        }
        return page.total();
    }

    /** Shows one connection with its subscriptions. */
    public void show(long id) {
        try {
            List<ConnectionInfo> found = client.connections(selection.server(), ConnectionQuery.single(id, false)).connections();
            if (found.isEmpty()) {
                found = client.connections(selection.server(), ConnectionQuery.single(id, true)).connections();
            }
            detail = found.isEmpty() ? null : found.get(0);
            if (detail == null) {
                notices.error("connections.gone", id);
            }
        } catch (MonitorException e) {
            detail = null;
            notices.error("error.unreachable", e.getMessage());
        }
    }

    /** Hides the detail. */
    public void hide() {
        detail = null;
    }

    /** Closes a connection; only an operator may. */
    public void close(long id) {
        if (!caller.isOperator()) {
            notices.error("connections.close.forbidden");
            return;
        }
        try {
            if (client.closeConnection(selection.server(), id)) {
                notices.info("connections.close.done", id);
                if (detail != null && detail.cid() == id) {
                    detail = null;
                }
            } else {
                notices.error("connections.gone", id);
            }
        } catch (MonitorException e) {
            notices.error(e.status() == 404 || e.status() == 401 ? "connections.close.unsupported" : "error.unreachable",
                    e.getMessage());
        }
    }

    /** Whether the current user may close connections on the chosen server. */
    public boolean isCanClose() {
        return caller.isOperator() && selection.server().canClose();
    }

    /** Resets the filters. */
    public void clearFilters() {
        state = "open";
        cid = null;
        user = "";
        account = "";
    }

    public ConnectionInfo getDetail() {
        return detail;
    }

    public String getProblem() {
        return problem;
    }

    public String getState() {
        return state;
    }

    public void setState(String state) {
        this.state = ConnectionQuery.STATES.contains(state) ? state : "open";
    }

    public Long getCid() {
        return cid;
    }

    public void setCid(Long cid) {
        this.cid = cid == null || cid <= 0 ? null : cid;
    }

    public String getUser() {
        return user;
    }

    public void setUser(String user) {
        this.user = user == null ? "" : user.trim();
    }

    public String getAccount() {
        return account;
    }

    public void setAccount(String account) {
        this.account = account == null ? "" : account.trim();
    }

    /** The lazy model PrimeFaces' table pages through. */
    final class Table extends LazyDataModel<ConnectionInfo> {

        private static final long serialVersionUID = 1L;

        @Override
        public int count(Map<String, FilterMeta> filterBy) {
            page(0, 1, null);
            return getRowCount();
        }

        @Override
        public List<ConnectionInfo> load(int first, int pageSize, Map<String, SortMeta> sortBy, Map<String, FilterMeta> filterBy) {
            SortMeta sort = sortBy == null || sortBy.isEmpty() ? null : sortBy.values().iterator().next();
            return sort == null ? page(first, pageSize, null) : page(first, pageSize, sort.getField(), sort.getOrder());
        }

        @Override
        public String getRowKey(ConnectionInfo connection) {
            return Long.toString(connection.cid());
        }

        @Override
        public ConnectionInfo getRowData(String rowKey) {
            for (ConnectionInfo connection : getWrappedData() == null ? List.<ConnectionInfo>of() : getWrappedData()) {
                if (Long.toString(connection.cid()).equals(rowKey)) {
                    return connection;
                }
            }
            return null;
        }
    }
}
