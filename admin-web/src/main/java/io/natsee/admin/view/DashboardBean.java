package io.natsee.admin.view;

import io.natsee.admin.live.LiveStats;
import io.natsee.admin.live.LiveStatsPublisher;
import io.natsee.admin.live.TrafficHistory;
import io.natsee.admin.monitor.ServerVarz;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.Serializable;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * The dashboard: the chosen server's identity and counters, and the chart of its message and
 * byte rates over the last minutes, from the live figures {@link LiveStatsPublisher} samples.
 * Re-rendered on every push.
 */
@Named
@ViewScoped
public class DashboardBean implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT);

    private transient LiveStats stats;
    private LiveStatsPublisher publisher;
    private ServerSelection selection;

    protected DashboardBean() {
    }

    @Inject
    public DashboardBean(LiveStatsPublisher publisher, ServerSelection selection) {
        this.publisher = publisher;
        this.selection = selection;
    }

    /** For tests: figures that are sampled by the test. */
    DashboardBean(LiveStats stats, ServerSelection selection) {
        this.stats = stats;
        this.selection = selection;
    }

    private LiveStats stats() {
        if (stats == null) {
            stats = publisher.stats();
        }
        return stats;
    }

    private TrafficHistory history() {
        return stats().history(selection.server());
    }

    /** The last {@code /varz} of the chosen server; {@code null} when it never answered. */
    public ServerVarz getVarz() {
        return history().latest();
    }

    /** Why the chosen server did not answer the last sample, or {@code null}. */
    public String getProblem() {
        return stats().problem(selection.server()).orElse(null);
    }

    /** The latest rates, or zeros before two samples. */
    public TrafficHistory.Rate getRate() {
        List<TrafficHistory.Rate> rates = history().rates();
        return rates.isEmpty() ? new TrafficHistory.Rate(null, 0, 0, 0, 0) : rates.get(rates.size() - 1);
    }

    /** The Chart.js configuration of the messages chart (in and out per second). */
    public String getMessagesChart() {
        List<TrafficHistory.Rate> rates = history().rates();
        return ChartJson.line(labels(rates),
                new ChartJson.Series("in", "#2563eb", rates.stream().mapToDouble(TrafficHistory.Rate::inMsgs).toArray()),
                new ChartJson.Series("out", "#16a34a", rates.stream().mapToDouble(TrafficHistory.Rate::outMsgs).toArray()));
    }

    /** The Chart.js configuration of the bytes chart (in and out per second). */
    public String getBytesChart() {
        List<TrafficHistory.Rate> rates = history().rates();
        return ChartJson.line(labels(rates),
                new ChartJson.Series("in", "#7c3aed", rates.stream().mapToDouble(TrafficHistory.Rate::inBytes).toArray()),
                new ChartJson.Series("out", "#ea580c", rates.stream().mapToDouble(TrafficHistory.Rate::outBytes).toArray()));
    }

    private static List<String> labels(List<TrafficHistory.Rate> rates) {
        return rates.stream().map(rate -> CLOCK.format(rate.time().atZone(ZoneId.systemDefault()))).toList();
    }
}
