package anteater.sink;

import anteater.detect.Contribution;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The JSON of an anomaly event, in gala-anteater's layout (topic gala_anteater_hybrid_model): the early documented
 * fields that dashboards and scripts parse, plus the newer ones gala-inference reads. Numbers are JSON numbers.
 */
public final class EventJson {
    static final ObjectMapper MAPPER = new ObjectMapper();
    public static final String SOURCE = "anteater";
    static final int SEVERITY_NUMBER = 13; // OpenTelemetry WARN, as gala-anteater sends

    private EventJson() {
    }

    public static String toJson(AnomalyEvent e) {
        try {
            return MAPPER.writeValueAsString(toTree(e));
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("event could not be written as JSON", ex);
        }
    }

    public static ObjectNode toTree(AnomalyEvent e) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("Timestamp", e.timestampMs());

        ObjectNode attrs = root.putObject("Attributes");
        attrs.put("entity_id", e.entityId());
        attrs.put("event_id", e.eventId());
        attrs.put("event_type", e.eventType());
        attrs.put("event_source", SOURCE);
        ArrayNode kw = attrs.putArray("keywords");
        for (String k : keywords(e.measurement())) kw.add(k);

        ObjectNode res = root.putObject("Resource");
        number(res, "anomaly_score", e.score());
        res.put("anomaly_count", e.anomalyCount());
        res.put("total_count", e.totalCount());
        res.put("duration", e.durationSec());
        number(res, "anomaly_ratio", e.ratio());
        labels(res.putObject("metric_label"), e.labels());
        ObjectNode rec = res.putObject("recommend_metrics");
        ArrayNode roots = res.putArray("root_causes");
        ArrayNode causeMetrics = res.putArray("cause_metrics");
        for (Contribution c : e.causes()) {
            ObjectNode r = rec.putObject(c.metric());
            labels(r.putObject("label"), e.labels());
            number(r, "score", c.score());
            if (c.description() != null && !c.description().isEmpty()) r.put("description", c.description());
            roots.add(cause(c, e.labels()));
            causeMetrics.add(cause(c, e.labels()));
        }
        res.put("metric_id", e.metric());
        res.put("metric", e.metric());
        labels(res.putObject("labels"), e.labels());
        number(res, "score", e.score());
        res.put("description", e.description());
        res.put("measurement", e.measurement());
        res.put("machine_id", e.machineId());
        res.put("detector", e.detector());

        root.put("SeverityText", "WARN");
        root.put("SeverityNumber", SEVERITY_NUMBER);
        root.put("Body", e.description());
        root.put("is_anomaly", true);
        return root;
    }

    private static ObjectNode cause(Contribution c, Map<String, String> labels) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("metric", c.metric());
        labels(n.putObject("labels"), labels);
        number(n, "score", c.score());
        n.put("description", c.description() == null ? "" : c.description());
        return n;
    }

    private static void labels(ObjectNode n, Map<String, String> labels) {
        for (Map.Entry<String, String> l : new java.util.TreeMap<>(labels).entrySet()) n.put(l.getKey(), l.getValue());
    }

    /**
     * JSON has no NaN or infinity: NaN becomes 0 (not null: gala-inference computes max(0, score), which fails on
     * None), infinities the largest finite double.
     */
    private static void number(ObjectNode n, String key, double v) {
        n.put(key, finite(v));
    }

    /** A score as gala's consumers can use it: NaN is 0, infinities the largest finite double. */
    public static double finite(double v) {
        if (Double.isNaN(v)) return 0.0;
        return Double.isInfinite(v) ? (v > 0 ? Double.MAX_VALUE : -Double.MAX_VALUE) : v;
    }

    /** gala's fault areas (process, disk, network, cpu, memory) guessed from the measurement name. */
    static List<String> keywords(String measurement) {
        String m = measurement == null ? "" : measurement.toLowerCase(Locale.ROOT);
        if (m.contains("cpu")) return List.of("cpu");
        if (m.contains("mem") || m.contains("swap")) return List.of("memory");
        if (m.contains("disk") || m.contains("block")) return List.of("disk");
        if (m.contains("net") || m.contains("tcp") || m.contains("nic") || m.contains("udp") || m.contains("qdisc")
                || m.contains("endpoint")) return List.of("network");
        if (m.contains("proc") || m.contains("thread") || m.contains("container") || m.contains("sli")) {
            return List.of("process");
        }
        return List.of();
    }
}
