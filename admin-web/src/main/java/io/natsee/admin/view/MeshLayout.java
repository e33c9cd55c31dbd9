package io.natsee.admin.view;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The cluster picture's geometry: servers on a circle in a {@value #SIZE} by {@value #SIZE}
 * box, each route a line between two of them (one line per pair, whichever side reported it).
 */
public final class MeshLayout {

    /** The picture's width and height in SVG units. */
    static final int SIZE = 400;
    private static final double RADIUS = 150;

    /** A server in the picture. */
    public record Node(String id, String label, double x, double y, boolean watched) {
    }

    /** A route between two servers, with the traffic the reporting side counted. */
    public record Edge(String from, String to, double x1, double y1, double x2, double y2, long msgs, long bytes) {
    }

    /** A route as a server reported it. */
    public record Link(String from, String to, long msgs, long bytes) {
    }

    private final List<Node> nodes = new ArrayList<>();
    private final List<Edge> edges = new ArrayList<>();

    /**
     * @param labels server id to name, for every server known (the watched ones first)
     * @param watched the ids of the servers the console reads
     * @param links the routes the watched servers reported
     */
    MeshLayout(Map<String, String> labels, Set<String> watched, List<Link> links) {
        Map<String, String> all = new LinkedHashMap<>(labels);
        for (Link link : links) {
            all.putIfAbsent(link.from(), shortId(link.from()));
            all.putIfAbsent(link.to(), shortId(link.to()));
        }
        Map<String, Node> byId = new LinkedHashMap<>();
        int count = all.size();
        int i = 0;
        for (Map.Entry<String, String> server : all.entrySet()) {
            double x = SIZE / 2.0;
            double y = SIZE / 2.0;
            if (count > 1) {
                double angle = -Math.PI / 2 + 2 * Math.PI * i / count;
                x += RADIUS * Math.cos(angle);
                y += RADIUS * Math.sin(angle);
            }
            Node node = new Node(server.getKey(), server.getValue(), round(x), round(y), watched.contains(server.getKey()));
            byId.put(server.getKey(), node);
            nodes.add(node);
            i++;
        }
        Set<String> pairs = new LinkedHashSet<>();
        for (Link link : links) {
            String pair = link.from().compareTo(link.to()) < 0 ? link.from() + " " + link.to() : link.to() + " " + link.from();
            if (link.from().equals(link.to()) || !pairs.add(pair)) {
                continue;
            }
            Node from = byId.get(link.from());
            Node to = byId.get(link.to());
            edges.add(new Edge(from.id(), to.id(), from.x(), from.y(), to.x(), to.y(), link.msgs(), link.bytes()));
        }
    }

    public List<Node> nodes() {
        return nodes;
    }

    public List<Edge> edges() {
        return edges;
    }

    static String shortId(String id) {
        return id.length() <= 8 ? id : id.substring(0, 8) + "…";
    }

    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }
}
