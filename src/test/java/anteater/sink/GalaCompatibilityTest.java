package anteater.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import anteater.detect.Anomaly;
import anteater.detect.Contribution;
import anteater.detect.Detector;
import anteater.detect.Detectors;
import anteater.detect.Options;
import anteater.detect.Verdict;
import anteater.detect.Window;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** What gala consumers need of the anomaly events: numbers, entity ids, timestamps. */
class GalaCompatibilityTest {
    static final ObjectMapper M = new ObjectMapper();
    final EventFactory factory = new EventFactory(EntityTemplate.parse(null), "app");

    /** gala-inference does max(0, Resource.score) and max(0, cause_metrics[].score): null is a TypeError there. */
    @Test
    void aNaNScoreIsStillANumber() throws Exception {
        Anomaly a = new Anomaly("vae", "cpu", Map.of("machine_id", "m1"), TestAnomalies.T0_NS, 290, "usage", Double.NaN,
                3, 30, List.of(new Contribution("usage", Double.NaN, "x")), "usage is abnormal", new double[0]);
        String json = EventJson.toJson(factory.create(a));
        JsonNode r = M.readTree(json).get("Resource");
        assertTrue(r.get("score").isNumber(), "Resource.score: " + r.get("score") + " in " + json);
        assertTrue(r.get("cause_metrics").get(0).get("score").isNumber(),
                "cause_metrics[0].score: " + r.get("cause_metrics").get(0).get("score"));
    }

    /** gala-spider's escape_entity_id: one ':' per character (code point) outside the allowed set. */
    @Test
    void aCharacterOutsideTheBmpBecomesOneColon() {
        assertEquals("m1_pod_a:b", EntityTemplate.sanitise("m1_pod_a\uD83D\uDE00b"));
    }

    /** docs/kafka.md: "Timestamp is the window's tmax in epoch milliseconds; duration the window's span in seconds". */
    @Test
    void univariateDetectorsStampTheEventWithTheWindowsTmax() throws Exception {
        Detector d = Detectors.create(Options.of("detector", "robustz", "field", "v", "zHistory", 200L,
                "zThreshold", 6.0, "zHoldoff", 0L, "zMinHistory", 30L));
        Random rnd = new Random(1);
        long sec = 1_000_000_000L, t0 = TestAnomalies.T0_NS;
        Map<String, String> tags = Map.of("machine_id", "m1");
        List<Verdict> out = new ArrayList<>();
        Anomaly found = null;
        long tmin = 0, tmax = 0;
        for (int wi = 0; wi < 20 && found == null; wi++) {
            Window w = new Window("cpu", "", tags, false, 10);
            tmin = t0 + wi * 10 * sec;
            for (int i = 0; i < 10; i++) {
                long t = tmin + i * sec;
                w.notePoint(t);
                w.add("v", t, wi == 19 && i == 2 ? 500 : 10 + rnd.nextGaussian());
            }
            tmax = tmin + 9 * sec;
            w.end("cpu", "", tags, false, tmax);
            out.clear();
            d.process(w, out);
            for (Verdict v : out) if (v.anomaly() != null) found = v.anomaly();
        }
        assertTrue(found != null, "the spike is flagged");
        AnomalyEvent e = factory.create(found);
        JsonNode j = M.readTree(EventJson.toJson(e));
        long ts = j.get("Timestamp").asLong();
        long dur = j.get("Resource").get("duration").asLong();
        assertEquals(9, dur);
        assertEquals(tmax / 1_000_000, ts, "Timestamp = window tmax (window [" + tmin / 1_000_000 + ", "
                + tmax / 1_000_000 + "] ms; event claims [" + (ts - dur * 1000) + ", " + ts + "])");
    }
}
