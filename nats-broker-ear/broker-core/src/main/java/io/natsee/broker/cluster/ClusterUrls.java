package io.natsee.broker.cluster;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the URLs of clustering: route URLs ({@code nats://[user:pass@]host:port}, from the
 * {@code routes} array or the comma-separated {@code --routes} flag) and the cluster listen URL
 * of {@code --cluster nats://[user:pass@]host:port}.
 */
public final class ClusterUrls {

    /**
     * The host, port and credentials of a {@code --cluster} URL. {@code user} and
     * {@code password} are {@code null} when the URL has none.
     */
    public record Listen(String host, int port, String user, String password) {
    }

    private ClusterUrls() {
    }

    /**
     * The routes of a comma-separated list, as nats-server's {@code RoutesFromStr} splits it:
     * each element trimmed; an empty text gives no routes.
     *
     * @throws IllegalArgumentException with nats-server's text for an element that is no URL
     */
    public static List<URI> routes(String commaSeparated) {
        List<URI> routes = new ArrayList<>();
        if (commaSeparated == null || commaSeparated.isBlank()) {
            return routes;
        }
        for (String element : commaSeparated.split(",", -1)) {
            routes.add(route(element));
        }
        return routes;
    }

    /**
     * One route URL: a scheme (nats-server dials any), a host and a port.
     *
     * @throws IllegalArgumentException {@code error parsing route url ["..."]} (nats-server's
     *     text) when it is no URL, or naming the missing host or port
     */
    public static URI route(String text) {
        String trimmed = text.strip();
        URI uri;
        try {
            uri = new URI(trimmed);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("error parsing route url [\"" + trimmed + "\"]");
        }
        if (uri.getScheme() == null || uri.getHost() == null) {
            throw new IllegalArgumentException("error parsing route url [\"" + trimmed + "\"]: expected nats://host:port");
        }
        if (uri.getPort() < 0) {
            throw new IllegalArgumentException("error parsing route url [\"" + trimmed + "\"]: missing port");
        }
        return uri;
    }

    /**
     * The {@code --cluster} (or {@code --cluster_listen}) URL, as nats-server's
     * {@code overrideCluster} reads it: host and port from the authority ({@code -1}: any free
     * port), and user and password when given, which must then both be present.
     *
     * @throws IllegalArgumentException with nats-server's texts ({@code missing port in address},
     *     {@code expected cluster password to be set})
     */
    public static Listen listen(String url) {
        String text = url.strip();
        URI uri;
        try {
            // "-1" is not a port to java.net.URI; read it as 0 and put it back.
            uri = new URI(text.replace(":-1", ":0"));
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("parse \"" + text + "\": invalid cluster URL");
        }
        String authority = uri.getRawAuthority();
        if (authority == null) {
            throw new IllegalArgumentException("address " + text + ": missing port in address");
        }
        String hostPort = authority.substring(authority.indexOf('@') + 1);
        int colon = hostPort.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("address " + hostPort + ": missing port in address");
        }
        String host = hostPort.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(hostPort.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected integer");
        }
        if (text.endsWith(":-1") || text.contains(":-1/")) {
            port = ClusterOptions.RANDOM_PORT;
        }
        String user = null;
        String password = null;
        String userInfo = uri.getRawUserInfo();
        if (userInfo != null) {
            int separator = userInfo.indexOf(':');
            if (separator < 0) {
                throw new IllegalArgumentException("expected cluster password to be set");
            }
            user = decode(userInfo.substring(0, separator));
            password = decode(userInfo.substring(separator + 1));
        }
        return new Listen(host, port, user, password);
    }

    /** The user and password of a route URL, decoded; {@code null} elements when absent. */
    public static String[] credentials(URI route) {
        String userInfo = route.getRawUserInfo();
        if (userInfo == null) {
            return new String[] {null, null};
        }
        int separator = userInfo.indexOf(':');
        if (separator < 0) {
            return new String[] {decode(userInfo), null};
        }
        return new String[] {decode(userInfo.substring(0, separator)), decode(userInfo.substring(separator + 1))};
    }

    private static String decode(String text) {
        return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
