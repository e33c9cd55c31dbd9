package io.natsee.admin.live;

import io.natsee.admin.AdminSettings;
import io.natsee.admin.monitor.MonitorClient;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.faces.push.Push;
import jakarta.faces.push.PushContext;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Samples the watched servers on the container's managed scheduler and tells the open
 * dashboards through Faces websocket push (channel {@value #CHANNEL}, message {@value #TICK}),
 * so they re-render their figures without reloading.
 */
@ApplicationScoped
public class LiveStatsPublisher {

    /** The push channel of the live figures. */
    public static final String CHANNEL = "stats";
    /** The message that asks the pages to re-render their live parts. */
    public static final String TICK = "tick";

    private static final Logger LOG = Logger.getLogger(LiveStatsPublisher.class.getName());

    @Inject
    MonitorClient client;

    @Inject
    @Push(channel = CHANNEL)
    PushContext channel;

    @Resource
    ManagedScheduledExecutorService scheduler;

    private LiveStats stats;
    private ScheduledFuture<?> task;

    /** Starts sampling when the application starts. */
    void start(@Observes @Initialized(ApplicationScoped.class) Object started) {
        stats();
        long seconds = AdminSettings.fromEnvironment().sampleInterval().toSeconds();
        task = scheduler.scheduleAtFixedRate(this::sampleAndPush, 0, seconds, TimeUnit.SECONDS);
    }

    /** The figures (sampling starts with the application). */
    public synchronized LiveStats stats() {
        if (stats == null) {
            stats = new LiveStats(client, Clock.systemUTC());
        }
        return stats;
    }

    private void sampleAndPush() {
        try {
            stats().sample();
            channel.send(TICK);
        } catch (RuntimeException e) {
            // A failed round must not end the schedule; say why and sample again next period.
            LOG.log(Level.WARNING, "Sampling the monitored servers failed", e);
        }
    }

    @PreDestroy
    void stop() {
        if (task != null) {
            task.cancel(false);
        }
    }
}
