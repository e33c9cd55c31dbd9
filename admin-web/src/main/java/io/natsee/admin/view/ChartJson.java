package io.natsee.admin.view;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** Chart.js configurations (what PrimeFaces' {@code p:chart} draws) built with Jackson, so labels are escaped. */
final class ChartJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One line of a chart. */
    record Series(String label, String color, double[] values) {
    }

    private ChartJson() {
    }

    /** A line chart without animation (it is redrawn on every push), y from 0. */
    static String line(List<String> labels, Series... series) {
        ObjectNode config = JSON.createObjectNode().put("type", "line");
        ObjectNode data = config.putObject("data");
        ArrayNode labelArray = data.putArray("labels");
        labels.forEach(labelArray::add);
        ArrayNode datasets = data.putArray("datasets");
        for (Series line : series) {
            ObjectNode dataset = datasets.addObject().put("label", line.label()).put("borderColor", line.color())
                    .put("backgroundColor", line.color()).put("pointRadius", 0).put("borderWidth", 2).put("tension", 0.2);
            ArrayNode values = dataset.putArray("data");
            for (double value : line.values()) {
                values.add(Math.round(value * 100) / 100.0);
            }
        }
        ObjectNode options = config.putObject("options").put("animation", false).put("responsive", true)
                .put("maintainAspectRatio", false);
        options.putObject("scales").putObject("y").put("beginAtZero", true);
        options.putObject("plugins").putObject("legend").put("position", "bottom");
        try {
            return JSON.writeValueAsString(config);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
