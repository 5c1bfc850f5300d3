package anteater.detect.vae;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import anteater.detect.Window;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StepAssemblerTest {
    static final long S = 1_000_000_000L;

    static Window window(long t0, int steps, Map<String, double[]> fields) {
        Window w = new Window("host", "h=1", Map.of("h", "1"), false, steps);
        for (int i = 0; i < steps; i++) {
            long t = t0 + i * 10 * S;
            w.notePoint(t);
            for (Map.Entry<String, double[]> e : fields.entrySet()) {
                double v = e.getValue()[i];
                if (!Double.isNaN(v)) w.add(e.getKey(), t, v);
            }
        }
        w.end(null, null, null, false, t0 + (steps - 1) * 10 * S);
        return w;
    }

    @Test
    void alignsForwardFillsImputesAndIgnoresUnknown() {
        double nan = Double.NaN;
        Window w = window(0, 4, new java.util.LinkedHashMap<>(Map.of(
                "a", new double[] {1, nan, 3, nan},
                "extra", new double[] {9, 9, 9, 9})));
        Map<String, Integer> index = Map.of("a", 0, "b", 1);
        double[] last = {nan, nan};
        Set<String> unknown = new HashSet<>();
        assertEquals(10 * S, StepAssembler.inferStepNs(w));
        StepAssembler.Rows r = StepAssembler.assemble(w, index, 10 * S, last, new double[] {0.5, 7}, unknown, 10);
        assertEquals(4, r.rows().length);
        assertArrayEquals(new double[] {1, 7}, r.rows()[0]);
        assertArrayEquals(new double[] {1, 7}, r.rows()[1], "a forward-filled, b imputed");
        assertArrayEquals(new double[] {3, 7}, r.rows()[2]);
        assertArrayEquals(new double[] {3, 7}, r.rows()[3]);
        assertEquals(4, r.imputed(), "b was missing at all 4 steps");
        assertEquals(Set.of("extra"), unknown);
        assertEquals(List.of("extra"), r.unknown());
        assertArrayEquals(new double[] {3, nan}, last, "only observed values carry over");
    }

    @Test
    void carriesLastValuesAcrossWindowsAndMatchesMeasurementDotField() {
        double nan = Double.NaN;
        Window w = window(100 * S, 2, Map.of("a", new double[] {nan, 4}));
        double[] last = {2};
        StepAssembler.Rows r = StepAssembler.assemble(w, Map.of("host.a", 0), 10 * S, last, new double[] {0}, null, 10);
        assertArrayEquals(new double[] {2}, r.rows()[0], "value from the previous window");
        assertArrayEquals(new double[] {4}, r.rows()[1]);
        assertEquals(0, r.imputed());
    }

    @Test
    void lastValueInAStepWins() {
        Window w = new Window("m", "", Map.of(), false, 4);
        for (int i = 0; i < 4; i++) {
            w.notePoint(i * S);
            w.add("x", i * S, i);
        }
        w.end(null, null, null, false, 3 * S);
        StepAssembler.Rows r = StepAssembler.assemble(w, Map.of("x", 0), 2 * S, new double[] {Double.NaN}, new double[] {0}, null, 10);
        assertEquals(2, r.rows().length);
        assertEquals(1, r.rows()[0][0]);
        assertEquals(3, r.rows()[1][0]);
    }

    @Test
    void aWindowSpanningAHugeGapIsARowPerValueNotPerStep() {
        // a point of 1970 in a window of today (or option step 1ms over an hour): 1.7e9 steps of 1 s were capped at
        // 1,000,000 rows (x 38 metrics: 300 MB, and their lagged inputs several times that: out of memory under
        // -Xmx256m), the points past the cap all landed in the last row, at a time 11 days after the first point
        long today = 1_764_000_000L * S;
        Window w = new Window("m", "", Map.of(), false, 3);
        for (long t : new long[] {0, today, today + S}) {
            w.notePoint(t);
            w.add("x", t, t == 0 ? 1 : t == today ? 2 : 3);
        }
        w.end(null, null, null, false, today + 5 * S);
        StepAssembler.Rows r = StepAssembler.assemble(w, Map.of("x", 0), S, new double[] {Double.NaN}, new double[] {0}, null, 2);
        // 0 and the 2 steps after it; today and today + 1 s; then 2 more up to tmax
        assertArrayEquals(new long[] {0, S, 2 * S, today, today + S, today + 2 * S, today + 3 * S}, r.times());
        double[] x = new double[r.rows().length];
        for (int i = 0; i < x.length; i++) x[i] = r.rows()[i][0];
        assertArrayEquals(new double[] {1, 1, 1, 2, 3, 3, 3}, x);
    }

    @Test
    void shortGapsAreForwardFilledAsBefore() {
        double nan = Double.NaN;
        Window w = window(0, 8, Map.of("a", new double[] {1, nan, nan, nan, 5, nan, nan, 8}));
        // runs of 3 and 2 empty steps, maxFill 3: every step gets a row, as before
        StepAssembler.Rows all = StepAssembler.assemble(w, Map.of("a", 0), 10 * S, new double[] {nan}, new double[] {0}, null, 3);
        assertEquals(8, all.rows().length);
        Window sparse = new Window("m", "", Map.of(), false, 3);
        for (int i : new int[] {0, 4, 7}) {
            sparse.notePoint(i * 10 * S);
            sparse.add("a", i * 10 * S, i);
        }
        sparse.end(null, null, null, false, 70 * S);
        // runs of 3 and 2 empty steps: at most 2 of each get a row
        StepAssembler.Rows r = StepAssembler.assemble(sparse, Map.of("a", 0), 10 * S, new double[] {nan}, new double[] {0}, null, 2);
        assertArrayEquals(new long[] {0, 10 * S, 20 * S, 40 * S, 50 * S, 60 * S, 70 * S}, r.times());
    }

    @Test
    void theDetectorJudgesAWindowWithAPointOf1970InAFewRows() throws Exception {
        VaeDetector d = VaeDetector.create(VaeRestoreOptionsTest.pretrainedOptions(), VaeRestoreOptionsTest.pretrained(Synthetic.METRICS));
        List<anteater.detect.Verdict> out = new java.util.ArrayList<>();
        d.process(Synthetic.windows(Synthetic.rows(20, 1), 20, 1_764_000_000L * S).get(0), out);
        // the next window: a point whose clock was reset to 1970, then 20 ordinary points
        Window w = new Window("node", "host=a", Map.of("host", "a"), false, 21);
        double[][] x = Synthetic.rows(21, 2);
        for (int i = 0; i < 21; i++) {
            long t = i == 0 ? 0 : 1_764_000_000L * S + (200 + i) * Synthetic.STEP;
            w.notePoint(t);
            for (int j = 0; j < Synthetic.D; j++) w.add(Synthetic.METRICS.get(j), t, x[i][j]);
        }
        w.end(null, null, null, false, 1_764_000_000L * S + 220 * Synthetic.STEP);
        out.clear();
        d.process(w, out);
        long steps = (Long) out.get(0).fields().get("total_count");
        assertEquals(1 + VaeDetector.maxFill(1) + 20, steps, "the point of 1970, the steps filled after it, the 20 points");
        d.close();
    }

    @Test
    void aWindowEndingAtKapacitorsBoundaryIsARowPerPointNotOneMore() {
        // .window().period(1m).every(1m) on 1 s points: 60 points from t0, EndBatch tmax = t0 + 60 s, the next
        // window's first point. The step at tmax used to get a forward-filled row: 61 rows, the last one the same
        // time as the next window's first
        long t0 = 1_764_000_000L * S;
        Window w = new Window("m", "", Map.of(), false, 60);
        for (int i = 0; i < 60; i++) {
            w.notePoint(t0 + i * S);
            w.add("x", t0 + i * S, i);
        }
        w.end(null, null, null, false, t0 + 60 * S);
        StepAssembler.Rows r = StepAssembler.assemble(w, Map.of("x", 0), S, new double[] {Double.NaN}, new double[] {0}, null, 10);
        assertEquals(60, r.rows().length);
        assertEquals(t0 + 59 * S, r.times()[59]);
        assertEquals(59, r.rows()[59][0]);
        // a coarser step (10 s): 6 rows, the last one [t0 + 50 s, t0 + 60 s)
        StepAssembler.Rows coarse = StepAssembler.assemble(w, Map.of("x", 0), 10 * S, new double[] {Double.NaN}, new double[] {0}, null, 10);
        assertArrayEquals(new long[] {t0, t0 + 10 * S, t0 + 20 * S, t0 + 30 * S, t0 + 40 * S, t0 + 50 * S}, coarse.times());
        // a point on tmax itself (a source whose window end is inclusive) keeps a step of its own
        Window on = new Window("m", "", Map.of(), false, 2);
        for (long t : new long[] {t0, t0 + 2 * S}) {
            on.notePoint(t);
            on.add("x", t, t == t0 ? 1 : 2);
        }
        on.end(null, null, null, false, t0 + 2 * S);
        StepAssembler.Rows r2 = StepAssembler.assemble(on, Map.of("x", 0), S, new double[] {Double.NaN}, new double[] {0}, null, 10);
        assertArrayEquals(new long[] {t0, t0 + S, t0 + 2 * S}, r2.times());
        assertEquals(2, r2.rows()[2][0]);
    }
}
