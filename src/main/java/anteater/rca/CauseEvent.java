package anteater.rca;

import anteater.sink.AnomalyEvent;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The outcome of one inference: the KPI event, its ranked causes (top-k) and, when no inference could be made,
 * the reason. {@link #toJson()} gives gala-inference's cause-inference event (topic gala_cause_inference).
 *
 * @param kpi           the KPI anomaly event
 * @param causes        top-k causes, best first (empty when failed)
 * @param neighbourhood the neighbourhood the causes were read from (null when failed)
 * @param failure       null on success, else the reason (a {@link TopologyException.Reason} name or NO_CANDIDATES)
 * @param message       readable detail of the failure, else empty
 */
public record CauseEvent(AnomalyEvent kpi, List<RankedCause> causes, Neighbourhood neighbourhood, String failure,
                         String message) {

    public static final String BODY = "A cause inferring event for an abnormal event";
    private static final ObjectMapper JSON = new ObjectMapper();

    public boolean failed() {
        return failure != null;
    }

    public String toJson() {
        return toNode().toString();
    }

    public ObjectNode toNode() {
        ObjectNode root = JSON.createObjectNode();
        root.put("Timestamp", kpi.timestampMs());
        root.put("event_id", kpi.eventId());
        ObjectNode attrs = root.putObject("Attributes");
        attrs.put("event_id", kpi.eventId());
        attrs.put("event_source", "root-cause-inference");
        ObjectNode res = root.putObject("Resource");
        ObjectNode abn = res.putObject("abnormal_kpi");
        abn.put("metric_id", kpi.metric());
        abn.put("entity_id", kpi.entityId());
        abn.put("timestamp", kpi.timestampMs());
        labels(abn.putObject("metric_labels"), kpi.labels());
        abn.put("desc", kpi.description() == null ? "" : kpi.description());
        abn.put("score", finite(kpi.score()));
        ArrayNode cms = res.putArray("cause_metrics");
        Set<String> keywords = new LinkedHashSet<>();
        String[] tops = new String[3];
        for (int i = 0; i < causes.size(); i++) {
            RankedCause c = causes.get(i);
            ObjectNode cm = cms.addObject();
            cm.put("metric_id", c.event().metric());
            cm.put("entity_id", c.entity().id());
            cm.put("timestamp", c.event().timestampMs());
            labels(cm.putObject("metric_labels"), c.event().labels());
            cm.put("desc", c.event().description() == null ? "" : c.event().description());
            cm.put("keyword", c.keyword());
            cm.put("score", round(c.score()));
            ObjectNode parts = cm.putObject("score_parts");
            parts.put("anomaly", round(c.anomaly()));
            if (Double.isNaN(c.correlation())) parts.putNull("correlation");
            else parts.put("correlation", round(c.correlation()));
            parts.put("proximity", round(c.proximity()));
            parts.put("onset", round(c.onset()));
            parts.put("root", round(c.root()));
            parts.put("reach", round(c.reach()));
            parts.put("closeness", round(c.closeness()));
            parts.put("live", round(c.live()));
            parts.put("coherence", round(c.coherence()));
            ArrayNode path = cm.putArray("path");
            for (String id : c.path()) path.add(pathNode(id, c));
            keywords.add(c.keyword());
            if (i < 3) tops[i] = topText(c);
        }
        String desc;
        if (failed()) {
            res.put("reason", failure);
            desc = "no cause inferred for " + kpi.metric() + " of " + kpi.entityId() + ": " + message;
        } else {
            desc = causes.isEmpty() ? "no abnormal neighbour of " + kpi.entityId()
                    : kpi.metric() + " of " + kpi.entityId() + " is most likely caused by " + tops[0];
        }
        res.put("desc", desc);
        root.put("desc", desc);
        for (int i = 0; i < 3; i++) root.put("top" + (i + 1), tops[i] == null ? "" : tops[i]);
        ArrayNode kw = root.putArray("keywords");
        keywords.forEach(kw::add);
        root.put("SeverityText", "WARN");
        root.put("SeverityNumber", 13);
        root.put("Body", BODY);
        return root;
    }

    /** gala-inference's own metric id of a path node that is no abnormal metric (an entity the chain passes). */
    static final String VIRTUAL_METRIC = "virtual_metric";

    /**
     * One node of a cause's path, with the keys of gala-inference's own path nodes (metric_id, entity_id,
     * metric_labels, timestamp, desc, score) and the entity's type: the cause's and the KPI's anomaly at the ends, an
     * entity between them as gala-inference names a node without a metric of its own ({@value #VIRTUAL_METRIC}).
     * Before, a node between them had no metric_id and no node had metric_labels, timestamp, desc or score, which a
     * reader of gala-inference's events takes from every node.
     */
    private ObjectNode pathNode(String id, RankedCause c) {
        ObjectNode n = JSON.createObjectNode();
        AnomalyEvent at = id.equals(c.entity().id()) ? c.event() : id.equals(kpi.entityId()) ? kpi : null;
        Entity e = neighbourhood == null ? null : neighbourhood.entity(id);
        n.put("metric_id", at == null ? VIRTUAL_METRIC : at.metric());
        n.put("entity_id", id);
        n.put("entity_type", e == null ? "" : e.type());
        labels(n.putObject("metric_labels"), at != null ? at.labels() : e != null ? e.tags() : null);
        n.put("timestamp", (at == null ? kpi : at).timestampMs());
        n.put("desc", at == null || at.description() == null ? "" : at.description());
        n.put("score", at == null ? 0.0 : finite(at.score()));
        return n;
    }

    private static String topText(RankedCause c) {
        return String.format(Locale.ROOT, "%s of %s %s (%s, score %.2f)", c.event().metric(), c.entity().type(),
                c.entity().id(), c.keyword(), c.score());
    }

    private static void labels(ObjectNode n, Map<String, String> labels) {
        if (labels != null) labels.forEach(n::put);
    }

    private static double round(double x) {
        return Double.isFinite(x) ? Math.round(x * 10000.0) / 10000.0 : 0.0;
    }

    private static double finite(double x) {
        return Double.isFinite(x) ? x : (x > 0 ? Double.MAX_VALUE : 0.0);
    }
}
