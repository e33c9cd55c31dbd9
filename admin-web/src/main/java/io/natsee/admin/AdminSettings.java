package io.natsee.admin;

import io.natsee.admin.monitor.ServerEndpoint;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * The console's settings, from system properties over environment variables:
 * <ul>
 * <li>{@code natsee.admin.servers} ({@code NATSEE_ADMIN_SERVERS}): the monitoring URLs of the
 *     servers to watch, comma separated, each optionally named ({@code a=http://10.0.0.1:8222});
 *     default {@value #DEFAULT_SERVER}</li>
 * <li>{@code natsee.admin.streaming} ({@code NATSEE_ADMIN_STREAMING}): the streaming server's
 *     monitoring URL; default the first server's</li>
 * <li>{@code natsee.admin.token} ({@code NATSEE_ADMIN_TOKEN}): the token the servers' close-connection
 *     action wants; without it the console cannot close connections</li>
 * <li>{@code natsee.admin.users} ({@code NATSEE_ADMIN_USERS}): the users file (see
 *     {@link io.natsee.admin.security.UserFile}); without it nobody can log in</li>
 * <li>{@code natsee.admin.sample_seconds} ({@code NATSEE_ADMIN_SAMPLE_SECONDS}): how often the
 *     live figures are sampled and pushed; default 2</li>
 * </ul>
 *
 * @param servers the servers watched, never empty
 * @param streaming the streaming monitoring URL
 * @param usersFile the users file, or {@code null}
 * @param sampleInterval the live sampling period
 */
public record AdminSettings(List<ServerEndpoint> servers, URI streaming, Path usersFile, Duration sampleInterval) {

    /** The local broker's monitoring port. */
    public static final String DEFAULT_SERVER = "http://127.0.0.1:8222";
    /** The sampling period when none is set. */
    public static final int DEFAULT_SAMPLE_SECONDS = 2;

    public AdminSettings {
        servers = List.copyOf(servers);
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("no server to watch");
        }
    }

    /** The settings of this JVM: system properties over environment variables. */
    public static AdminSettings fromEnvironment() {
        return from(name -> {
            String value = System.getProperty(name);
            if (value == null) {
                value = System.getenv(name.toUpperCase(Locale.ROOT).replace('.', '_'));
            }
            return value;
        });
    }

    /**
     * The settings read through {@code lookup} (system property names in, {@code null} when unset).
     *
     * @throws IllegalArgumentException naming the setting whose value is not valid
     */
    public static AdminSettings from(UnaryOperator<String> lookup) {
        String token = blankToNull(lookup.apply("natsee.admin.token"));
        List<ServerEndpoint> servers = new ArrayList<>();
        String list = blankToNull(lookup.apply("natsee.admin.servers"));
        int n = 0;
        for (String entry : (list == null ? DEFAULT_SERVER : list).split(",")) {
            String item = entry.trim();
            if (item.isEmpty()) {
                continue;
            }
            n++;
            int equals = item.indexOf('=');
            String name = equals > 0 && !item.substring(0, equals).contains("/") ? item.substring(0, equals).trim() : null;
            String url = name == null ? item : item.substring(equals + 1).trim();
            URI uri;
            try {
                uri = URI.create(url);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("natsee.admin.servers: not a URL: " + url, e);
            }
            if (name == null) {
                name = uri.getPort() > 0 ? uri.getHost() + ":" + uri.getPort() : uri.getHost();
                if (name == null) {
                    throw new IllegalArgumentException("natsee.admin.servers: not a URL: " + url);
                }
            }
            try {
                servers.add(new ServerEndpoint(name, uri, token));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("natsee.admin.servers: " + e.getMessage(), e);
            }
        }
        if (n == 0) {
            throw new IllegalArgumentException("natsee.admin.servers names no server");
        }
        String streamingText = blankToNull(lookup.apply("natsee.admin.streaming"));
        URI streaming = streamingText == null ? servers.get(0).url() : URI.create(strip(streamingText.trim()));
        String users = blankToNull(lookup.apply("natsee.admin.users"));
        String seconds = blankToNull(lookup.apply("natsee.admin.sample_seconds"));
        int sample = DEFAULT_SAMPLE_SECONDS;
        if (seconds != null) {
            try {
                sample = Integer.parseInt(seconds.trim());
            } catch (NumberFormatException e) {
                sample = -1;
            }
            if (sample < 1 || sample > 3600) {
                throw new IllegalArgumentException("natsee.admin.sample_seconds: a whole number of seconds from 1 to 3600: " + seconds);
            }
        }
        return new AdminSettings(servers, streaming, users == null ? null : Path.of(users.trim()), Duration.ofSeconds(sample));
    }

    private static String strip(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
