package io.natsee.admin.view;

import io.natsee.admin.monitor.MonitorClient;
import io.natsee.admin.monitor.MonitorException;
import jakarta.annotation.PostConstruct;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The configuration page: the chosen server's effective options as {@code /varz} reports
 * them, flattened to dotted names ({@code cluster.name}), with the run-time figures left out
 * and anything that looks like a secret masked.
 */
@Named
@ViewScoped
public class ConfigurationBean implements Serializable {

    private static final long serialVersionUID = 1L;

    /** What replaces a secret's value. */
    public static final String MASK = "••••••••";
    /** Words that make a key a secret. */
    private static final List<String> SECRET_WORDS = List.of("pass", "token", "secret", "nkey", "seed", "private", "credential", "jwt");
    /** Members of /varz that are figures, not options. */
    private static final Set<String> FIGURES = Set.of("now", "uptime", "mem", "cpu", "connections", "total_connections",
            "routes", "remotes", "leafnodes", "in_msgs", "out_msgs", "in_bytes", "out_bytes", "slow_consumers",
            "subscriptions", "http_req_stats", "server_id", "start", "config_load_time", "gomaxprocs", "cores");

    /** One option. */
    public record Option(String name, String value, boolean masked) {
    }

    private MonitorClient client;
    private ServerSelection selection;
    private List<Option> options = List.of();
    private String problem;

    protected ConfigurationBean() {
    }

    @Inject
    public ConfigurationBean(MonitorClient client, ServerSelection selection) {
        this.client = client;
        this.selection = selection;
    }

    @PostConstruct
    public void refresh() {
        try {
            List<Option> flat = new ArrayList<>();
            flatten("", client.varzDocument(selection.server()), flat);
            options = flat;
            problem = null;
        } catch (MonitorException e) {
            options = List.of();
            problem = e.getMessage();
        }
    }

    private static void flatten(String prefix, Map<?, ?> map, List<Option> into) {
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            String key = String.valueOf(entry.getKey());
            if (prefix.isEmpty() && FIGURES.contains(key)) {
                continue;
            }
            String name = prefix.isEmpty() ? key : prefix + "." + key;
            Object value = entry.getValue();
            if (value instanceof Map<?, ?> nested && !nested.isEmpty()) {
                flatten(name, nested, into);
            } else if (value instanceof Map<?, ?>) {
                continue;
            } else if (isSecret(key)) {
                into.add(new Option(name, MASK, true));
            } else {
                into.add(new Option(name, value instanceof List<?> list ? String.join(", ", list.stream().map(String::valueOf).toList())
                        : String.valueOf(value), false));
            }
        }
    }

    static boolean isSecret(String key) {
        String lower = key.toLowerCase(Locale.ROOT);
        return SECRET_WORDS.stream().anyMatch(lower::contains);
    }

    public List<Option> getOptions() {
        return options;
    }

    public String getProblem() {
        return problem;
    }
}
