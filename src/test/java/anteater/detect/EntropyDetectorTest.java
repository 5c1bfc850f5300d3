package anteater.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EntropyDetectorTest {

    static EntropyDetector detector(Object... extra) throws OptionException {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        Object[] base = {"field", "v", "eWindow", 100L, "eCalibration", 300L, "eHoldoff", 0L, "eSpike", 0.0};
        for (int i = 0; i < base.length; i += 2) m.put((String) base[i], base[i + 1]);
        for (int i = 0; i < extra.length; i += 2) m.put((String) extra[i], extra[i + 1]);
        Options o = new Options();
        for (var e : m.entrySet()) o.add(e.getKey(), e.getValue());
        return EntropyDetector.create(o);
    }

    /** One verdict per value (null while calibrating). */
    static List<Verdict> feed(EntropyDetector d, double[] values, int from, int to) {
        List<Verdict> verdicts = new ArrayList<>();
        for (int i = from; i < to; i++) {
            List<Verdict> out = new ArrayList<>();
            d.process(TTestDetectorTest.window("a", i * TTestDetectorTest.SEC, new double[] {values[i]}, "v"), out);
            verdicts.add(out.isEmpty() ? null : out.get(0));
        }
        return verdicts;
    }

    static List<Integer> flagged(List<Verdict> verdicts, int offset) {
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < verdicts.size(); i++) {
            Verdict v = verdicts.get(i);
            if (v != null && Boolean.TRUE.equals(v.fields().get("is_anomaly"))) idx.add(offset + i);
        }
        return idx;
    }

    /** A sawtooth 0..9 (period 10), raised by 20 in the given [start, end) episodes. */
    static double[] sawtooth(int n, int... episodes) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = i % 10;
            for (int e = 0; e < episodes.length; e += 2) if (i >= episodes[e] && i < episodes[e + 1]) v[i] += 20;
        }
        return v;
    }

    @Test
    void statisticAndLimit() throws Exception {
        // KL([.5,.5,0,0,0] || [.25,.25,.25,.25,0]) = ln 2; statistic 2 W KL
        double s = Patterns.statistic(new double[] {0.5, 0.5, 0, 0, 0}, new double[] {0.25, 0.25, 0.25, 0.25, 0}, 10);
        assertEquals(20 * Math.log(2), s, 1e-12);
        assertEquals(0, Patterns.statistic(new double[] {0.2, 0.8}, new double[] {0.2, 0.8}, 50), 1e-12);
        assertEquals(Double.POSITIVE_INFINITY, Patterns.statistic(new double[] {0.5, 0.5}, new double[] {1, 0}, 10));
        // chi-squared 0.99 quantile with 4 degrees of freedom (tables: 13.277)
        assertEquals(13.2767, EntropyDetector.create(opts()).limit(), 1e-3);
    }

    private static Options opts() {
        try {
            return Options.of("field", "v");
        } catch (OptionException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void binsOfTheCalibrationRange() throws Exception {
        EntropyDetector d = detector("eCalibration", 2L);
        EntropyDetector.FieldState st = d.new FieldState();
        st.add(0);
        st.add(10); // range [0, 10], step 2
        assertEquals(0, st.bin(0));
        assertEquals(0, st.bin(2));
        assertEquals(1, st.bin(2.01));
        assertEquals(4, st.bin(10));
        assertEquals(4, st.bin(15), "above the range: top bin");
        assertEquals(0, st.bin(-3), "below the range: bottom bin");
    }

    @Test
    void aNewLevelIsFlaggedAndARecurringOneIsNot() throws Exception {
        double[] v = sawtooth(2400, 600, 900, 1500, 1800);
        List<Verdict> verdicts = feed(detector(), v, 0, v.length);
        for (int i = 0; i < 299; i++) assertNull(verdicts.get(i), "calibrating at " + i);
        List<Integer> flags = flagged(verdicts, 0);
        assertTrue(!flags.isEmpty() && flags.get(0) >= 600 && flags.get(0) < 650, "first flag soon after the shift: " + flags);
        // the first episode (shift and return) makes new patterns; the same episode again matches them
        assertTrue(flags.stream().allMatch(i -> i < 1100), "nothing flagged in the second, identical episode: " + flags);
        assertTrue(flags.stream().anyMatch(i -> i >= 900), "the return to the old level is a change too: " + flags);

        // with eRecur 2 a pattern's second match is still flagged too: more flags, never fewer; the calibration's
        // own pattern counts as established from the start
        List<Integer> twice = flagged(feed(detector("eRecur", 2L), v, 0, v.length), 0);
        assertTrue(twice.containsAll(flags) && twice.size() > flags.size(), "eRecur=2: " + twice + " vs " + flags);
        assertTrue(twice.get(0) >= 600, "eRecur=2: " + twice);

        // hold-off: one alert per incident
        List<Integer> once = flagged(feed(detector("eHoldoff", 1000L), v, 0, v.length), 0);
        assertEquals(List.of(flags.get(0)), once, "one flag for the whole episode");
        List<Integer> spaced = flagged(feed(detector("eHoldoff", 200L), v, 0, v.length), 0);
        assertEquals(flags.get(0), spaced.get(0));
        assertTrue(spaced.size() >= 2 && spaced.size() < flags.size(), "hold-off 200: " + spaced + " vs " + flags);
        for (int i = 1; i < spaced.size(); i++) assertTrue(spaced.get(i) > spaced.get(i - 1) + 200, "hold-off 200: " + spaced);
    }

    @Test
    void aSpikeNeedsTheSpikeCheck() throws Exception {
        double[] v = new double[1000];
        for (int i = 0; i < v.length; i++) v[i] = 5 + 5 * Math.sin(2 * Math.PI * i / 20);
        v[700] = 100;
        assertEquals(List.of(), flagged(feed(detector(), v, 0, v.length), 0), "one value barely moves a histogram");
        List<Verdict> verdicts = feed(detector("eSpike", 6.0), v, 0, v.length);
        List<Integer> flags = flagged(verdicts, 0);
        assertEquals(700, flags.get(0));
        Anomaly a = verdicts.get(700).anomaly();
        assertNotNull(a);
        assertTrue(a.description().contains("spiked"), a.description());
        // flagged as a spike only: its score is on the threshold's scale, above it
        double score = ((Number) verdicts.get(700).fields().get("anomaly_score")).doubleValue();
        double thr = ((Number) verdicts.get(700).fields().get("threshold")).doubleValue();
        assertTrue(score > thr, "anomaly_score " + score + " vs threshold " + thr);
        assertTrue(a.score() > thr, "event score " + a.score());
    }

    @Test
    void aFlatCalibrationStillSeesAChange() throws Exception {
        double[] v = new double[700];
        for (int i = 0; i < v.length; i++) v[i] = i < 500 ? 5 : 5.5;
        List<Integer> flags = flagged(feed(detector(), v, 0, v.length), 0);
        assertTrue(!flags.isEmpty() && flags.get(0) >= 500 && flags.get(0) < 520, "flags: " + flags);
        assertTrue(flags.stream().allMatch(i -> i >= 500));
    }

    @Test
    void snapshotRestoresIdenticalOutputs() throws Exception {
        double[] v = sawtooth(2000, 900, 1200);
        v[1500] = 60;
        EntropyDetector a = detector("eSpike", 6.0, "eHoldoff", 50L);
        feed(a, v, 0, 950);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        a.save(new DataOutputStream(bytes));
        EntropyDetector b = detector("eSpike", 6.0, "eHoldoff", 50L);
        b.load(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        List<Verdict> ra = feed(a, v, 950, v.length);
        List<Verdict> rb = feed(b, v, 950, v.length);
        assertTrue(!flagged(ra, 950).isEmpty());
        for (int i = 0; i < ra.size(); i++) assertEquals(ra.get(i).fields(), rb.get(i).fields(), "value " + (950 + i));

        EntropyDetector other = detector("eWindow", 50L);
        var e = assertThrows(java.io.IOException.class,
                () -> other.load(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()))));
        assertTrue(e.getMessage().contains("eWindow=100"), e.getMessage());
    }

    @Test
    void badOptionsNameTheOption() {
        for (Object[] bad : new Object[][] {{"eBins", 1L}, {"eWindow", 1L}, {"eAlpha", 1.0}, {"eCalibration", 0L},
                {"eRecur", 0L}, {"ePatterns", 0L}, {"eHoldoff", -1L}, {"eSpike", -1.0}}) {
            var e = assertThrows(OptionException.class, () -> detector(bad));
            assertTrue(e.getMessage().contains("'" + bad[0] + "'"), e.getMessage());
        }
        var e = assertThrows(OptionException.class, () -> EntropyDetector.create(Options.of("detector", "entropy")));
        assertTrue(e.getMessage().contains("'field'"));
    }

    @Test
    void anAlphaTooSmallForTheQuantileIsRefused() throws Exception {
        // the limit is the 1 - eAlpha quantile: below ~1e-14, 1 - eAlpha loses its digits (1e-15 gave a limit of 4.5e7
        // instead of ~70, so no window ever changed distribution) or is 1 (limit and output threshold Infinity)
        for (double tiny : new double[] {1e-15, 1e-20, 1e-300, Double.MIN_VALUE}) {
            var e = assertThrows(OptionException.class, () -> detector("eAlpha", tiny));
            assertEquals("option 'eAlpha' must be in [1.0E-12, 1), got " + tiny, e.getMessage());
        }
        for (long bins : new long[] {2, 5, 1000}) {
            double limit = detector("eAlpha", 1e-12, "eBins", bins).limit();
            double risk = 1 - new org.apache.commons.math3.distribution.ChiSquaredDistribution(bins - 1).cumulativeProbability(limit);
            assertEquals(1e-12, risk, 1e-14, "the limit of " + bins + " bins is the true quantile");
        }
    }

    @Test
    void aSpikeThresholdAboveTheScoreCapIsRefused() throws Exception {
        // z-scores are capped at 1e6, so eSpike=1e7 was accepted and the spike check silently never fired
        var e = assertThrows(OptionException.class, () -> detector("eSpike", 1e7));
        assertTrue(e.getMessage().startsWith("option 'eSpike' must be in [0, 1000000)"), e.getMessage());
        org.junit.jupiter.api.Assertions.assertDoesNotThrow(() -> detector("eSpike", 999_999.0));
    }

    @Test
    void theStoreOfPatternsIsBoundedAtInit() throws Exception {
        // ePatterns x eBins values per group and field: 1e6 x 1000 was accepted (8 GB per field, and each value
        // compared with all of them), and a window with mass in a bin no pattern has makes a new pattern
        var e = assertThrows(OptionException.class, () -> detector("ePatterns", 1_000_000L, "eBins", 1000L));
        assertEquals("options 'ePatterns' x 'eBins' must be at most 1000000 (8 MB of patterns per group and field), "
                + "got 1000000 x 1000", e.getMessage());
        assertThrows(OptionException.class, () -> detector("ePatterns", 200_001L));
        detector("ePatterns", 200_000L);
        detector("ePatterns", 1000L, "eBins", 1000L);
    }

    @Test
    void patternsAreBounded() throws Exception {
        Patterns p = new Patterns(2);
        p.add(new double[] {1, 0});
        p.match(0);
        p.add(new double[] {0, 1});
        p.add(new double[] {0.5, 0.5}); // forgets {0,1}, matched least
        assertEquals(2, p.size());
        assertEquals(0, p.closest(new double[] {1, 0}, 10)[0]);
        assertEquals(1, p.closest(new double[] {0.5, 0.5}, 10)[0]);
        assertEquals(20 * Math.log(2), p.closest(new double[] {0, 1}, 10)[1], 1e-12, "{0,1} is forgotten");
    }

    @Test
    void aLargeRecurDoesNotStallTheFirstJudgement() throws Exception {
        // the first pattern used to be made established by counting up to eRecur one by one (1e12: ~45 min)
        EntropyDetector d = detector("eRecur", 1_000_000_000_000L);
        double[] v = new double[600];
        java.util.Random r = new java.util.Random(2);
        for (int i = 0; i < v.length; i++) v[i] = r.nextGaussian();
        List<Verdict> out = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(60),
                () -> feed(d, v, 0, v.length));
        assertTrue(out.stream().anyMatch(x -> x != null), "judged after calibration");
    }
}
