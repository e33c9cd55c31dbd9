package io.natsee.admin.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.natsee.admin.FakeMonitorClient;
import io.natsee.admin.monitor.ConnectionInfo;
import io.natsee.admin.monitor.ConnectionQuery;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.primefaces.model.SortMeta;
import org.primefaces.model.SortOrder;

class ConnectionsBeanTest {

    private final FakeMonitorClient client = new FakeMonitorClient("a", "b");
    private final RecordingNotices notices = new RecordingNotices();

    @BeforeEach
    void connections() {
        List<ConnectionInfo> list = new ArrayList<>();
        for (long cid = 1; cid <= 60; cid++) {
            list.add(FakeMonitorClient.connection(cid, "client-" + cid));
        }
        list.add(FakeMonitorClient.closedConnection(99));
        client.connections.put("a", list);
    }

    private ConnectionsBean bean(boolean operator) {
        return new ConnectionsBean(client, new ServerSelection(client), new FixedCaller("u", operator), notices);
    }

    @Test
    void theTablePagesThroughConnzWithItsOffsetLimitAndTotal() {
        ConnectionsBean bean = bean(false);
        assertEquals(60, bean.getTable().count(Map.of()));
        List<ConnectionInfo> page = bean.getTable().load(25, 25, Map.of(), Map.of());
        assertEquals(25, page.size());
        assertEquals(26, page.get(0).cid());
        assertEquals(60, bean.getTable().getRowCount());
        ConnectionQuery asked = client.connectionQueries.get(client.connectionQueries.size() - 1);
        assertEquals(25, asked.offset());
        assertEquals(25, asked.limit());
        assertEquals("open", asked.state());
        assertTrue(asked.auth());
    }

    @Test
    void sortingAColumnAsksConnzForItsSortKey() {
        ConnectionsBean bean = bean(false);
        Map<String, SortMeta> sort = Map.of("outMsgs", SortMeta.builder().field("outMsgs").order(SortOrder.DESCENDING).build());
        bean.getTable().load(0, 10, sort, Map.of());
        assertEquals("msgs_to", client.connectionQueries.get(0).sort());
        bean.getTable().load(0, 10, Map.of("x", SortMeta.builder().field("pendingBytes").build()), Map.of());
        assertEquals("pending", client.connectionQueries.get(1).sort());
        bean.getTable().load(0, 10, Map.of("x", SortMeta.builder().field("name").build()), Map.of());
        assertEquals("cid", client.connectionQueries.get(2).sort(), "a column connz cannot sort falls back to cid");
    }

    @Test
    void theOtherDirectionOfAKeyIsConnzsOrderReadBackwardsFromTheMirroredWindow() {
        // the fake answers in its list's order whatever the key: that order stands for connz's
        ConnectionsBean bean = bean(false);
        Map<String, SortMeta> fewestFirst = Map.of("subscriptions",
                SortMeta.builder().field("subscriptions").order(SortOrder.ASCENDING).build());
        List<ConnectionInfo> page = bean.getTable().load(0, 25, fewestFirst, Map.of());
        assertEquals(25, page.size());
        assertEquals(60, page.get(0).cid(), "the last of connz's order comes first");
        assertEquals(36, page.get(24).cid());
        ConnectionQuery window = client.connectionQueries.get(client.connectionQueries.size() - 1);
        assertEquals("subs", window.sort());
        assertEquals(35, window.offset());
        assertEquals(25, window.limit());
        assertEquals(60, bean.getTable().getRowCount());

        List<ConnectionInfo> last = bean.getTable().load(50, 25, fewestFirst, Map.of());
        assertEquals(List.of(10L, 9L, 8L, 7L, 6L, 5L, 4L, 3L, 2L, 1L), last.stream().map(ConnectionInfo::cid).toList());
        assertEquals(List.of(), bean.getTable().load(75, 25, fewestFirst, Map.of()));

        Map<String, SortMeta> newestFirst = Map.of("cid", SortMeta.builder().field("cid").order(SortOrder.DESCENDING).build());
        assertEquals(60, bean.getTable().load(0, 10, newestFirst, Map.of()).get(0).cid(), "cid, which connz sorts up, read down");
        Map<String, SortMeta> oldestFirst = Map.of("cid", SortMeta.builder().field("cid").order(SortOrder.ASCENDING).build());
        assertEquals(1, bean.getTable().load(0, 10, oldestFirst, Map.of()).get(0).cid(), "connz's own direction as it is");
        Map<String, SortMeta> mostFirst = Map.of("subscriptions",
                SortMeta.builder().field("subscriptions").order(SortOrder.DESCENDING).build());
        assertEquals(1, bean.getTable().load(0, 10, mostFirst, Map.of()).get(0).cid());
        bean.setUser("alice");
        assertEquals(1, bean.getTable().load(0, 10, fewestFirst, Map.of()).get(0).cid(), "with a user filter, connz's order");
    }

