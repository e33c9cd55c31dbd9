package io.natsee.admin.live;

import io.natsee.admin.monitor.MonitorClient;
import io.natsee.admin.monitor.MonitorException;
import io.natsee.admin.monitor.ServerEndpoint;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The live figures of every watched server: one {@link #sample()} reads each server's
 * {@code /varz} into its {@link TrafficHistory} and remembers why a server could not be read.
 * Plain Java, so the dashboard is testable without a container; {@link LiveStatsPublisher}
 * runs it on the container's scheduler and pushes to the browsers.
 */
public final class LiveStats {

    /** How far back the dashboard's chart goes. */
    public static final Duration WINDOW = Duration.ofMinutes(5);

    private final MonitorClient client;
    private final Clock clock;
    private final Map<String, TrafficHistory> histories = new ConcurrentHashMap<>();
    private final Map<String, String> problems = new ConcurrentHashMap<>();

    public LiveStats(MonitorClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    /** Samples every server once; returns whether at least one answered. */
    public boolean sample() {
        boolean any = false;
        for (ServerEndpoint server : client.servers()) {
            try {
                history(server).add(clock.instant(), client.varz(server));
                problems.remove(server.name());
                any = true;
            } catch (MonitorException e) {
                problems.put(server.name(), e.getMessage());
            }
        }
        return any;
    }

    /** The history of a server (empty until sampled). */
    public TrafficHistory history(ServerEndpoint server) {
        return histories.computeIfAbsent(server.name(), name -> new TrafficHistory(WINDOW));
    }

    /** Why the last sample of the server failed, if it did. */
    public Optional<String> problem(ServerEndpoint server) {
        return Optional.ofNullable(problems.get(server.name()));
    }
}
