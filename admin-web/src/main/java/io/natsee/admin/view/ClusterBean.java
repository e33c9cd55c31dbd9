package io.natsee.admin.view;

import io.natsee.admin.monitor.MonitorClient;
import io.natsee.admin.monitor.MonitorException;
import io.natsee.admin.monitor.RouteInfo;
import io.natsee.admin.monitor.RoutePage;
import io.natsee.admin.monitor.ServerEndpoint;
import io.natsee.admin.monitor.ServerVarz;
import jakarta.annotation.PostConstruct;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The cluster page: every watched server's routes ({@code /routez}) drawn as a mesh, with a
 * table of the routes and their traffic. A server without {@code /routez} (no clustering) or
 * without routes is a single server.
 */
@Named
@ViewScoped
public class ClusterBean implements Serializable {

    private static final long serialVersionUID = 1L;

    /** One route as the table lists it. */
    public record RouteRow(String server, RouteInfo route) {
    }

    /**
     * A watched server as its {@code /varz} describes its clustering.
     *
     * @param name the server's name
     * @param serverId its id
     * @param cluster the cluster's name, or {@code null} when it has no cluster block
     * @param listen the route interface ({@code addr:cluster_port}), or {@code null}
     * @param configuredRoutes the routes it was configured with ({@code cluster.urls})
     * @param routes the routes it has now ({@code /routez})
     */
    public record Member(String name, String serverId, String cluster, String listen, List<String> configuredRoutes, int routes) {
    }

    /** A watched server that could not be read. */
    public record Problem(String server, String text) {
    }

    private MonitorClient client;
    private transient MeshLayout mesh;
    private final List<RouteRow> routes = new ArrayList<>();
    private final List<Problem> problems = new ArrayList<>();
    private final List<Member> members = new ArrayList<>();
    private boolean routezServed;

    protected ClusterBean() {
    }

    @Inject
    public ClusterBean(MonitorClient client) {
        this.client = client;
    }

    /** Reads every watched server's identity and routes. */
    @PostConstruct
    public void refresh() {
        routes.clear();
        problems.clear();
        members.clear();
        routezServed = false;
        Map<String, String> labels = new LinkedHashMap<>();
        Set<String> watched = new LinkedHashSet<>();
        List<MeshLayout.Link> links = new ArrayList<>();
        for (ServerEndpoint server : client.servers()) {
            try {
                ServerVarz varz = client.varz(server);
                labels.put(varz.serverId(), varz.serverName() == null ? server.name() : varz.serverName());
                watched.add(varz.serverId());
                Optional<RoutePage> page = client.routes(server);
                ServerVarz.Cluster cluster = varz.cluster();
                boolean clustered = cluster != null && cluster.clusterPort() > 0;
                members.add(new Member(labels.get(varz.serverId()), varz.serverId(),
                        clustered ? cluster.name() : null, clustered ? cluster.addr() + ":" + cluster.clusterPort() : null,
                        cluster == null || cluster.urls() == null ? List.of() : cluster.urls(),
                        page.map(p -> p.routes().size()).orElse(0)));
                if (page.isPresent()) {
                    routezServed = true;
                    for (RouteInfo route : page.get().routes()) {
                        routes.add(new RouteRow(labels.get(varz.serverId()), route));
                        if (route.remoteId() != null) {
                            if (route.remoteName() != null && !route.remoteName().isEmpty()) {
                                labels.putIfAbsent(route.remoteId(), route.remoteName());
                            }
                            links.add(new MeshLayout.Link(varz.serverId(), route.remoteId(),
                                    route.inMsgs() + route.outMsgs(), route.inBytes() + route.outBytes()));
                        }
                    }
                }
            } catch (MonitorException e) {
                problems.add(new Problem(server.name(), e.getMessage()));
            }
        }
        mesh = new MeshLayout(labels, watched, links);
    }

    /** Whether the servers form no cluster: one server known and no route. */
    public boolean isSingleServer() {
        return routes.isEmpty() && mesh.nodes().size() <= 1;
    }

    /** Whether any watched server serves {@code /routez}. */
    public boolean isRoutezServed() {
        return routezServed;
    }

    public List<MeshLayout.Node> getNodes() {
        return mesh.nodes();
    }

    public List<MeshLayout.Edge> getEdges() {
        return mesh.edges();
    }

    public int getSize() {
        return MeshLayout.SIZE;
    }

    public List<RouteRow> getRoutes() {
        return routes;
    }

    /** The watched servers with their cluster settings, in the order they are watched. */
    public List<Member> getMembers() {
        return members;
    }

    public List<Problem> getProblems() {
        return problems;
    }
}
