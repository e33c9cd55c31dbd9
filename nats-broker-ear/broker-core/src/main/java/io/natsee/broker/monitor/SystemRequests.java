package io.natsee.broker.monitor;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * The monitoring answers to nats-server 2.9.10's server requests on {@code $SYS}:
 * {@code $SYS.REQ.SERVER.PING} (every server answers its {@code STATSZ}) and
 * {@code $SYS.REQ.SERVER.PING.<endpoint>} or {@code $SYS.REQ.SERVER.<server id>.<endpoint>} for
 * {@code STATSZ}, {@code VARZ}, {@code CONNZ}, {@code SUBSZ}, {@code ROUTEZ}, {@code HEALTHZ} and
 * {@code ACCOUNTZ}. The request's payload holds the endpoint's options as nats-server's JSON
 * ({@code {"subscriptions":true,"limit":10}}; empty for the defaults). The server code wraps
 * each answer with its {@code "server"} object; this class only makes the data.
 */
public final class SystemRequests {

    /**
     * One answer: its JSON under {@code field} ({@code statsz} or {@code data}), or an error.
     *
     * @param field the envelope's field for {@code json}; {@code error} when the request failed
     * @param json the compact JSON of the data, or of the error object
     */
    public record Answer(String field, byte[] json) {
    }

    /** STATSZ's {@code statsz} object, in nats-server 2.9.10's field order. */
    @JsonPropertyOrder({"start", "mem", "cores", "cpu", "connections", "total_connections", "active_accounts",
        "subscriptions", "sent", "received", "slow_consumers", "active_servers"})
    record Statsz(@JsonProperty("start") Instant start, @JsonProperty("mem") long mem,
                  @JsonProperty("cores") int cores, @JsonProperty("cpu") double cpu,
                  @JsonProperty("connections") int connections, @JsonProperty("total_connections") long totalConnections,
                  @JsonProperty("active_accounts") int activeAccounts, @JsonProperty("subscriptions") int subscriptions,
                  @JsonProperty("sent") Counts sent, @JsonProperty("received") Counts received,
                  @JsonProperty("slow_consumers") long slowConsumers, @JsonProperty("active_servers") int activeServers) {
    }

    /** Messages and bytes. */
    record Counts(@JsonProperty("msgs") long msgs, @JsonProperty("bytes") long bytes) {
    }

    @JsonPropertyOrder({"code", "description"})
    record Error(@JsonProperty("code") int code, @JsonProperty("description") String description) {
    }

    private final MonitorService monitor;

    public SystemRequests(MonitorService monitor) {
        this.monitor = monitor;
    }

    /** Whether this server answers {@code endpoint} (the request subject's last token). */
    public static boolean answers(String endpoint) {
        return switch (endpoint) {
            case "STATSZ", "VARZ", "CONNZ", "SUBSZ", "ROUTEZ", "HEALTHZ", "ACCOUNTZ" -> true;
            default -> false;
        };
    }

    /**
     * Answers one request.
     *
     * @param endpoint one that {@link #answers} accepts
     * @param body the request's payload: the options as JSON, or empty
     */
    public Answer answer(String endpoint, byte[] body) {
        Map<String, String> parameters;
        try {
            parameters = parameters(endpoint, body);
        } catch (IOException e) {
            return error(400, e instanceof JsonProcessingException parse ? parse.getOriginalMessage() : e.getMessage());
        }
        try {
            return switch (endpoint) {
                case "STATSZ" -> new Answer("statsz", Json.MONITOR.compact(statsz()));
                case "VARZ" -> data(monitor.varz());
                case "CONNZ" -> data(monitor.connz(ConnzQuery.parse(parameters::get)));
                case "SUBSZ" -> data(monitor.subsz(SubszQuery.parse(parameters::get)));
                case "ROUTEZ" -> data(monitor.routez(parameters::get));
                case "HEALTHZ" -> data(monitor.healthz());
                case "ACCOUNTZ" -> data(monitor.accountz());
                default -> throw new IllegalArgumentException("not an endpoint this server answers: " + endpoint);
            };
        } catch (MonitorRequestException e) {
            return error(400, e.getMessage());
        }
    }

    private Answer data(Object value) {
        return new Answer("data", Json.MONITOR.compact(value));
    }

    private Answer error(int code, String description) {
        return new Answer("error", Json.MONITOR.compact(new Error(code, description)));
    }

    private Statsz statsz() {
        Varz varz = monitor.varz();
        return new Statsz(varz.start(), varz.mem(), varz.cores(), varz.cpu(), varz.connections(), varz.totalConnections(),
                1, varz.subscriptions(), new Counts(varz.outMsgs(), varz.outBytes()),
                new Counts(varz.inMsgs(), varz.inBytes()), varz.slowConsumers(), 1 + varz.routes());
    }

    /**
     * nats-server's JSON options turned into the monitoring port's query parameters, which the
     * data methods read: {@code subscriptions} is {@code subs=1}, {@code subscriptions_detail}
     * {@code subs=detail}, CONNZ's numeric {@code state} (0 open, 1 closed, 2 all) its name.
     */
    private Map<String, String> parameters(String endpoint, byte[] body) throws IOException {
        Map<String, String> parameters = new HashMap<>();
        if (body.length == 0 || new String(body, java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
            return parameters;
        }
        JsonNode tree = Json.OPTIONS.readTree(body);
        if (tree == null || !tree.isObject()) {
            return parameters;
        }
        tree.fields().forEachRemaining(field -> {
            JsonNode value = field.getValue();
            String text = value.isTextual() ? value.asText() : value.toString();
            switch (field.getKey()) {
                case "subscriptions" -> {
                    if (value.asBoolean()) {
                        parameters.putIfAbsent("subs", "1");
                    }
                }
                case "subscriptions_detail" -> {
                    if (value.asBoolean()) {
                        parameters.put("subs", "detail");
                    }
                }
                case "state" -> parameters.put("state", switch (value.asInt()) {
                    case 1 -> "closed";
                    case 2 -> "any";
                    default -> "open";
                });
                case "account" -> parameters.put("acc", text);
                case "sort", "auth", "offset", "limit", "cid", "user", "acc", "test" -> parameters.put(field.getKey(), text);
                default -> {
                    // Options this server has no use for (mqtt_client, filter_subject, ...).
                }
            }
        });
        return parameters;
    }

    /** Jackson's data binding, loaded with the first request rather than with every server. */
    private static final class Json {
        static final MonitorJson MONITOR = new MonitorJson();
        static final ObjectMapper OPTIONS = new ObjectMapper();
    }
}
