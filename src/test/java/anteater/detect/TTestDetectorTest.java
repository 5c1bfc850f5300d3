package anteater.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TTestDetectorTest {
    static final long SEC = 1_000_000_000L;

    static Window window(String host, long start, double[] values, String field) {
        Window w = new Window("temperatures", "host=" + host, Map.of("host", host), false, values.length);
        for (int i = 0; i < values.length; i++) {
            long t = start + i * SEC;
            w.notePoint(t);
            w.add(field, t, values[i]);
        }
        w.end("temperatures", "host=" + host, Map.of("host", host), false, start + (values.length - 1) * SEC);
        return w;
    }

    static double[] normal(Random r, int n, double mean, double sd) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = mean + sd * r.nextGaussian();
        return v;
    }

    static TTestDetector detector(long size, double alpha) throws OptionException {
        return TTestDetector.create(Options.of("field", "hotend", "size", size, "alpha", alpha));
    }

    @Test
    void firstWindowSeedsThenNormalAndAnomalousWindows() throws Exception {
        TTestDetector d = detector(300, 0.001);
        Random r = new Random(1);
        List<Verdict> out = new ArrayList<>();
        d.process(window("a", 0, normal(r, 300, 220, 1), "hotend"), out);
        assertTrue(out.isEmpty(), "first window only seeds the history");
        d.process(window("a", 300 * SEC, normal(r, 300, 220, 1), "hotend"), out);
        assertEquals(1, out.size());
        Verdict v = out.get(0);
        assertNull(v.anomaly());
        assertEquals("hotend", v.tags().get("field"));
        assertEquals("a", v.tags().get("host"));
        assertEquals(599 * SEC, v.timeNs());
        assertTrue((Double) v.fields().get("pvalue") > 0.001);
        out.clear();
        d.process(window("a", 600 * SEC, normal(r, 300, 235, 1), "hotend"), out);
        Verdict bad = out.get(0);
        assertNotNull(bad.anomaly());
        assertTrue((Double) bad.fields().get("pvalue") < 1e-10);
        assertEquals(Boolean.TRUE, bad.fields().get("is_anomaly"));
        assertEquals("hotend", bad.anomaly().metric());
        assertEquals(300, bad.anomaly().values().length);
        // the anomalous window stayed out of the history: the same fault is still anomalous next time
        out.clear();
        d.process(window("a", 900 * SEC, normal(r, 300, 235, 1), "hotend"), out);
        assertNotNull(out.get(0).anomaly());
        assertEquals(300L, out.get(0).fields().get("history_count"));
    }

    @Test
    void groupsAreIndependentAndBounded() throws Exception {
        TTestDetector d = TTestDetector.create(Options.of("field", "hotend", "size", 100L, "maxGroups", 2L));
        Random r = new Random(2);
        List<Verdict> out = new ArrayList<>();
        d.process(window("a", 0, normal(r, 50, 1, 1), "hotend"), out);
        d.process(window("b", 0, normal(r, 50, 100, 1), "hotend"), out);
        assertTrue(out.isEmpty());
        d.process(window("a", 100 * SEC, normal(r, 50, 1, 1), "hotend"), out);
        d.process(window("b", 100 * SEC, normal(r, 50, 100, 1), "hotend"), out);
        assertEquals(2, out.size());
        assertNull(out.get(0).anomaly());
        assertNull(out.get(1).anomaly());
        // a third group evicts the least recently seen (a)
        d.process(window("c", 0, normal(r, 50, 5, 1), "hotend"), out);
        out.clear();
        d.process(window("a", 200 * SEC, normal(r, 50, 1, 1), "hotend"), out);
        assertTrue(out.isEmpty(), "group a was evicted, so its window seeds again");
    }

    @Test
    void nanInfAndMissingFieldsAreSkippedAndCounted() throws Exception {
        TTestDetector d = detector(100, 0.01);
        Window w1 = new Window("m", "", Map.of(), false, 4);
        double[] vals = {1, Double.NaN, 2, Double.POSITIVE_INFINITY, 3, 2};
        for (int i = 0; i < vals.length; i++) {
            w1.notePoint(i);
            w1.add("hotend", i, vals[i]);
        }
        w1.notePoint(99); // a point without the field
        w1.end("m", "", Map.of(), false, 99);
        List<Verdict> out = new ArrayList<>();
        d.process(w1, out);
        d.process(w1, out);
        assertEquals(1, out.size());
        assertEquals(4L, out.get(0).fields().get("window_count"));
        assertEquals(3L, out.get(0).fields().get("skipped"));
        assertEquals(6L, d.skippedValues());
    }

    @Test
    void windowWithoutTheFieldEmitsNothing() throws Exception {
        TTestDetector d = detector(100, 0.01);
        List<Verdict> out = new ArrayList<>();
        d.process(window("a", 0, new double[] {1, 2, 3}, "other"), out);
        d.process(window("a", 0, new double[] {1, 2, 3}, "other"), out);
        assertTrue(out.isEmpty());
    }

    @Test
    void historyKeepsOnlyTheLastSizeValues() throws Exception {
        TTestDetector d = detector(4, 0.5);
        List<Verdict> out = new ArrayList<>();
        d.process(window("a", 0, new double[] {1, 2, 3, 4, 5, 6}, "hotend"), out);
        d.process(window("a", 0, new double[] {5, 6, 5, 6}, "hotend"), out);
        // history is {3,4,5,6}
        assertEquals(4L, out.get(0).fields().get("history_count"));
        assertEquals(4.5, (Double) out.get(0).fields().get("history_mean"), 1e-12);
    }

    @Test
    void optionsAreValidated() {
        assertThrows(OptionException.class, () -> TTestDetector.create(Options.of("size", 10L)));
        OptionException size = assertThrows(OptionException.class, () -> detector(1, 0.1));
        assertTrue(size.getMessage().contains("'size'"), size.getMessage());
        OptionException alpha = assertThrows(OptionException.class, () -> detector(10, 1.0));
        assertTrue(alpha.getMessage().contains("'alpha'") && alpha.getMessage().contains("(0, 1)"), alpha.getMessage());
        assertThrows(OptionException.class, () -> detector(10, 0.0));
        OptionException unknown = assertThrows(OptionException.class,
                () -> Detectors.create(Options.of("detector", "nope", "field", "x")));
        assertTrue(unknown.getMessage().contains("ttest"), unknown.getMessage());
        OptionException type = assertThrows(OptionException.class, () -> Options.of("size", 1.5));
        assertTrue(type.getMessage().contains("INT"), type.getMessage());
        OptionException name = assertThrows(OptionException.class, () -> Options.of("sise", 1L));
        assertTrue(name.getMessage().contains("valid options"), name.getMessage());
    }

    @Test
    void snapshotRoundTripReproducesTheNextOutputs() throws Exception {
        Options o = Options.of("field", "hotend", "field", "bed", "size", 500L, "alpha", 0.001);
        Detector a = Detectors.create(o);
        Random r = new Random(3);
        List<Verdict> ignore = new ArrayList<>();
        for (int k = 0; k < 5; k++) {
            for (String host : new String[] {"x", "y", "z"}) {
                Window w = window(host, k * 300 * SEC, normal(r, 300, 220, 1), "hotend");
                ignore.clear();
                a.process(w, ignore);
            }
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        a.save(new DataOutputStream(bytes));
        Detector b = Detectors.create(o);
        b.load(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        for (int k = 5; k < 10; k++) {
            double[] v = normal(r, 300, k == 7 ? 230 : 220, 1);
            List<Verdict> ra = new ArrayList<>();
            List<Verdict> rb = new ArrayList<>();
            a.process(window("y", k * 300 * SEC, v, "hotend"), ra);
            b.process(window("y", k * 300 * SEC, v, "hotend"), rb);
            assertEquals(ra.size(), rb.size());
            for (int i = 0; i < ra.size(); i++) {
                assertEquals(ra.get(i).fields(), rb.get(i).fields());
                assertEquals(ra.get(i).tags(), rb.get(i).tags());
                assertEquals(ra.get(i).anomaly() == null, rb.get(i).anomaly() == null);
            }
        }
        ByteArrayOutputStream again = new ByteArrayOutputStream();
        b.save(new DataOutputStream(again));
        ByteArrayOutputStream fromA = new ByteArrayOutputStream();
        a.save(new DataOutputStream(fromA));
        assertFalse(again.size() == 0);
        org.junit.jupiter.api.Assertions.assertArrayEquals(fromA.toByteArray(), again.toByteArray());
    }

    @Test
    void aOnePointSeedDoesNotMakeEveryLaterWindowAnomalous() throws Exception {
        TTestDetector d = detector(300, 0.001);
        Random r = new Random(4);
        List<Verdict> out = new ArrayList<>();
        d.process(window("a", 0, new double[] {10}, "hotend"), out);
        for (int i = 1; i <= 100; i++) {
            d.process(window("a", i * 10 * SEC, new double[] {10 + 0.01 * r.nextGaussian()}, "hotend"), out);
        }
        long anomalous = out.stream().filter(v -> Boolean.TRUE.equals(v.fields().get("is_anomaly"))).count();
        assertEquals(99, out.size(), "two one-point windows seed the history, the other 99 are judged");
        assertTrue(anomalous <= 2, anomalous + " of 99 one-point windows of the same level flagged");
    }

    @Test
    void aHugeValueInTheSeedDoesNotPoisonTheGroup() throws Exception {
        TTestDetector d = detector(8, 0.001);
        Random r = new Random(5);
        List<Verdict> out = new ArrayList<>();
        d.process(window("a", 0, new double[] {1, 2, 1e154, 1.5}, "hotend"), out);
        for (int i = 1; i <= 50; i++) d.process(window("a", i * 10 * SEC, normal(r, 4, 1.5, 0.3), "hotend"), out);
        long anomalous = out.stream().filter(v -> Boolean.TRUE.equals(v.fields().get("is_anomaly"))).count();
        assertTrue(anomalous <= 2, anomalous + " of 50 normal windows flagged after a 1e154 seed value");
        assertTrue(((Number) out.get(out.size() - 1).fields().get("history_stddev")).doubleValue() < 10,
                "the huge value has left the history");
    }

    static void assertFiniteFields(Verdict v) {
        for (Map.Entry<String, Object> f : v.fields().entrySet()) {
            if (f.getValue() instanceof Double d) assertTrue(Double.isFinite(d), f.getKey() + "=" + d + " in " + v.fields());
        }
    }

    @Test
    void aConstantFieldThatChangesLevelWritesAFiniteT() throws Exception {
        // both sides constant and different: t is infinite, which InfluxDB and Kapacitor's alert JSON refuse
        TTestDetector d = detector(100, 0.001);
        List<Verdict> out = new ArrayList<>();
        d.process(window("a", 0, new double[] {5, 5, 5, 5}, "hotend"), out);
        d.process(window("a", 10 * SEC, new double[] {7, 7, 7}, "hotend"), out);
        d.process(window("a", 20 * SEC, new double[] {3, 3}, "hotend"), out);
        assertEquals(2, out.size());
        for (Verdict v : out) assertFiniteFields(v);
        assertEquals(Double.MAX_VALUE, (Double) out.get(0).fields().get("t"));
        assertEquals(-Double.MAX_VALUE, (Double) out.get(1).fields().get("t"));
        assertEquals(0.0, (Double) out.get(0).fields().get("pvalue"));
        assertNotNull(out.get(0).anomaly());
    }

    @Test
    void valuesNearTheDoubleLimitGiveFiniteStatisticsAndAreStillTested() throws Exception {
        // their squares (beyond 1e154) and sums (near 1.8e308) overflowed: window_stddev was infinite or NaN, the
        // means infinite, t NaN, and p = 1 whatever the windows, so a shift of 20 deviations went unseen
        TTestDetector d = detector(300, 0.001);
        Random r = new Random(6);
        double[] seed = normal(r, 200, 1.5e308, 1e306);
        List<Verdict> out = new ArrayList<>();
        d.process(window("a", 0, seed, "hotend"), out);
        d.process(window("a", 300 * SEC, normal(r, 50, 1.5e308, 1e306), "hotend"), out);
        d.process(window("a", 600 * SEC, normal(r, 50, 1.3e308, 1e306), "hotend"), out);
        assertEquals(2, out.size());
        for (Verdict v : out) assertFiniteFields(v);
        Verdict normal = out.get(0), shifted = out.get(1);
        assertNull(normal.anomaly(), normal.fields().toString());
        assertEquals(1.5e308, (Double) normal.fields().get("history_mean"), 1e306);
        assertEquals(1e306, (Double) normal.fields().get("history_stddev"), 2e305);
        assertNotNull(shifted.anomaly(), shifted.fields().toString());
        assertEquals(1.3e308, (Double) shifted.fields().get("window_mean"), 1e306);
        // a window that spans the whole double range: its deviation (2.5e308) is beyond it
        out.clear();
        d.process(window("a", 900 * SEC, new double[] {Double.MAX_VALUE, -Double.MAX_VALUE}, "hotend"), out);
        assertFiniteFields(out.get(0));
        assertEquals(Double.MAX_VALUE, (Double) out.get(0).fields().get("window_stddev"));
    }

    /** What an alert and a gala event are made of: the anomaly's score, span, counts, description and cause. */
    @Test
    void anAnomalyCarriesItsScoreSpanCountsAndDescription() throws Exception {
        TTestDetector d = detector(300, 0.001);
        Random r = new Random(5);
        List<Verdict> out = new ArrayList<>();
        d.process(window("a", 0, normal(r, 60, 220, 1), "hotend"), out);
        d.process(window("a", 60 * SEC, normal(r, 60, 230, 1), "hotend"), out);
        Verdict v = out.get(0);
        Anomaly a = v.anomaly();
        assertNotNull(a);
        double p = (Double) v.fields().get("pvalue");
        assertTrue(p > 0, "p " + p);
        assertEquals(-Math.log10(p), a.score(), 1e-9);
        assertEquals(59, a.durationSec(), "first to last point of the window");
        assertEquals(60, a.anomalyCount());
        assertEquals(60, a.totalCount());
        assertEquals(119 * SEC, a.timeNs());
        assertEquals("temperatures", a.measurement());
        assertEquals(Map.of("host", "a"), a.tags(), "the group's tags, without the output's field tag");
        String desc = a.description();
        assertTrue(desc.startsWith("hotend of temperatures {host=a} is abnormal: window mean 23"), desc);
        assertTrue(desc.contains("vs history mean 22"), desc);
        assertEquals("hotend", a.contributions().get(0).metric());
        assertTrue(a.contributions().get(0).description().startsWith("p-value "), a.contributions().get(0).description());

        // without tags the description names the measurement alone
        TTestDetector bare = detector(300, 0.001);
        List<Verdict> o2 = new ArrayList<>();
        for (long k = 0; k < 2; k++) {
            Window w = new Window("temperatures", "", Map.of(), false, 60);
            double[] vals = normal(r, 60, k == 0 ? 220 : 230, 1);
            for (int i = 0; i < 60; i++) {
                w.notePoint(k * 60 * SEC + i * SEC);
                w.add("hotend", k * 60 * SEC + i * SEC, vals[i]);
            }
            w.end("temperatures", "", Map.of(), false, k * 60 * SEC + 59 * SEC);
            bare.process(w, o2);
        }
        assertTrue(o2.get(0).anomaly().description().startsWith("hotend of temperatures is abnormal"), o2.get(0).anomaly().description());
    }

    /** Two constant samples that differ give p = 0: the score is capped at 400, not infinite. */
    @Test
    void aZeroPValueScoresFourHundred() throws Exception {
        TTestDetector d = detector(300, 0.001);
        List<Verdict> out = new ArrayList<>();
        d.process(window("a", 0, new double[] {5, 5, 5}, "hotend"), out);
        d.process(window("a", 3 * SEC, new double[] {9, 9, 9}, "hotend"), out);
        Verdict v = out.get(0);
        assertEquals(0.0, (Double) v.fields().get("pvalue"));
        assertEquals(400.0, v.anomaly().score());
        assertEquals(Double.MAX_VALUE, (Double) v.fields().get("t"), "t is infinite: the largest double instead");
    }
}
