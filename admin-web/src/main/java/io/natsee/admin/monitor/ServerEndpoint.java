package io.natsee.admin.monitor;

import java.net.URI;
import java.util.Objects;

/**
 * A server the console watches: a display name and the base URL of its monitoring port
 * ({@code http://127.0.0.1:8222}), with the token its close-connection action wants, if any.
 *
 * @param name the name shown in the console
 * @param url the monitoring base URL, without a trailing slash
 * @param token the bearer token of {@code POST /connz/close}, or {@code null} when none is configured
 */
public record ServerEndpoint(String name, URI url, String token) {

    public ServerEndpoint {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(url, "url");
        String text = url.toString();
        if (text.endsWith("/")) {
            url = URI.create(text.substring(0, text.length() - 1));
        }
        if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
            throw new IllegalArgumentException("a monitoring URL is http:// or https://: " + text);
        }
        if (token != null && token.isBlank()) {
            token = null;
        }
    }

    /** Whether the console can ask this server to close connections. */
    public boolean canClose() {
        return token != null;
    }

    /** The URL of a path on this server ({@code /varz}). */
    public URI resolve(String pathAndQuery) {
        return URI.create(url + pathAndQuery);
    }

    @Override
    public String toString() {
        return name + " (" + url + ")";
    }
}
