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

class KnnCadDetectorTest {

    static KnnCadDetector detector(long holdoff) throws OptionException {
        return KnnCadDetector.create(Options.of("field", "v", "kDim", 8L, "kNeighbours", 5L, "kTraining", 200L,
                "kThreshold", 0.995, "kHoldoff", holdoff));
    }

    /** Feeds values one window each; returns the verdicts (null where there is none). */
    static List<Verdict> feed(KnnCadDetector d, double[] values, int from, int to) {
        List<Verdict> all = new ArrayList<>();
        for (int i = from; i < to; i++) {
            List<Verdict> out = new ArrayList<>();
            d.process(TTestDetectorTest.window("a", i * TTestDetectorTest.SEC, new double[] {values[i]}, "v"), out);
            all.add(out.isEmpty() ? null : out.get(0));
        }
        return all;
    }

    static boolean flagged(Verdict v) {
        return v != null && Boolean.TRUE.equals(v.fields().get("is_anomaly"));
    }

    /** A daily-like sine with noise. */
    static double[] seasonal(long seed, int n) {
        Random r = new Random(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = 50 + 10 * Math.sin(2 * Math.PI * i / 48.0) + 0.5 * r.nextGaussian();
        return v;
    }

    @Test
    void inverseCholeskyWhitens() {
        // covariance [[4, 2], [2, 3]]: L = [[2, 0], [1, sqrt 2]]; the squared distance of d is d^T C^-1 d
        double[] w = KnnCadDetector.inverseCholesky(new double[] {4, 0, 2, 3}, 2, 0);
        double[] d = {1, -2};
        double y0 = w[0] * d[0], y1 = w[2] * d[0] + w[3] * d[1];
        // C^-1 = 1/8 [[3, -2], [-2, 4]]: d^T C^-1 d = (3 + 8 + 16) / 8
        assertEquals(27.0 / 8, y0 * y0 + y1 * y1, 1e-12);
        assertEquals(0.0, w[1], 0.0);
        // a singular covariance (two identical coordinates) still gets a factor
        double[] s = KnnCadDetector.inverseCholesky(new double[] {1, 0, 1, 1}, 2, 1e-9);
        for (double x : s) assertTrue(Double.isFinite(x));
    }

    @Test
    void silentWhileTheReferenceSetFillsThenQuietOnNormalData() throws Exception {
        double[] v = seasonal(1, 1400);
        List<Verdict> out = feed(detector(50), v, 0, v.length);
        // 7 values to fill the first pattern, 200 patterns for the reference set: no verdict before
        for (int i = 0; i < 207; i++) assertEquals(null, out.get(i), "filling at " + i);
        for (int i = 207; i < v.length; i++) assertNotNull(out.get(i), "verdict at " + i);
        long flags = out.stream().filter(KnnCadDetectorTest::flagged).count();
        // threshold 0.995 on calibrated scores: about 0.5 % of normal values reach it, fewer with a hold-off of 50
        assertTrue(flags <= 6, "false alarms on clean data: " + flags);
        for (Verdict x : out) {
            if (x == null) continue;
            double s = (Double) x.fields().get("anomaly_score");
            assertTrue(s >= 0 && s <= 1, "score in [0, 1]: " + s);
        }
    }

    @Test
    void flagsABrokenPatternOnceWithHoldoffAndScoresItHigh() throws Exception {
        double[] v = seasonal(2, 1400);
        // at 1000 the sine stops: a flat line at the mean, inside the usual range of values
        for (int i = 1000; i < 1040; i++) v[i] = 50;
        List<Verdict> out = feed(detector(100), v, 0, v.length);
        int first = -1, count = 0;
        for (int i = 990; i < 1100; i++) {
            if (flagged(out.get(i))) {
                count++;
                if (first < 0) first = i;
            }
        }
        assertTrue(first >= 1000 && first < 1012, "found soon after the pattern broke: " + first);
        assertEquals(1, count, "one alert per incident with the hold-off");
        Verdict a = out.get(first);
        assertEquals(1.0, (Double) a.fields().get("anomaly_score"), 1e-9);
        assertNotNull(a.anomaly());
        assertEquals("knncad", a.anomaly().detector());
        assertEquals("v", a.anomaly().metric());
        // without hold-off the same incident is flagged again and again
        List<Verdict> raw = feed(detector(0), v, 0, v.length);
        long again = 0;
        for (int i = 1000; i < 1060; i++) if (flagged(raw.get(i))) again++;
        assertTrue(again >= 3, "without hold-off: " + again);
    }

    @Test
    void snapshotRestoreGivesIdenticalOutputs() throws Exception {
        double[] v = seasonal(3, 1500);
        v[1200] = 90;
        KnnCadDetector a = detector(30);
        feed(a, v, 0, 900); // past the first covariance refreshes and the start of the sliding reference set
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        a.save(new DataOutputStream(bytes));
        KnnCadDetector b = detector(30);
        b.load(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        List<Verdict> fromA = feed(a, v, 900, v.length);
        List<Verdict> fromB = feed(b, v, 900, v.length);
        double[] sa = new double[fromA.size()], sb = new double[fromB.size()];
        for (int i = 0; i < sa.length; i++) {
            sa[i] = (Double) fromA.get(i).fields().get("anomaly_score");
            sb[i] = (Double) fromB.get(i).fields().get("anomaly_score");
            assertEquals(flagged(fromA.get(i)), flagged(fromB.get(i)), "flag at " + (900 + i));
        }
        assertArrayEquals(sa, sb, 0.0);
        assertTrue(flagged(fromA.get(300)), "the spike at 1200 is flagged");
        // a snapshot of other options is refused
        KnnCadDetector c = KnnCadDetector.create(Options.of("field", "v", "kDim", 9L, "kNeighbours", 5L, "kTraining", 200L));
        java.io.IOException e = assertThrows(java.io.IOException.class,
                () -> c.load(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()))));
        assertTrue(e.getMessage().contains("kDim=8"), e.getMessage());
    }

