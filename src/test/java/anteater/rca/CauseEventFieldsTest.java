package anteater.rca;

import static anteater.rca.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import anteater.sink.AnomalyEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The values of a cause event's fields, from causes given by hand (CauseEventJsonTest checks the schema on a real
 * inference). Mutation testing found the rounding, the null and non-finite cases, the path nodes' sources and the
 * texts unchecked.
 */
class CauseEventFieldsTest {
    static final ObjectMapper JSON = new ObjectMapper();

    static AnomalyEvent event(String entity, String metric, double score, Map<String, String> labels, String desc) {
        return new AnomalyEvent(T0, entity, "ev_" + entity, "sys", "m1", metric, metric, labels, score, 3, 18, 170,
                List.of(), desc, "ttest", new double[] {1, 2, 3});
    }

    static Entity entity(String id, String type) {
        return new Entity(id, type, "m1", Map.of("machine_id", "m1", "name", id));
    }

    static RankedCause cause(Entity e, AnomalyEvent ev, double score, double correlation, List<String> path) {
        return new RankedCause(e, ev, score, 0.123456, correlation, 0.5, 0.987654, 1.0, Double.POSITIVE_INFINITY, path,
                0.33333, 0.0, 0.25);
    }

    final AnomalyEvent kpi = event("m1_sli_1", "sli_rtt", 8, Map.of("svc", "web"), "rtt of web is abnormal");
    final Entity cpu = entity("m1_cpu", "cpu");
    final Entity proc = entity("m1_proc_1", "proc");
    final Entity disk = entity("m1_disk_sda", "disk");
    final Entity block = entity("m1_block_sda1", "block");
    final Entity sli = entity("m1_sli_1", "sli");

    Neighbourhood neighbourhood() {
        Map<String, Entity> es = new LinkedHashMap<>();
        for (Entity e : List.of(sli, proc, cpu, disk, block)) es.put(e.id(), e);
        return new Neighbourhood("m1_sli_1", T0, es, List.of());
    }

    @Test
    void partsAreRoundedToFourPlacesAndAnUnknownCorrelationIsNull() throws Exception {
        RankedCause c = cause(cpu, event("m1_cpu", "cpu_usage", 9, Map.of(), "cpu busy"), 0.876549, Double.NaN,
                List.of("m1_cpu", "m1_proc_1", "m1_sli_1"));
        JsonNode cm = json(new CauseEvent(kpi, List.of(c), neighbourhood(), null, "")).at("/Resource/cause_metrics/0");
        assertEquals(0.8765, cm.path("score").asDouble(), 0);
        JsonNode parts = cm.path("score_parts");
        assertEquals(0.1235, parts.path("anomaly").asDouble(), 0);
        assertTrue(parts.path("correlation").isNull(), parts.toString());
        assertEquals(0.5, parts.path("proximity").asDouble(), 0);
        assertEquals(0.9877, parts.path("onset").asDouble(), 0);
        assertEquals(1.0, parts.path("root").asDouble(), 0);
        assertEquals(0.0, parts.path("reach").asDouble(), 0, "not finite: 0");
        assertEquals(0.3333, parts.path("closeness").asDouble(), 0);
        assertEquals(0.0, parts.path("live").asDouble(), 0);
        assertEquals(0.25, parts.path("coherence").asDouble(), 0);
        RankedCause known = cause(cpu, c.event(), 0.5, 0.654321, c.path());
        assertEquals(0.6543, json(new CauseEvent(kpi, List.of(known), neighbourhood(), null, ""))
                .at("/Resource/cause_metrics/0/score_parts/correlation").asDouble(), 0);
        RankedCause negative = cause(cpu, c.event(), -0.123456, 0.5, c.path());
        assertEquals(-0.1235, json(new CauseEvent(kpi, List.of(negative), neighbourhood(), null, ""))
                .at("/Resource/cause_metrics/0/score").asDouble(), 0, "rounded, not clipped");
    }

    @Test
    void thePathNamesTheAnomaliesAtItsEndsAndTheEntitiesBetween() throws Exception {
        AnomalyEvent ce = event("m1_cpu", "cpu_usage", 9, Map.of("core", "3"), "cpu busy");
        RankedCause c = cause(cpu, ce, 0.9, 0.8, List.of("m1_cpu", "m1_proc_1", "m1_ghost", "m1_sli_1"));
        JsonNode path = json(new CauseEvent(kpi, List.of(c), neighbourhood(), null, "")).at("/Resource/cause_metrics/0/path");
        assertEquals(4, path.size());
        assertEquals(Map.of("core", "3"), JSON.convertValue(json(new CauseEvent(kpi, List.of(c), neighbourhood(), null, ""))
                .at("/Resource/cause_metrics/0/metric_labels"), Map.class), "the cause's own labels");
        JsonNode first = path.get(0), mid = path.get(1), ghost = path.get(2), last = path.get(3);
        assertEquals("cpu_usage", first.path("metric_id").asText());
        assertEquals("cpu", first.path("entity_type").asText());
        assertEquals(Map.of("core", "3"), JSON.convertValue(first.path("metric_labels"), Map.class), "the cause event's labels");
        assertEquals("cpu busy", first.path("desc").asText());
        assertEquals(9.0, first.path("score").asDouble(), 0);
        assertEquals("virtual_metric", mid.path("metric_id").asText());
        assertEquals("proc", mid.path("entity_type").asText());
        assertEquals(Map.of("machine_id", "m1", "name", "m1_proc_1"), JSON.convertValue(mid.path("metric_labels"), Map.class),
                "the entity's tags");
        assertEquals("", mid.path("desc").asText());
        assertEquals(0.0, mid.path("score").asDouble(), 0);
        assertEquals(T0, mid.path("timestamp").asLong(), "the KPI's time");
        assertEquals("", ghost.path("entity_type").asText(), "an entity not in the neighbourhood");
        assertEquals(0, ghost.path("metric_labels").size());
        assertEquals("sli_rtt", last.path("metric_id").asText());
        assertEquals("sli", last.path("entity_type").asText());
        assertEquals(Map.of("svc", "web"), JSON.convertValue(last.path("metric_labels"), Map.class));
        assertEquals("rtt of web is abnormal", last.path("desc").asText());
        assertEquals(8.0, last.path("score").asDouble(), 0);
        // without a neighbourhood: no types, no tags
        JsonNode bare = json(new CauseEvent(kpi, List.of(c), null, null, "")).at("/Resource/cause_metrics/0/path/1");
        assertEquals("", bare.path("entity_type").asText());
        assertEquals(0, bare.path("metric_labels").size());
    }

