package anteater.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import anteater.detect.Anomaly;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventJsonTest {
    static final ObjectMapper M = new ObjectMapper();
    final EventFactory factory = new EventFactory(EntityTemplate.parse(null), "app");

    @Test
    void ttestAnomalyBecomesAGalaEvent() throws Exception {
        Map<String, String> tags = Map.of("machine_id", "m-01", "host", "web1");
        List<Anomaly> found = TestAnomalies.ttest("cpu", tags, "usage_user", 3, 1, 7);
        assertEquals(1, found.size(), "the t-test sees the jump");
        Anomaly a = found.get(0);
        AnomalyEvent ev = factory.create(a);
        JsonNode j = M.readTree(EventJson.toJson(ev));

        long ms = a.timeNs() / 1_000_000;
        assertTrue(j.get("Timestamp").isIntegralNumber());
        assertEquals(ms, j.get("Timestamp").asLong());
        JsonNode at = j.get("Attributes");
        assertEquals("m-01_cpu_web1", at.get("entity_id").asText());
        assertEquals(ms + "_m-01_cpu_web1", at.get("event_id").asText());
        assertEquals("app", at.get("event_type").asText());
        assertEquals("anteater", at.get("event_source").asText());
        assertEquals("cpu", at.get("keywords").get(0).asText());

        JsonNode r = j.get("Resource");
        assertTrue(r.get("anomaly_score").isNumber() && r.get("anomaly_score").asDouble() > 3);
        assertEquals(30, r.get("anomaly_count").asInt());
        assertEquals(30, r.get("total_count").asInt());
        assertTrue(r.get("duration").isIntegralNumber());
        assertEquals(290, r.get("duration").asLong());
        assertTrue(r.get("anomaly_ratio").isNumber());
        assertEquals(1.0, r.get("anomaly_ratio").asDouble());
        assertEquals("web1", r.get("metric_label").get("host").asText());
        assertEquals("m-01", r.get("metric_label").get("machine_id").asText());
        JsonNode rec = r.get("recommend_metrics").get("usage_user");
        assertEquals("web1", rec.get("label").get("host").asText());
        assertTrue(rec.get("score").isNumber());
        assertTrue(rec.get("description").asText().startsWith("p-value "));
        assertEquals("usage_user", r.get("root_causes").get(0).get("metric").asText());
        assertEquals("usage_user", r.get("cause_metrics").get(0).get("metric").asText());
        assertEquals("usage_user", r.get("metric_id").asText());
        assertEquals("usage_user", r.get("metric").asText());
        assertTrue(r.get("score").isNumber(), "gala-inference wants a number, not a string");
        assertEquals("web1", r.get("labels").get("host").asText());
        assertEquals(a.description(), r.get("description").asText());
        assertEquals("ttest", r.get("detector").asText());

        assertEquals("WARN", j.get("SeverityText").asText());
        assertEquals(13, j.get("SeverityNumber").asInt());
        assertTrue(j.get("Body").asText().contains("usage_user of cpu"), j.get("Body").asText());
        assertTrue(j.get("is_anomaly").asBoolean());
        assertEquals("m-01", ev.machineId());
    }

    @Test
    void multivariateAnomalyWorksTheSame() throws Exception {
        Anomaly a = TestAnomalies.vaeLike(Map.of("machine_id", "m2", "tgid", "42", "comm", "nginx"), TestAnomalies.T0_NS);
        JsonNode j = M.readTree(EventJson.toJson(factory.create(a)));
        JsonNode r = j.get("Resource");
        assertEquals("m2_gala_gopher_proc_nginx_42", j.get("Attributes").get("entity_id").asText());
        assertEquals(3, r.get("recommend_metrics").size());
        assertEquals(3, r.get("root_causes").size());
        assertEquals("gala_gopher_proc_ns_read_bytes", r.get("root_causes").get(1).get("metric").asText());
        assertEquals(0.22, r.get("root_causes").get(1).get("score").asDouble());
        assertEquals(7.0 / 30, r.get("anomaly_ratio").asDouble(), 1e-12);
        assertEquals("process", j.get("Attributes").get("keywords").get(0).asText());
        assertFalse(j.get("Body").asText().isBlank(), "a sentence even without a detector description");
    }

    @Test
    void nonFiniteNumbersStayValidJson() throws Exception {
        Anomaly a = new Anomaly("x", "m", Map.of(), 0, 0, "f", Double.POSITIVE_INFINITY, 0, 0, List.of(), "d",
                new double[0]);
        JsonNode j = M.readTree(EventJson.toJson(factory.create(a)));
        assertEquals(Double.MAX_VALUE, j.get("Resource").get("score").asDouble());
        Anomaly b = new Anomaly("x", "m", Map.of(), 0, 0, "f", Double.NaN, 0, 0, List.of(), "d", new double[0]);
        JsonNode s = M.readTree(EventJson.toJson(factory.create(b))).get("Resource").get("score");
        assertTrue(s.isNumber() && s.asDouble() == 0.0, "gala-inference does max(0, score): null is a TypeError there");
    }
}