    @Test
    void snapshotWhileFillingAndACorruptSnapshotIsRefused() throws Exception {
        double[] v = seasonal(4, 700);
        KnnCadDetector a = detector(30);
        feed(a, v, 0, 100); // reference set still filling
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        a.save(new DataOutputStream(bytes));
        KnnCadDetector b = detector(30);
        b.load(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        List<Verdict> fromA = feed(a, v, 100, v.length), fromB = feed(b, v, 100, v.length);
        for (int i = 0; i < fromA.size(); i++) {
            Object sa = fromA.get(i) == null ? null : fromA.get(i).fields().get("anomaly_score");
            Object sb = fromB.get(i) == null ? null : fromB.get(i).fields().get("anomaly_score");
            assertEquals(sa, sb, "value " + (100 + i));
        }
        // a reference set start beyond the values kept is refused with a reason
        byte[] bad = bytes.toByteArray();
        // the field record ends: refStart (8), ncmNext (4), 200 non-conformities, no covariance (1), sinceRefresh, quiet
        java.nio.ByteBuffer.wrap(bad).putLong(bad.length - (8 + 4 + 8 * 200 + 1 + 8 + 8), 5_000L);
        java.io.IOException e = assertThrows(java.io.IOException.class,
                () -> detector(30).load(new DataInputStream(new ByteArrayInputStream(bad))));
        assertTrue(e.getMessage().contains("reference set"), e.getMessage());
    }

    @Test
    void badOptionsNameTheOption() {
        assertTrue(assertThrows(OptionException.class, () -> KnnCadDetector.create(Options.of("kDim", 8L)))
                .getMessage().contains("'field'"));
        assertTrue(assertThrows(OptionException.class, () -> KnnCadDetector.create(Options.of("field", "v", "kDim", 0L)))
                .getMessage().contains("'kDim'"));
        assertTrue(assertThrows(OptionException.class,
                () -> KnnCadDetector.create(Options.of("field", "v", "kTraining", 50L, "kNeighbours", 50L)))
                .getMessage().contains("'kNeighbours'"));
        assertTrue(assertThrows(OptionException.class, () -> KnnCadDetector.create(Options.of("field", "v", "kThreshold", 1.5)))
                .getMessage().contains("'kThreshold'"));
        assertTrue(assertThrows(OptionException.class, () -> KnnCadDetector.create(Options.of("field", "v", "kHoldoff", -1L)))
                .getMessage().contains("'kHoldoff'"));
        String mem = assertThrows(OptionException.class,
                () -> KnnCadDetector.create(Options.of("field", "v", "kTraining", 100_000L, "kDim", 100L))).getMessage();
        assertTrue(mem.contains("'kTraining' x 'kDim'") && mem.contains("100000 x 100"), mem);
        assertFalse(Detectors.names().isEmpty());
        assertTrue(Detectors.names().contains("knncad"));
    }

    @Test
    void initWarnsWhenMaxGroupsOfStatesWouldNotFitInHalfTheHeap() {
        // the default settings: about 106 KB a group and field, as measured by a reviewer (1,000 groups: 106.5 MB)
        long each = KnnCadDetector.stateBytes(19, 600);
        org.junit.jupiter.api.Assertions.assertTrue(each > 100_000 && each < 115_000, "" + each);
        long heap = 256L << 20;
        org.junit.jupiter.api.Assertions.assertNull(KnnCadDetector.memoryWarning(1000, 1, 19, 600, heap));
        String w = KnnCadDetector.memoryWarning(1000, 3, 19, 600, heap);
        org.junit.jupiter.api.Assertions.assertNotNull(w);
        org.junit.jupiter.api.Assertions.assertTrue(w.contains("1000 groups x 3 fields") && w.contains("maxGroups"), w);
        org.junit.jupiter.api.Assertions.assertNull(KnnCadDetector.memoryWarning(100, 3, 19, 600, heap));
    }

    @Test
    void valuesBeyondAbout1e154AreJudgedAsTheSameValuesInOrdinaryUnits() throws Exception {
        // their squares overflowed the reference covariance: every distance was NaN, every score 0, nothing flagged
        double[] v = seasonal(7, 900);
        v[700] += 8;
        double[] huge = new double[v.length];
        for (int i = 0; i < v.length; i++) huge[i] = v[i] * 1e200;
        List<Verdict> a = feed(detector(0), v, 0, v.length), b = feed(detector(0), huge, 0, huge.length);
        int flags = 0;
        for (int i = 0; i < v.length; i++) {
            assertEquals(flagged(a.get(i)), flagged(b.get(i)), "value " + i);
            if (flagged(a.get(i))) flags++;
            if (a.get(i) != null) {
                assertEquals((Double) a.get(i).fields().get("anomaly_score"), (Double) b.get(i).fields().get("anomaly_score"), 0.01, "value " + i);
            }
        }
        assertTrue(flagged(b.get(700)), "the broken value is found");
        assertTrue(flags < 20, flags + " flags");
    }
}
