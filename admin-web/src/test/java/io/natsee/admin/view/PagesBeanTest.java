package io.natsee.admin.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.natsee.admin.FakeMonitorClient;
import io.natsee.admin.monitor.ChannelInfo;
import io.natsee.admin.monitor.RouteInfo;
import io.natsee.admin.monitor.RoutePage;
import io.natsee.admin.monitor.StreamingClient;
import io.natsee.admin.monitor.StreamingServerInfo;
import io.natsee.admin.monitor.StreamingSubscription;
import io.natsee.admin.monitor.SubscriptionInfo;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The subscriptions, cluster, streaming and configuration beans against a fake MonitorClient. */
class PagesBeanTest {

    private final RecordingNotices notices = new RecordingNotices();

    @Test
    void theSubjectTesterListsOnlyTheSubscriptionsAMessageWouldReach() {
        FakeMonitorClient client = new FakeMonitorClient("local");
        client.subscriptions.put("local", List.of(
                new SubscriptionInfo("$G", "orders.created", null, "1", 0, 0, 1),
                new SubscriptionInfo("$G", ">", "audit", "2", 0, 0, 2),
                new SubscriptionInfo("$G", "billing.*", null, "3", 0, 0, 3)));
        SubscriptionsBean bean = new SubscriptionsBean(client, new ServerSelection(client), notices);
        bean.refresh();
        assertEquals(3, bean.getSubscriptions().size());
        assertNull(bean.getTestedSubject());

        bean.setSubject(" orders.created ");
        bean.test();
        assertEquals("orders.created", bean.getTestedSubject());
        assertEquals(List.of("orders.created", ">"), bean.getSubscriptions().stream().map(SubscriptionInfo::subject).toList());

        bean.setSubject("orders.*");
        bean.test();
        assertEquals(List.of("subscriptions.test.invalid"), notices.errors, "a wildcard is no publish subject");
        assertNull(bean.getTestedSubject());

        bean.clear();
        assertEquals(3, bean.getSubscriptions().size());
        assertEquals("", bean.getSubject());
    }

    @Test
    void withoutRoutezTheClusterPageSaysSingleServer() {
        FakeMonitorClient client = new FakeMonitorClient("local");
        client.varz.put("local", FakeMonitorClient.varz("NA", "alpha", 0, 0, 0, 0));
        ClusterBean bean = new ClusterBean(client);
        bean.refresh();
        assertTrue(bean.isSingleServer());
        assertFalse(bean.isRoutezServed());
        assertEquals(1, bean.getNodes().size());
        assertEquals("alpha", bean.getNodes().get(0).label());
        assertTrue(bean.getEdges().isEmpty());
    }

    @Test
    void threeServersInAFullMeshAreThreeNodesAndThreeLines() {
        FakeMonitorClient client = new FakeMonitorClient("a", "b", "c");
        Map<String, String> ids = new LinkedHashMap<>(Map.of("a", "NA", "b", "NB", "c", "NC"));
        ids.forEach((name, id) -> client.varz.put(name, FakeMonitorClient.varz(id, "srv-" + name, 0, 0, 0, 0)));
        for (String name : ids.keySet()) {
            List<RouteInfo> routes = ids.entrySet().stream().filter(e -> !e.getKey().equals(name))
                    .map(e -> new RouteInfo(1, e.getValue(), null, true, true, "127.0.0.1", 6222, 0, "1ms", 5, 7, 50, 70, 1))
                    .toList();
            client.routes.put(name, new RoutePage(ids.get(name), routes.size(), routes));
        }
        ClusterBean bean = new ClusterBean(client);
        bean.refresh();
        assertFalse(bean.isSingleServer());
        assertEquals(3, bean.getNodes().size());
        assertTrue(bean.getNodes().stream().allMatch(MeshLayout.Node::watched));
        assertEquals(3, bean.getEdges().size(), "each pair once, though both sides report it");
        assertEquals(6, bean.getRoutes().size());
        Set<String> pairs = bean.getEdges().stream().map(e -> e.from() + e.to()).collect(Collectors.toSet());
        assertEquals(Set.of("NANB", "NANC", "NBNC"), pairs);
        assertEquals(12, bean.getEdges().get(0).msgs());
        for (MeshLayout.Node node : bean.getNodes()) {
            assertTrue(node.x() >= 0 && node.x() <= MeshLayout.SIZE && node.y() >= 0 && node.y() <= MeshLayout.SIZE);
        }
    }

    @Test
    void aRemoteKnownOnlyThroughARouteIsDrawnAndAnUnreachableServerReported() {
        FakeMonitorClient client = new FakeMonitorClient("a", "down");
        client.varz.put("a", FakeMonitorClient.varz("NA", "srv-a", 0, 0, 0, 0));
        client.routes.put("a", new RoutePage("NA", 1, List.of(
                new RouteInfo(1, "NREMOTE", "far", false, false, "10.0.0.9", 6222, 0, "1ms", 1, 1, 1, 1, 0))));
        client.unreachable.add("down");
        ClusterBean bean = new ClusterBean(client);
        bean.refresh();
        assertEquals(2, bean.getNodes().size());
        assertEquals("far", bean.getNodes().get(1).label());
        assertFalse(bean.getNodes().get(1).watched());
        assertEquals(1, bean.getProblems().size());
        assertEquals("down", bean.getProblems().get(0).server());
    }

