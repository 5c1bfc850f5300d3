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
        StepAssembler.Rows r = StepAssembler.assemble(w, index, 10 * S, last, new double[] {0.5, 7}, unknown);
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
        StepAssembler.Rows r = StepAssembler.assemble(w, Map.of("host.a", 0), 10 * S, last, new double[] {0}, null);
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
        StepAssembler.Rows r = StepAssembler.assemble(w, Map.of("x", 0), 2 * S, new double[] {Double.NaN}, new double[] {0}, null);
        assertEquals(2, r.rows().length);
        assertEquals(1, r.rows()[0][0]);
        assertEquals(3, r.rows()[1][0]);
    }
}
