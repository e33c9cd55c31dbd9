package io.natsee.broker.monitor;

import java.util.Locale;

/**
 * The monitoring counters in Prometheus's text exposition format (version 0.0.4), named as the
 * prometheus-nats-exporter names the {@code /varz} and {@code /subsz} fields
 * ({@code gnatsd_varz_in_msgs}, ...), each labelled with {@code server_id}, so dashboards built
 * for nats-server with the exporter read this server without one. Thread-safe.
 */
public final class PrometheusMetrics {

    /** The content type of the text format. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final MonitorService monitor;

    /** Metrics of the given monitoring data. */
    public PrometheusMetrics(MonitorService monitor) {
        this.monitor = monitor;
    }

    /** The current figures as one exposition text. */
    public String text() {
        Varz varz = monitor.varz();
        Subsz.Statistics subsz;
        try {
            subsz = monitor.subsz(SubszQuery.defaults()).statistics();
        } catch (MonitorRequestException impossible) {
            throw new IllegalStateException(impossible);
        }
        String label = "{server_id=\"" + escape(varz.serverId()) + "\"}";
        StringBuilder text = new StringBuilder(2048);
        gauge(text, label, "gnatsd_varz_connections", "Client connections open now.", varz.connections());
        counter(text, label, "gnatsd_varz_total_connections", "Client connections accepted since start.",
                varz.totalConnections());
        gauge(text, label, "gnatsd_varz_subscriptions", "Subscriptions registered now.", varz.subscriptions());
        counter(text, label, "gnatsd_varz_in_msgs", "Messages received from clients.", varz.inMsgs());
        counter(text, label, "gnatsd_varz_out_msgs", "Messages delivered to clients.", varz.outMsgs());
        counter(text, label, "gnatsd_varz_in_bytes", "Payload bytes received from clients.", varz.inBytes());
        counter(text, label, "gnatsd_varz_out_bytes", "Payload bytes delivered to clients.", varz.outBytes());
        counter(text, label, "gnatsd_varz_slow_consumers", "Connections closed as slow consumers.", varz.slowConsumers());
        gauge(text, label, "gnatsd_varz_routes", "Route connections open now.", varz.routes());
        gauge(text, label, "gnatsd_varz_remotes", "Remote servers known through routes.", varz.remotes());
        gauge(text, label, "gnatsd_varz_mem", "Resident set size of the process in bytes.", varz.mem());
        gauge(text, label, "gnatsd_varz_cpu", "CPU use of the process in percent of one core.", varz.cpu());
        gauge(text, label, "gnatsd_varz_cores", "Processors available to the process.", varz.cores());
        gauge(text, label, "gnatsd_varz_uptime_seconds", "Seconds since the server started.",
                Math.max(0, java.time.Duration.between(varz.start(), varz.now()).toMillis() / 1000.0));
        gauge(text, label, "gnatsd_varz_max_connections", "The client connection limit.", varz.maxConnections());
        gauge(text, label, "gnatsd_varz_max_payload", "The largest payload in bytes.", varz.maxPayload());
        gauge(text, label, "gnatsd_varz_max_pending", "Outbound bytes per connection before it is a slow consumer.",
                varz.maxPending());
        gauge(text, label, "gnatsd_subsz_num_subscriptions", "Subscriptions in the subject trie.",
                subsz.numSubscriptions());
        gauge(text, label, "gnatsd_subsz_num_cache", "Subjects in the trie's match cache.", subsz.numCache());
        counter(text, label, "gnatsd_subsz_num_inserts", "Subscriptions inserted since start.", subsz.numInserts());
        counter(text, label, "gnatsd_subsz_num_removes", "Subscriptions removed since start.", subsz.numRemoves());
        counter(text, label, "gnatsd_subsz_num_matches", "Matches computed by the trie.", subsz.numMatches());
        gauge(text, label, "gnatsd_subsz_cache_hit_rate", "Fraction of matches answered from the cache.",
                subsz.cacheHitRate());
        gauge(text, label, "gnatsd_subsz_max_fanout", "Most subscriptions one match returned.", subsz.maxFanout());
        gauge(text, label, "gnatsd_subsz_avg_fanout", "Subscriptions per computed match.", subsz.avgFanout());
        gauge(text, label, "natsee_lame_duck", "1 while the server is in lame duck mode.", monitor.lameDuck() ? 1 : 0);
        return text.toString();
    }

    private static void counter(StringBuilder text, String label, String name, String help, double value) {
        metric(text, label, name, help, "counter", value);
    }

    private static void gauge(StringBuilder text, String label, String name, String help, double value) {
        metric(text, label, name, help, "gauge", value);
    }

    private static void metric(StringBuilder text, String label, String name, String help, String type, double value) {
        text.append("# HELP ").append(name).append(' ').append(help).append('\n');
        text.append("# TYPE ").append(name).append(' ').append(type).append('\n');
        text.append(name).append(label).append(' ');
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            text.append((long) value);
        } else {
            text.append(String.format(Locale.ROOT, "%s", value));
        }
        text.append('\n');
    }

    /** A label value with backslash, quote and newline escaped, as the format requires. */
    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
