package anteater.detect.vae;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
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

/** Option relearn: after N consecutive anomalous windows a group trains a new model on them (a new normal). */
class RelearnTest {
    static final String KEY = "host=a";
    static final int WARMUP = 150, SHIFT_WINDOW = 155, RELEARN = 100;

    /** Every metric moves to a new level from window 155 on and stays there: the whole machine changed. */
    static List<Window> shiftedWindows() {
        return shifted(SHIFT_WINDOW, 400);
    }

    /** 400 windows of 20 steps, every metric at a new level in windows [from, to). */
    static List<Window> shifted(int from, int to) {
        double[][] x = Synthetic.rows(8000, 21);
        for (int i = from * 20; i < Math.min(x.length, to * 20); i++) {
            for (int j = 0; j < Synthetic.D; j++) x[i][j] += 6 + j;
        }
        return Synthetic.windows(x, 20, 0);
    }

    static Options options(long relearn) throws Exception {
        Options o = VaeDetectorTest.laggedOptions(WARMUP);
        o.add("persist", 0L);
        o.add("relearn", relearn);
        return o;
    }

    /** Feeds windows [from, to), waiting after each for a training it started (as the evaluation does). */
    static List<Verdict> feed(VaeDetector d, List<Window> ws, int from, int to) throws Exception {
        List<Verdict> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            d.process(ws.get(i), out);
            if (d.training(KEY)) assertTrue(d.awaitTraining(120_000), "training finished");
        }
        return out;
    }

    static boolean anomalous(Verdict v) {
        return Boolean.TRUE.equals(v.fields().get("is_anomaly"));
    }

    @Test
    void aGroupAnomalousForNWindowsLearnsTheNewLevelAndAlertsOnlyUntilThen() throws Exception {
        List<Window> ws = shiftedWindows();
        VaeDetector on = VaeDetector.create(options(RELEARN)), off = VaeDetector.create(options(0));
        feed(on, ws, 0, SHIFT_WINDOW);
        feed(off, ws, 0, SHIFT_WINDOW);
        VaeModel before = on.model(KEY);

        List<Verdict> von = feed(on, ws, SHIFT_WINDOW, ws.size()), voff = feed(off, ws, SHIFT_WINDOW, ws.size());
        for (int i = 0; i < RELEARN; i++) assertTrue(anomalous(von.get(i)), "the shift alerts first: window " + (SHIFT_WINDOW + i));
        assertNotSame(before, on.model(KEY), "a new model was trained");
        assertEquals(0L, von.get(0).fields().get("relearnings"));
        assertEquals(1L, von.get(von.size() - 1).fields().get("relearnings"), "points count the relearnings");
        assertEquals(null, voff.get(0).fields().get("relearnings"), "without relearn the field is left out");
        long lateOn = von.subList(RELEARN + 10, von.size()).stream().filter(RelearnTest::anomalous).count();
        long lateOff = voff.subList(RELEARN + 10, voff.size()).stream().filter(RelearnTest::anomalous).count();
        int late = von.size() - RELEARN - 10;
        assertTrue(lateOn <= late / 20, "after relearning the new level is normal: " + lateOn + " of " + late + " anomalous");
        assertEquals(late, lateOff, "without relearn every window of the new level stays anomalous");
        on.close();
        off.close();
    }

    @Test
    void anAnomalousRunShorterThanNChangesNothingAndTheRunCountSurvivesASnapshot() throws Exception {
        List<Window> ws = shiftedWindows();
        Options o = options(RELEARN);
        VaeDetector a = VaeDetector.create(o);
        feed(a, ws, 0, SHIFT_WINDOW + RELEARN / 2);
        VaeModel before = a.model(KEY);
        assertFalse(a.training(KEY));

        VaeDetector b = (VaeDetector) Detectors.create(o);
        b.load(new DataInputStream(new ByteArrayInputStream(VaeDetectorTest.snapshot(a))));
        // the restored group is half-way through its anomalous run: it relearns at the same window as the original
        List<Verdict> va = feed(a, ws, SHIFT_WINDOW + RELEARN / 2, SHIFT_WINDOW + RELEARN + 5);
        List<Verdict> vb = feed(b, ws, SHIFT_WINDOW + RELEARN / 2, SHIFT_WINDOW + RELEARN + 5);
        assertEquals(va.size(), vb.size());
        for (int i = 0; i < RELEARN / 2; i++) {
            assertEquals(va.get(i).fields(), vb.get(i).fields(), "before relearning, window " + (SHIFT_WINDOW + RELEARN / 2 + i));
        }
        assertNotSame(before, a.model(KEY));
        assertNotSame(a.model(KEY), b.model(KEY));
        assertTrue(b.model(KEY) != null && !anomalous(vb.get(vb.size() - 1)), "the restored group relearnt too");

        // a run shorter than N, then normal windows, then another: the count starts again, nothing is trained
        int firstEnd = SHIFT_WINDOW + RELEARN - 5, secondStart = firstEnd + 10;
        List<Window> twice = new ArrayList<>(shifted(SHIFT_WINDOW, firstEnd).subList(0, secondStart));
        twice.addAll(shifted(secondStart, secondStart + RELEARN - 5).subList(secondStart, secondStart + RELEARN - 5));
        VaeDetector c = VaeDetector.create(o);
        feed(c, twice, 0, SHIFT_WINDOW);
        VaeModel kept = c.model(KEY);
        List<Verdict> vc = feed(c, twice, SHIFT_WINDOW, twice.size());
        int first = RELEARN - 5;
        assertTrue(vc.subList(0, first).stream().allMatch(RelearnTest::anomalous), "the first run alerts");
        assertTrue(vc.subList(first, first + 10).stream().anyMatch(v -> !anomalous(v)), "a window between the runs is normal");
        assertTrue(anomalous(vc.get(vc.size() - 1)), "the second run still alerts");
        assertEquals(kept, c.model(KEY), "two runs shorter than N: no relearning");
        a.close();
        b.close();
        c.close();
    }

    @Test
    void readsSnapshotsOfVersion3() throws Exception {
        List<Window> ws = shiftedWindows();
        Options o = options(0);
        VaeDetector a = VaeDetector.create(o);
        feed(a, ws, 0, SHIFT_WINDOW);
        byte[] v6 = VaeDetectorTest.snapshot(a);
        assertEquals(6, java.nio.ByteBuffer.wrap(v6).getInt(0));
        // version 6 = version 5 + the pretrained model's fingerprint (a long after the version); version 5 writes the
        // bytes of version 4 when no row holds a value beyond float range
        byte[] v4 = new byte[v6.length - 8];
        System.arraycopy(v6, 0, v4, 0, 4);
        System.arraycopy(v6, 12, v4, 4, v6.length - 12);
        // version 4 = version 3 + per group the relearn run and count (longs) and its rows (int count, here 0)
        byte[] v3 = java.util.Arrays.copyOf(v4, v4.length - 20);
        java.nio.ByteBuffer.wrap(v3).putInt(0, 3);
        VaeDetector b = (VaeDetector) Detectors.create(o);
        b.load(new DataInputStream(new ByteArrayInputStream(v3)));
        List<Verdict> va = feed(a, ws, SHIFT_WINDOW, SHIFT_WINDOW + 20), vb = feed(b, ws, SHIFT_WINDOW, SHIFT_WINDOW + 20);
        for (int i = 0; i < va.size(); i++) assertEquals(va.get(i).fields(), vb.get(i).fields(), "window " + (SHIFT_WINDOW + i));
        a.close();
        b.close();
    }

    @Test
    void aRelearningFinishedAfterTheGroupCameBackToNormalIsDropped() throws Exception {
        // anomalous for exactly N windows (the relearning starts at the last), then the old level again
        int end = SHIFT_WINDOW + RELEARN;
        List<Window> ws = shifted(SHIFT_WINDOW, end);
        VaeDetector d = VaeDetector.create(options(RELEARN));
        feed(d, ws, 0, SHIFT_WINDOW);
        VaeModel before = d.model(KEY);
        List<Verdict> out = new ArrayList<>();
        for (int i = SHIFT_WINDOW; i < end + 30; i++) d.process(ws.get(i), out); // no waiting: training runs meanwhile
        assertTrue(d.awaitTraining(120_000));
        List<Verdict> after = feed(d, ws, end + 30, end + 40);
        assertEquals(before, d.model(KEY), "the old model is kept");
        assertTrue(after.stream().noneMatch(RelearnTest::anomalous), "the old level is normal for the old model");
        d.close();
    }
}
