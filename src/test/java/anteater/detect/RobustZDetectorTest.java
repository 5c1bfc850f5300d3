package anteater.detect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RobustZDetectorTest {

    static RobustZDetector detector(long holdoff) throws OptionException {
        return detector(holdoff, true);
    }

    static RobustZDetector detector(long holdoff, boolean change) throws OptionException {
        return RobustZDetector.create(Options.of("field", "v", "zHistory", 200L, "zThreshold", 6.0,
                "zHoldoff", holdoff, "zMinHistory", 30L, "zChange", change));
    }

    /** Feeds values one window each; returns the verdicts' is_anomaly (null when no verdict). */
    static List<Boolean> feed(RobustZDetector d, double[] values, long start) {
        List<Boolean> flags = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            List<Verdict> out = new ArrayList<>();
            d.process(TTestDetectorTest.window("a", start + i * TTestDetectorTest.SEC, new double[] {values[i]}, "v"), out);
            flags.add(out.isEmpty() ? null : (Boolean) out.get(0).fields().get("is_anomaly"));
        }
        return flags;
    }

    @Test
    void medianAndScale() {
        double[] c = RobustZDetector.center(new double[] {5, 1, 3, 2, 4}, 5);
        assertEquals(3, c[0], 1e-12);
        assertEquals(1.4826, c[1], 1e-12); // deviations 0,1,1,2,2: MAD 1
        // more than half one value: MAD 0, mean absolute deviation (0+0+0+4)/4 = 1 instead
        double[] f = RobustZDetector.center(new double[] {7, 7, 7, 11}, 4);
        assertEquals(7, f[0], 1e-12);
        assertEquals(1.2533, f[1], 1e-12);
    }

    @Test
    void flagsASpikeOnceAndNotTheNoise() throws Exception {
        Random r = new Random(3);
        double[] v = new double[400];
        for (int i = 0; i < v.length; i++) v[i] = 10 + r.nextGaussian();
        v[300] = 30;
        v[305] = 30;
        List<Boolean> flags = feed(detector(50), v, 0);
        for (int i = 0; i < 30; i++) assertEquals(null, flags.get(i), "history filling at " + i);
        for (int i = 30; i < v.length; i++) {
            assertEquals(i == 300, flags.get(i), "point " + i); // 305 falls in the hold-off
        }
        // without hold-off both spikes are flagged, and with change scoring also the drop back after each
        List<Boolean> levels = feed(detector(0, false), v, 0);
        assertTrue(levels.get(300) && levels.get(305));
        assertEquals(2, levels.stream().filter(Boolean.TRUE::equals).count());
        List<Boolean> all = feed(detector(0, true), v, 0);
        assertTrue(all.get(300) && all.get(301) && all.get(305) && all.get(306));
        assertEquals(4, all.stream().filter(Boolean.TRUE::equals).count());
    }

    @Test
    void changeScoringFindsAJumpWithinTheUsualRange() throws Exception {
        // a slow ramp 0..30 with small noise, then a drop of 10: the level stays inside the history's range
        Random r = new Random(5);
        double[] v = new double[320];
        for (int i = 0; i < v.length; i++) v[i] = 0.1 * i + 0.01 * r.nextGaussian() - (i >= 300 ? 10 : 0);
        List<Boolean> levels = feed(detector(1000, false), v, 0);
        assertFalse(levels.contains(Boolean.TRUE), "the level alone is never extreme");
        List<Boolean> change = feed(detector(1000, true), v, 0);
        assertEquals(Boolean.TRUE, change.get(300));
        assertEquals(1, change.stream().filter(Boolean.TRUE::equals).count());
    }

    @Test
    void anomalyNamesFieldAndScore() throws Exception {
        RobustZDetector d = detector(0);
        Random r = new Random(1);
        double[] v = new double[100];
        for (int i = 0; i < v.length; i++) v[i] = r.nextGaussian();
        feed(d, v, 0);
        List<Verdict> out = new ArrayList<>();
        d.process(TTestDetectorTest.window("a", 1000 * TTestDetectorTest.SEC, new double[] {0.1, 50, 0.2}, "v"), out);
        assertEquals(1, out.size());
        Verdict x = out.get(0);
        assertEquals(true, x.fields().get("is_anomaly"));
        assertEquals(2L, x.fields().get("anomaly_count")); // the spike and the change back from it
        assertEquals(3L, x.fields().get("total_count"));
        assertNotNull(x.anomaly());
        assertEquals("v", x.anomaly().metric());
        assertTrue(x.anomaly().score() > 6);
        assertEquals(1002 * TTestDetectorTest.SEC, x.anomaly().timeNs(), "the window's tmax");
    }

    @Test
    void snapshotRestoresIdenticalOutputs() throws Exception {
        Random r = new Random(7);
        double[] v = new double[600];
        for (int i = 0; i < v.length; i++) v[i] = r.nextGaussian() + (i > 450 ? 8 : 0);
        RobustZDetector a = detector(20);
        feed(a, java.util.Arrays.copyOf(v, 440), 0);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        a.save(new DataOutputStream(bytes));
        RobustZDetector b = detector(20);
        b.load(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        double[] rest = java.util.Arrays.copyOfRange(v, 440, v.length);
        List<Boolean> fa = feed(a, rest, 440 * TTestDetectorTest.SEC);
        List<Boolean> fb = feed(b, rest, 440 * TTestDetectorTest.SEC);
        assertEquals(fa, fb);
        assertTrue(fa.contains(true));
        ByteArrayOutputStream sa = new ByteArrayOutputStream(), sb = new ByteArrayOutputStream();
        a.save(new DataOutputStream(sa));
        b.save(new DataOutputStream(sb));
        assertArrayEquals(sa.toByteArray(), sb.toByteArray());
        // a task with another history length refuses the snapshot
        RobustZDetector c = RobustZDetector.create(Options.of("field", "v", "zHistory", 100L));
        assertThrows(java.io.IOException.class, () -> c.load(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()))));
    }

    @Test
    void valuesNearTheDoubleLimitGiveFiniteScores() throws Exception {
        // a sensor stuck at its error sentinel Double.MAX_VALUE for longer than half the history, then back: the
        // median of two such values (and a change from -MAX to +MAX) overflowed to infinity, and infinity over an
        // infinite scale gave anomaly_score NaN, which InfluxDB refuses
        RobustZDetector d = detector(0);
        Random r = new Random(11);
        double[] v = new double[700];
        for (int i = 0; i < v.length; i++) {
            v[i] = i >= 100 && i < 400 ? Double.MAX_VALUE : i >= 400 && i < 420 ? -Double.MAX_VALUE : 10 + r.nextGaussian();
        }
        int scored = 0;
        for (int i = 0; i < v.length; i++) {
            List<Verdict> out = new ArrayList<>();
            d.process(TTestDetectorTest.window("a", i * TTestDetectorTest.SEC, new double[] {v[i]}, "v"), out);
            for (Verdict x : out) {
                scored++;
                double score = (Double) x.fields().get("anomaly_score");
                assertTrue(Double.isFinite(score), "anomaly_score " + score + " at " + i);
            }
        }
        assertEquals(v.length - 30, scored);
        assertEquals(Double.MAX_VALUE, RobustZDetector.center(new double[] {Double.MAX_VALUE, Double.MAX_VALUE}, 2)[0]);
    }

    @Test
    void badOptionsAreRefused() {
        assertThrows(OptionException.class, () -> RobustZDetector.create(Options.of("zHistory", 100L)));
        OptionException e = assertThrows(OptionException.class,
                () -> RobustZDetector.create(Options.of("field", "v", "zThreshold", -1.0)));
        assertTrue(e.getMessage().contains("zThreshold"), e.getMessage());
        // scores are capped at 1e6: a threshold at or above it was accepted and the task silently never flagged
        OptionException cap = assertThrows(OptionException.class,
                () -> RobustZDetector.create(Options.of("field", "v", "zThreshold", 1e6)));
        assertTrue(cap.getMessage().contains("'zThreshold' must be in (0, 1000000)"), cap.getMessage());
        assertThrows(OptionException.class, () -> RobustZDetector.create(Options.of("field", "v", "zMinHistory", 2L)));
        assertThrows(OptionException.class, () -> RobustZDetector.create(Options.of("field", "v", "zHistory", 50L, "zMinHistory", 60L)));
        assertFalse(Detectors.names().isEmpty());
        assertTrue(Detectors.names().contains("robustz"));
    }
}