    @Test
    void theFiltersBecomeConnzOptions() {
        ConnectionsBean bean = bean(false);
        bean.setState("closed");
        bean.setCid(99L);
        bean.setUser(" alice ");
        bean.setAccount("ACC");
        List<ConnectionInfo> page = bean.getTable().load(0, 10, Map.of(), Map.of());
        ConnectionQuery asked = client.connectionQueries.get(0);
        assertEquals("closed", asked.state());
        assertEquals(99, asked.cid());
        assertEquals("alice", asked.user());
        assertEquals("ACC", asked.account());
        assertEquals(1, page.size());
        assertEquals("Client Closed", page.get(0).reason());
        assertTrue(asked.toQueryString().contains("state=closed&offset=0&limit=10&cid=99&user=alice&acc=ACC"));

        bean.setState("bogus");
        assertEquals("open", bean.getState());
        bean.clearFilters();
        assertNull(bean.getCid());
        assertEquals("", bean.getUser());
    }

    @Test
    void withAConnectionIdOrAUserTheCountIsWhatTheFilterLeftNotConnzTotal() {
        ConnectionsBean bean = bean(false);
        bean.setCid(7L);
        assertEquals(1, bean.getTable().count(Map.of()), "connz's total still counts all 60");
        assertEquals(1, bean.getTable().load(0, 25, Map.of(), Map.of()).size());
        assertEquals(1, bean.getTable().getRowCount());
        bean.setCid(1234L);
        assertEquals(0, bean.getTable().count(Map.of()));
        bean.setCid(null);
        assertEquals(60, bean.getTable().count(Map.of()));
        bean.getTable().load(50, 25, Map.of(), Map.of());
        assertEquals(60, bean.getTable().getRowCount(), "no filter: connz's total");
    }

    @Test
    void theDetailShowsTheConnectionWithItsSubscriptions() {
        ConnectionsBean bean = bean(false);
        bean.show(7);
        assertNotNull(bean.getDetail());
        assertEquals(7, bean.getDetail().cid());
        assertEquals("orders.7", bean.getDetail().subscriptionsDetail().get(0).subject());
        ConnectionQuery asked = client.connectionQueries.get(0);
        assertTrue(asked.subscriptionsDetail());
        assertEquals("open", asked.state());
        bean.show(99);
        assertEquals("Client Closed", bean.getDetail().reason(), "a closed one is looked up among the closed");
        bean.show(12345);
        assertNull(bean.getDetail());
        assertEquals(List.of("connections.gone"), notices.errors);
    }

    @Test
    void aViewerCannotCloseAConnection() {
        ConnectionsBean bean = bean(false);
        assertFalse(bean.isCanClose());
        bean.close(5);
        assertTrue(client.closed.isEmpty());
        assertEquals(List.of("connections.close.forbidden"), notices.errors);
    }

    @Test
    void anOperatorClosesAConnection() {
        ConnectionsBean bean = bean(true);
        assertTrue(bean.isCanClose());
        bean.show(5);
        bean.close(5);
        assertEquals(List.of(5L), client.closed);
        assertEquals(List.of("connections.close.done"), notices.infos);
        assertNull(bean.getDetail(), "the closed connection's detail is hidden");
        bean.close(99);
        assertEquals(List.of("connections.gone"), notices.errors, "a closed connection cannot be closed again");
    }

    @Test
    void aServerWithoutTheCloseActionIsReportedNotBroken() {
        client.closeSupported = false;
        ConnectionsBean bean = bean(true);
        bean.close(5);
        assertEquals(List.of("connections.close.unsupported"), notices.errors);
    }

    @Test
    void anUnreachableServerGivesAnEmptyTableAndTheReason() {
        client.unreachable.add("a");
        ConnectionsBean bean = bean(false);
        assertEquals(0, bean.getTable().count(Map.of()));
        assertTrue(bean.getTable().load(0, 10, Map.of(), Map.of()).isEmpty());
        assertTrue(bean.getProblem().contains("Connection refused"));
    }

    @Test
    void theChosenServerIsTheOneRead() {
        client.connections.put("b", List.of(FakeMonitorClient.connection(1000, "on-b")));
        ServerSelection selection = new ServerSelection(client);
        selection.setSelected("b");
        ConnectionsBean bean = new ConnectionsBean(client, selection, new FixedCaller("u", true), notices);
        assertEquals("on-b", bean.getTable().load(0, 10, Map.of(), Map.of()).get(0).name());
        selection.setSelected("nonexistent");
        assertEquals("b", selection.getSelected());
    }
}
