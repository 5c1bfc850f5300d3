package anteater.rca;

import static anteater.rca.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import anteater.sink.AnomalyEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The cause event against gala-inference's schema (gala-formats.md "Cause-inference event"). */
class CauseEventJsonTest {

    static void assertSchema(JsonNode j) {
        assertTrue(j.path("Timestamp").isIntegralNumber(), "Timestamp ms");
        assertTrue(j.path("event_id").isTextual());
        assertEquals(j.path("event_id"), j.path("Attributes").path("event_id"));
        assertEquals("root-cause-inference", j.path("Attributes").path("event_source").asText());
        JsonNode res = j.path("Resource");
        JsonNode kpi = res.path("abnormal_kpi");
        for (String k : List.of("metric_id", "entity_id", "desc")) assertTrue(kpi.path(k).isTextual(), "abnormal_kpi." + k);
        assertTrue(kpi.path("timestamp").isIntegralNumber(), "abnormal_kpi.timestamp (ms), as gala-inference sends it");
        assertTrue(kpi.path("metric_labels").isObject());
        assertTrue(kpi.path("score").isNumber());
        assertTrue(res.path("cause_metrics").isArray());
        for (JsonNode c : res.path("cause_metrics")) {
            for (String k : List.of("metric_id", "entity_id", "desc", "keyword")) assertTrue(c.path(k).isTextual(), "cause." + k);
            assertTrue(List.of("process", "disk", "network", "cpu", "memory").contains(c.path("keyword").asText()));
            assertTrue(c.path("metric_labels").isObject());
            assertTrue(c.path("score").isNumber());
            assertTrue(c.path("timestamp").isIntegralNumber(), "cause.timestamp (ms)");
            assertTrue(c.path("path").isArray() && c.path("path").size() >= 2, "path from cause to KPI");
            // every node with the keys of gala-inference's own path nodes
            for (JsonNode p : c.path("path")) {
                for (String k : List.of("metric_id", "entity_id", "desc")) assertTrue(p.path(k).isTextual(), "path node " + k + ": " + p);
                assertTrue(p.path("metric_labels").isObject(), "path node metric_labels: " + p);
                assertTrue(p.path("timestamp").isIntegralNumber(), "path node timestamp: " + p);
                assertTrue(p.path("score").isNumber(), "path node score: " + p);
            }
            assertEquals(c.path("entity_id").asText(), c.path("path").get(0).path("entity_id").asText());
            assertEquals(kpi.path("entity_id").asText(), c.path("path").get(c.path("path").size() - 1).path("entity_id").asText());
        }
        assertTrue(res.path("desc").isTextual());
        for (String k : List.of("desc", "top1", "top2", "top3", "SeverityText", "Body")) assertTrue(j.path(k).isTextual(), k);
        assertTrue(j.path("keywords").isArray());
        assertEquals("WARN", j.path("SeverityText").asText());
        assertEquals(13, j.path("SeverityNumber").asInt());
        assertEquals("A cause inferring event for an abnormal event", j.path("Body").asText());
    }

    @Test
    void successfulInferenceMatchesTheSchema() throws Exception {
        long end = T0;
        double[] f = Fixtures.shared(3);
        AnomalyEvent kpi = Fixtures.event("m1_sli_1", "sli_rtt", end, 8, Fixtures.values(1, f, 0, 5), "app");
        AnomalyEvent cpu = Fixtures.event("m1_cpu", "cpu_usage", end, 9, Fixtures.values(2, f, 0, 5), "sys");
        AnomalyEvent link = Fixtures.event("m1_tcp_link_1", "tcp_rtt", end, 4, Fixtures.values(3, f, 0, 5), "sys");
        AnomalyStore s = new AnomalyStore(100, 10, 3_600_000);
        s.add(kpi);
        s.add(cpu);
        s.add(link);
        CauseEvent ce = new CauseInference(Fixtures.host(), RcaConfig.defaults().ranker(), 4, 3).infer(kpi, s);
        JsonNode j = new ObjectMapper().readTree(ce.toJson());
        assertSchema(j);
        assertEquals(end, j.path("Timestamp").asLong());
        assertEquals(kpi.eventId(), j.path("event_id").asText());
        assertEquals(2, j.path("Resource").path("cause_metrics").size());
        assertTrue(j.path("top1").asText().contains(ce.causes().get(0).entity().id()));
        assertEquals("", j.path("top3").asText());
        assertEquals(Map.of("entity", "m1_sli_1"), new ObjectMapper().convertValue(j.path("Resource").path("abnormal_kpi").path("metric_labels"), Map.class));
        JsonNode path = j.path("Resource").path("cause_metrics").get(0).path("path");
        assertEquals("sli_rtt", path.get(path.size() - 1).path("metric_id").asText());
        assertEquals(end, j.at("/Resource/abnormal_kpi/timestamp").asLong());
        // m1_cpu -> m1_proc_1 -> m1_sli_1: the process between them is no abnormal metric
        JsonNode cpuPath = null;
        for (JsonNode c : j.path("Resource").path("cause_metrics")) if (c.path("entity_id").asText().equals("m1_cpu")) cpuPath = c.path("path");
        assertEquals(3, cpuPath.size(), cpuPath.toString());
        assertEquals("cpu_usage", cpuPath.get(0).path("metric_id").asText());
        assertEquals(9.0, cpuPath.get(0).path("score").asDouble());
        assertEquals("virtual_metric", cpuPath.get(1).path("metric_id").asText());
        assertEquals("m1", cpuPath.get(1).path("metric_labels").path("machine_id").asText(), "the entity's tags");
    }

    @Test
    void failedInferenceCarriesTheReason() throws Exception {
        AnomalyEvent kpi = Fixtures.event("m9_sli_1", "sli_rtt", T0, 8, new double[0], "app");
        CauseEvent ce = new CauseInference(Fixtures.host(), RcaConfig.defaults().ranker(), 4, 3)
                .infer(kpi, new AnomalyStore(10, 10, 1000));
        JsonNode j = new ObjectMapper().readTree(ce.toJson());
        assertSchema(j);
        assertEquals("ENTITY_MISSING", j.path("Resource").path("reason").asText());
        assertEquals(0, j.path("Resource").path("cause_metrics").size());
        assertTrue(j.path("desc").asText().contains("not in the topology"), j.path("desc").asText());
    }
}
