package anteater.rca;

import anteater.detect.Contribution;
import anteater.sink.AnomalyEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a gala-anteater anomaly event (topic gala_anteater_hybrid_model) into an {@link AnomalyEvent}: both the
 * early form (Resource.metric_id, metric_label, anomaly_score, recommend_metrics) and the newer one
 * (Resource.metric, labels, score as number or string, cause_metrics / root_causes, description).
 */
public final class GalaAnomalyJson {
    /** gala-anteater writes json.dumps(...): Python's NaN / Infinity / -Infinity tokens must be read too. */
    private static final ObjectMapper JSON = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

    private GalaAnomalyJson() {
    }

    /** The event, or IllegalArgumentException naming what is missing. */
    public static AnomalyEvent parse(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (root == null || !root.isObject()) throw new IllegalArgumentException("not a JSON object");
        JsonNode ts = root.path("Timestamp");
        if (!ts.canConvertToLong()) throw new IllegalArgumentException("Timestamp (epoch ms) missing");
        long timestampMs = ts.asLong();
        JsonNode attrs = root.path("Attributes");
        JsonNode res = root.path("Resource");
        String entityId = attrs.path("entity_id").asText("");
        if (entityId.isEmpty()) throw new IllegalArgumentException("Attributes.entity_id missing");
        String eventId = attrs.path("event_id").asText(timestampMs + "_" + entityId);
        // gala-inference takes only event_type "app" as a KPI; an event without one is evidence only
        String eventType = attrs.path("event_type").asText("");
        String metric = first(res, "metric", "metric_id", "metrics");
        if (metric.isEmpty()) throw new IllegalArgumentException("Resource.metric missing");
        Map<String, String> labels = new LinkedHashMap<>();
        JsonNode ln = res.has("labels") ? res.path("labels") : res.path("metric_label");
        for (Iterator<Map.Entry<String, JsonNode>> it = ln.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            labels.put(f.getKey(), f.getValue().asText());
        }
        double score = number(res.has("score") ? res.path("score") : res.path("anomaly_score"));
        List<Contribution> causes = new ArrayList<>();
        for (String k : new String[] {"cause_metrics", "root_causes"}) {
            for (JsonNode c : res.path(k)) {
                causes.add(new Contribution(c.path("metric").asText(c.path("metric_id").asText("")), number(c.path("score")),
                        c.path("description").asText("")));
            }
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = res.path("recommend_metrics").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            causes.add(new Contribution(f.getKey(), number(f.getValue().path("score")), ""));
        }
        String description = res.path("description").asText(root.path("Body").asText(""));
        String machineId = labels.getOrDefault("machine_id", entityId.contains("_") ? entityId.substring(0, entityId.indexOf('_')) : "");
        return new AnomalyEvent(timestampMs, entityId, eventId, eventType, machineId, labels.getOrDefault("measurement", ""),
                metric, labels, score, res.path("anomaly_count").asInt(0), res.path("total_count").asInt(0),
                res.path("duration").asLong(0), causes, description, attrs.path("event_source").asText("kafka"), new double[0]);
    }

    private static String first(JsonNode n, String... keys) {
        for (String k : keys) {
            JsonNode v = n.path(k);
            if (v.isTextual() && !v.asText().isEmpty()) return v.asText();
        }
        return "";
    }

    /** A score: a number or a numeric string; NaN, missing or unreadable is 0, infinities the largest double. */
    private static double number(JsonNode v) {
        double d;
        if (v.isNumber()) d = v.asDouble();
        else if (v.isTextual()) {
            try {
                d = Double.parseDouble(v.asText().trim());
            } catch (NumberFormatException e) {
                return 0.0;
            }
        } else return 0.0;
        return anteater.sink.EventJson.finite(d);
    }
}