    @Test
    void nullTextsAndLabelsAndScoresThatAreNotFinite() throws Exception {
        AnomalyEvent k = event("m1_sli_1", "sli_rtt", Double.POSITIVE_INFINITY, null, null);
        AnomalyEvent ce = event("m1_cpu", "cpu_usage", Double.NaN, null, null);
        RankedCause c = cause(cpu, ce, 0.5, 0.5, List.of("m1_cpu", "m1_sli_1"));
        JsonNode j = json(new CauseEvent(k, List.of(c), neighbourhood(), null, ""));
        assertEquals(Double.MAX_VALUE, j.at("/Resource/abnormal_kpi/score").asDouble(), 0);
        assertEquals("", j.at("/Resource/abnormal_kpi/desc").asText());
        assertEquals(0, j.at("/Resource/abnormal_kpi/metric_labels").size());
        assertEquals("", j.at("/Resource/cause_metrics/0/desc").asText());
        assertEquals(0, j.at("/Resource/cause_metrics/0/metric_labels").size());
        assertEquals(0.0, j.at("/Resource/cause_metrics/0/path/0/score").asDouble(), 0, "NaN: 0");
        assertEquals("", j.at("/Resource/cause_metrics/0/path/0/desc").asText());
        assertEquals(Double.MAX_VALUE, j.at("/Resource/cause_metrics/0/path/1/score").asDouble(), 0);
        AnomalyEvent minus = event("m1_sli_1", "sli_rtt", Double.NEGATIVE_INFINITY, null, null);
        assertEquals(0.0, json(new CauseEvent(minus, List.of(), neighbourhood(), null, "")).at("/Resource/abnormal_kpi/score").asDouble(), 0);
    }

    @Test
    void theTextsNameTheTopThreeAndTheKeywordsAreDistinct() throws Exception {
        AnomalyEvent d = event("m1_disk_sda", "disk_await", 9, Map.of(), "");
        AnomalyEvent b = event("m1_block_sda1", "block_latency", 8, Map.of(), "");
        AnomalyEvent p = event("m1_proc_1", "proc_io_wait", 7, Map.of(), "");
        AnomalyEvent u = event("m1_cpu", "cpu_usage", 6, Map.of(), "");
        List<RankedCause> causes = List.of(
                cause(disk, d, 0.91, 0.5, List.of("m1_disk_sda", "m1_sli_1")),
                cause(block, b, 0.8, 0.5, List.of("m1_block_sda1", "m1_sli_1")),
                cause(proc, p, 0.456, 0.5, List.of("m1_proc_1", "m1_sli_1")),
                cause(cpu, u, 0.1, 0.5, List.of("m1_cpu", "m1_sli_1")));
        JsonNode j = json(new CauseEvent(kpi, causes, neighbourhood(), null, ""));
        assertEquals("disk_await of disk m1_disk_sda (disk, score 0.91)", j.path("top1").asText());
        assertEquals("block_latency of block m1_block_sda1 (disk, score 0.80)", j.path("top2").asText());
        assertEquals("proc_io_wait of proc m1_proc_1 (process, score 0.46)", j.path("top3").asText());
        assertEquals("sli_rtt of m1_sli_1 is most likely caused by disk_await of disk m1_disk_sda (disk, score 0.91)",
                j.path("desc").asText());
        assertEquals(j.path("desc"), j.at("/Resource/desc"));
        assertEquals(List.of("disk", "process", "cpu"), JSON.convertValue(j.path("keywords"), List.class),
                "each once, in rank order");
        assertEquals(4, j.at("/Resource/cause_metrics").size(), "every cause is listed; the texts name three");
        assertTrue(j.at("/Resource/reason").isMissingNode());

        JsonNode none = json(new CauseEvent(kpi, List.of(), neighbourhood(), null, ""));
        assertEquals("no abnormal neighbour of m1_sli_1", none.path("desc").asText());
        assertEquals("", none.path("top1").asText());
        assertEquals(0, none.path("keywords").size());

        JsonNode failed = json(new CauseEvent(kpi, List.of(), null, "TIMEOUT", "ArangoDB did not answer in 5 s"));
        assertEquals("TIMEOUT", failed.at("/Resource/reason").asText());
        assertEquals("no cause inferred for sli_rtt of m1_sli_1: ArangoDB did not answer in 5 s", failed.path("desc").asText());
        assertEquals(failed.path("desc"), failed.at("/Resource/desc"));
    }

    static JsonNode json(CauseEvent e) throws Exception {
        return JSON.readTree(e.toJson());
    }
}
