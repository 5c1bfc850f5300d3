package anteater.udf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import anteater.rca.RcaEngine;
import anteater.sink.AnteaterConfig;
import anteater.sink.Sinks;
import anteater.udf.proto.Udf;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The composition of the side paths: with Rca enabled in the config file, anomalies found by task nodes of this
 * process reach the RCA engine through the event bus, and a cause-inference event naming the upstream entity
 * comes out through the same publisher as the anomaly events (the JSON-lines file here).
 */
class RcaWiringTest {
    static final long SEC = 1_000_000_000L;

    @TempDir
    Path dir;

    @AfterEach
    void reset() {
        RcaEngine.stopInstance();
        System.clearProperty(AnteaterConfig.PROPERTY);
        Sinks.reset();
    }

    private static List<Udf.Request> task(String kind, double faultShift, int faultFrom, Random rnd) {
        Map<String, String> tags = Map.of("machine_id", "m1", "kind", kind);
        List<Udf.Request> reqs = new ArrayList<>();
        reqs.add(Frames.init("field", "value", "size", 600L, "alpha", 0.001, "entity", "{machine_id}_{kind}"));
        for (int w = 0; w < 12; w++) {
            double[] v = new double[60];
            for (int i = 0; i < v.length; i++) v[i] = 50 + (w >= faultFrom ? faultShift * (1 + i / 60.0) : 0) + rnd.nextGaussian();
            reqs.addAll(Frames.window("metrics", tags, "value", w * 60 * SEC + 1_700_000_000L * SEC, v));
        }
        return reqs;
    }

    @Test
    void causeEventsComeOutForAnomaliesOfThisProcess() throws Exception {
        Path topo = dir.resolve("topology.json");
        Files.writeString(topo, """
                {"entities": [
                  {"id": "m1_cpu", "type": "cpu", "machine_id": "m1"},
                  {"id": "m1_host", "type": "host", "machine_id": "m1"},
                  {"id": "m1_proc", "type": "proc", "machine_id": "m1"}],
                 "edges": [
                  {"from": "m1_cpu", "to": "m1_host", "type": "belongs_to"},
                  {"from": "m1_proc", "to": "m1_host", "type": "runs_on"}]}
                """);
        Path events = dir.resolve("events.jsonl");
        Path cfg = dir.resolve("anteater.yaml");
        Files.writeString(cfg, "Events: {file: " + events + "}\n"
                + "Rca: {enabled: true, source: file, file: " + topo + ", future: 0s, grace: 1s, valid: 10m}\n");
        System.setProperty(AnteaterConfig.PROPERTY, cfg.toString());
        Sinks.reset();
        Random rnd = new Random(4);
        // the cpu goes bad first (window 8), the process follows one window later
        for (List<Udf.Request> reqs : List.of(task("cpu", 12, 8, rnd), task("proc", 8, 9, rnd))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int code = new Agent(new ByteArrayInputStream(Frames.encode(reqs)), out, new AnomalyHandler(), 1 << 20, "t").run();
            assertEquals(0, code);
            assertTrue(Frames.decode(out.toByteArray()).get(0).getInit().getSuccess());
        }
        Path causes = dir.resolve("events.gala_cause_inference.jsonl");
        JsonNode found = null;
        ObjectMapper json = new ObjectMapper();
        long deadline = System.nanoTime() + 60_000_000_000L; // the grace is 1 s of wall time; a loaded machine is slow
        while (found == null && System.nanoTime() < deadline) {
            if (Files.exists(causes)) {
                for (String line : Files.readAllLines(causes)) {
                    JsonNode e = json.readTree(line);
                    if (e.path("Resource").path("abnormal_kpi").path("entity_id").asText().equals("m1_proc")) found = e;
                }
            }
            if (found == null) Thread.sleep(100);
        }
        assertTrue(found != null, "a cause event for the process KPI in " + causes + "; anomaly events: "
                + (Files.exists(events) ? Files.readAllLines(events).size() : 0));
        JsonNode top = found.path("Resource").path("cause_metrics").get(0);
        assertEquals("m1_cpu", top.path("entity_id").asText(), found.toString());
        assertEquals("cpu", top.path("keyword").asText());
        assertFalse(found.path("top1").asText().isEmpty());
    }
}
