package anteater.detect.vae;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import anteater.detect.Detectors;
import anteater.detect.Options;
import anteater.detect.Verdict;
import anteater.detect.Window;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Option persist: a metric above its cap for more than n steps counts only up to the cap. */
class PersistTest {

    @Test
    void capsAMetricOnlyAfterItStayedAboveItsCapForMoreThanNSteps() {
        double[] caps = {1, 1};
        int[] runs = new int[2];
        double[] c0 = {5, 5, 5, 5, 0.2, 5};
        double[][] contrib = new double[c0.length][];
        double[] scores = new double[c0.length];
        for (int i = 0; i < c0.length; i++) {
            contrib[i] = new double[] {c0[i], 0.5};
            scores[i] = c0[i] + 0.5;
        }
        // first call: 2 steps, then 4 more: the run count is carried across calls (windows)
        double[] s1 = java.util.Arrays.copyOfRange(scores, 0, 2), s2 = java.util.Arrays.copyOfRange(scores, 2, 6);
        VaeDetector.capPersistent(s1, java.util.Arrays.copyOfRange(contrib, 0, 2), caps, runs, 2);
        assertArrayEquals(new double[] {5.5, 5.5}, s1, 1e-12, "runs 1 and 2: not more than n yet");
        assertArrayEquals(new int[] {2, 0}, runs);
        double[][] k2 = java.util.Arrays.copyOfRange(contrib, 2, 6);
        VaeDetector.capPersistent(s2, k2, caps, runs, 2);
        assertArrayEquals(new double[] {1.5, 1.5, 0.7, 5.5}, s2, 1e-12, "capped at runs 3 and 4; reset below the cap");
        assertEquals(1.0, k2[0][0], 0.0, "the contribution is capped too");
        assertArrayEquals(new int[] {1, 0}, runs);
    }

    @Test
    void trainedModelCarriesPerMetricCapsThroughItsFile() throws Exception {
        VaeModel m = VaeTrainer.train(Synthetic.rows(600, 2), Synthetic.METRICS, Synthetic.smallConfig().withEpochs(2), VaeTrainer.SILENT);
        assertEquals(Synthetic.D, m.caps().length);
        for (double c : m.caps()) assertTrue(c > 0, "cap " + c);
        assertArrayEquals(m.caps(), VaeModel.fromBytes(m.toBytes()).caps(), 0.0);
    }

    @Test
    void persistentShiftStopsBeingFlaggedAndSnapshotRestoresTheRunCounts() throws Exception {
        double[][] x = Synthetic.rows(3600, 12);
        for (int i = 3100; i < x.length; i++) x[i][0] += 8; // a metric moves to a new level and stays
        List<Window> ws = Synthetic.windows(x, 20, 0);
        Options o = VaeDetectorTest.laggedOptions(150);
        o.add("persist", 40L);
        Options off = VaeDetectorTest.laggedOptions(150);
        off.add("persist", 0L);
        VaeDetector a = VaeDetector.create(o), plain = VaeDetector.create(off);
        List<Verdict> out = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            a.process(ws.get(i), out);
            plain.process(ws.get(i), out);
        }
        assertTrue(a.awaitTraining(120_000) && plain.awaitTraining(120_000));
        for (int i = 150; i < 158; i++) { // up to step 3160: the shift is 60 steps old, the metric capped
            a.process(ws.get(i), out);
            plain.process(ws.get(i), out);
        }
        byte[] snap = VaeDetectorTest.snapshot(a);
        VaeDetector b = (VaeDetector) Detectors.create(o);
        b.load(new DataInputStream(new ByteArrayInputStream(snap)));
        List<Verdict> oa = new ArrayList<>(), ob = new ArrayList<>(), op = new ArrayList<>();
        for (int i = 158; i < ws.size(); i++) {
            a.process(ws.get(i), oa);
            b.process(ws.get(i), ob);
            plain.process(ws.get(i), op);
        }
        for (int i = 0; i < oa.size(); i++) assertEquals(oa.get(i).fields(), ob.get(i).fields(), "window " + (158 + i));
        // the shifted metric's own part stops counting; what the shift does to the other metrics' reconstructions
        // still counts (so the score drops but need not fall below the threshold)
        double sa = oa.stream().mapToDouble(v -> (Double) v.fields().get("anomaly_score")).sum();
        double sp = op.stream().mapToDouble(v -> (Double) v.fields().get("anomaly_score")).sum();
        assertTrue(sa < 0.5 * sp, "with persist the shifted metric's part is capped: " + sa + " vs " + sp);
        a.close();
        b.close();
        plain.close();
    }
}
