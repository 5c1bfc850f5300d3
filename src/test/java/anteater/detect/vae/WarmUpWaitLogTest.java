package anteater.detect.vae;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import anteater.detect.Verdict;
import anteater.detect.Window;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A group past its warm-up that cannot train says why, once, instead of warming up forever without a word. */
class WarmUpWaitLogTest {
    @Test
    void aGroupWithoutNumericFieldsSaysWhyItDoesNotTrain() throws Exception {
        VaeDetector d = VaeDetector.create(VaeDetectorTest.onlineOptions(2, 0));
        List<Verdict> out = new ArrayList<>();
        String log = ModelMismatchLogTest.stderrOf(() -> {
            for (int k = 0; k < 5; k++) {
                // points whose fields are all strings: the window holds no series
                Window w = new Window("node", "host=a", Map.of("host", "a"), false, 4);
                for (int i = 0; i < 4; i++) w.notePoint((k * 4 + i) * Synthetic.STEP);
                w.end(null, null, null, false, (k * 4 + 3) * Synthetic.STEP);
                d.process(w, out);
            }
        });
        String line = "vae group host=a: warm-up of 2 windows done but its windows hold no numeric field";
        assertTrue(log.contains(line), log);
        assertEquals(log.indexOf(line), log.lastIndexOf(line), "once per group: " + log);
        assertFalse(d.training("host=a"));
        assertEquals(Boolean.TRUE, out.get(4).fields().get("warming_up"));
        d.close();
    }
}
