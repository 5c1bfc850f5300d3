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

    @Test
    void pointsThatComeAtAnotherSpacingThanTheStepAreLoggedOnce() throws Exception {
        // the step comes from the first window and stays: data from every 10 s to every 60 s used to be forward-filled
        // into 5 of every 6 steps without a word
        VaeDetector d = VaeDetector.create(VaeDetectorTest.onlineOptions(100, 0));
        double[][] x = Synthetic.rows(400, 6);
        List<Verdict> out = new ArrayList<>();
        String log = ModelMismatchLogTest.stderrOf(() -> {
            for (Window w : Synthetic.windows(java.util.Arrays.copyOf(x, 40), 20, 0)) d.process(w, out);
            for (int k = 0; k < 4; k++) { // the same group, one point a minute
                Window w = new Window("node", "host=a", Map.of("host", "a"), false, 10);
                long t = 0;
                for (int i = 0; i < 10; i++) {
                    t = 400 * Synthetic.STEP + (k * 10 + i) * 6 * Synthetic.STEP;
                    w.notePoint(t);
                    for (int j = 0; j < Synthetic.D; j++) w.add(Synthetic.METRICS.get(j), t, x[40 + k * 10 + i][j]);
                }
                w.end(null, null, null, false, t);
                d.process(w, out);
            }
        });
        String line = "vae group host=a: points now come every 60 s but the group's step is 10 s";
        assertTrue(log.contains(line), log);
        assertEquals(log.indexOf(line), log.lastIndexOf(line), "once per group: " + log);
        d.close();
    }
}