    @Test
    void theStreamingPageShowsRoleChannelsStalledSubscriptionsAndClients() {
        FakeMonitorClient client = new FakeMonitorClient("local");
        StreamingBean absent = new StreamingBean(client, new FixedCaller("view", false), new RecordingNotices());
        absent.refresh();
        assertTrue(absent.isAbsent());
        assertNull(absent.getRole());

        client.streaming = new StreamingServerInfo("test-cluster", "SID", "0.23.2", "CLUSTERED", "Leader", "2026-01-01T00:00:00Z",
                "1h", 1, 2, 1, 10, 1000, 10, 8);
        StreamingSubscription stalled = new StreamingSubscription("c1", "_INBOX.1", "", "dur", true, false, 2, 30, 8, 2, true);
        StreamingSubscription fine = new StreamingSubscription("c1", "_INBOX.2", "workers", "", false, false, 100, 30, 8, 0, false);
        client.channels = List.of(new ChannelInfo("orders", 10, 1000, 1, 10, List.of(stalled, fine)));
        client.streamingClients = List.of(new StreamingClient("c1", "_INBOX.hb", Map.of("orders", List.of(stalled, fine))));
        StreamingBean bean = new StreamingBean(client, new FixedCaller("view", false), new RecordingNotices());
        bean.refresh();
        assertFalse(bean.isAbsent());
        assertEquals("CLUSTERED (Leader)", bean.getRole());
        assertEquals(1, bean.getStalledCount());
        assertNull(bean.getSelected());
        bean.select("orders");
        assertNotNull(bean.getSelected());
        assertEquals(2, bean.getSelected().subscriptions().size());
        assertEquals(2, bean.subscriptionsOf(bean.getClients().get(0)).size());
        assertEquals(2, bean.getClients().get(0).subscriptionCount());
    }

    @Test
    void onlyAnOperatorDeletesAChannelAndThePageReadsTheChannelsAgain() {
        FakeMonitorClient client = new FakeMonitorClient("local");
        client.streaming = new StreamingServerInfo("test-cluster", "SID", "0.23.2", "STANDALONE", "", "2026-01-01T00:00:00Z",
                "1h", 1, 2, 1, 10, 1000, 10, 8);
        StreamingSubscription subscription = new StreamingSubscription("c1", "_INBOX.1", "", "", false, false, 2, 30, 8, 0, false);
        client.channels = List.of(new ChannelInfo("orders", 10, 1000, 1, 10, List.of(subscription)),
                new ChannelInfo("audit", 3, 30, 1, 3, List.of()));

        RecordingNotices viewerNotices = new RecordingNotices();
        StreamingBean viewer = new StreamingBean(client, new FixedCaller("view", false), viewerNotices);
        viewer.refresh();
        assertFalse(viewer.isCanDelete());
        viewer.delete("orders");
        assertEquals(List.of("streaming.delete.forbidden"), viewerNotices.errors);
        assertTrue(client.deletedChannels.isEmpty(), "a viewer's request never reaches the streaming server");

        RecordingNotices notices = new RecordingNotices();
        StreamingBean operator = new StreamingBean(client, new FixedCaller("op", true), notices);
        operator.refresh();
        assertTrue(operator.isCanDelete());
        assertEquals("Delete channel orders with its 10 messages? Its 1 subscriptions end and cannot be resumed. This cannot be undone.",
                operator.deleteQuestion(operator.getChannels().get(0)));
        operator.select("orders");
        operator.delete("orders");
        assertEquals(List.of("orders"), client.deletedChannels);
        assertEquals(List.of("streaming.delete.done"), notices.infos);
        assertEquals(List.of("audit"), operator.getChannels().stream().map(ChannelInfo::name).toList(), "read again");
        assertNull(operator.getSelected());
        operator.delete("orders");
        assertEquals(List.of("streaming.delete.gone"), notices.errors);
        client.deleteSupported = false;
        operator.delete("audit");
        assertEquals("streaming.delete.unsupported", notices.errors.get(1));
    }

    @Test
    void theConfigurationPageFlattensOptionsLeavesOutFiguresAndMasksSecrets() {
        FakeMonitorClient client = new FakeMonitorClient("local");
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("server_name", "alpha");
        document.put("max_payload", 1048576);
        document.put("in_msgs", 12345);
        document.put("cluster", Map.of("name", "c1", "urls", List.of("nats://a:6222", "nats://b:6222")));
        document.put("gateway", Map.of());
        document.put("authorization", Map.of("token", "hunter2", "user", "bob", "password", "pw"));
        client.varzDocuments.put("local", document);
        ConfigurationBean bean = new ConfigurationBean(client, new ServerSelection(client));
        bean.refresh();
        Map<String, ConfigurationBean.Option> options = bean.getOptions().stream()
                .collect(Collectors.toMap(ConfigurationBean.Option::name, o -> o));
        assertEquals("alpha", options.get("server_name").value());
        assertEquals("1048576", options.get("max_payload").value());
        assertFalse(options.containsKey("in_msgs"), "a figure, not an option");
        assertFalse(options.containsKey("gateway"), "empty blocks are left out");
        assertEquals("nats://a:6222, nats://b:6222", options.get("cluster.urls").value());
        assertEquals(ConfigurationBean.MASK, options.get("authorization.token").value());
        assertEquals(ConfigurationBean.MASK, options.get("authorization.password").value());
        assertTrue(options.get("authorization.password").masked());
        assertEquals("bob", options.get("authorization.user").value());
        assertTrue(bean.getOptions().stream().noneMatch(o -> o.value().contains("hunter2") || o.value().equals("pw")));
    }

    @Test
    void formatsScaleBytesAndCounts() {
        Formats formats = new Formats();
        assertEquals("512 B", formats.bytes(512));
        assertEquals("1.50 KiB", formats.bytes(1536));
        assertEquals("10.0 MiB", formats.bytes(10L << 20));
        assertEquals("999", formats.count(999));
        assertEquals("1.23M", formats.count(1_234_567));
        assertEquals("250/s", formats.rate(250.4));
    }
}
