package anteater.rca;

import static anteater.rca.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import anteater.sink.AnomalyEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Pooled correlation of anomaly windows against a brute-force statement of it: every value of the longer window
 * whose time lies where both windows are, paired with the value of the other window nearest in time (a tie to the
 * later one), the first list's value always first; Pearson's r over the pairs of every couple, NaN under 4 pairs or
 * when a side is constant. Mutation testing found the alignment of windows of different lengths, more than 64
 * pairs and the bounds unchecked.
 */
class CorrelationOracleTest {

    static double[] times(AnomalyEvent e) {
        int n = e.values().length;
        long t1 = e.timestampMs(), t0 = t1 - e.durationSec() * 1000L;
        double[] t = new double[n];
        for (int i = 0; i < n; i++) t[i] = n == 1 || t1 == t0 ? t1 : t0 + (t1 - t0) * (double) i / (n - 1);
        return t;
    }

    static int nearest(double[] ts, double t) {
        int best = 0;
        for (int j = 1; j < ts.length; j++) {
            if (Math.abs(ts[j] - t) <= Math.abs(ts[best] - t)) best = j;
        }
        return best;
    }

    static double naivePooled(List<AnomalyEvent> as, List<AnomalyEvent> bs) {
        List<double[]> pairs = new ArrayList<>();
        for (AnomalyEvent a : as) {
            for (AnomalyEvent b : bs) {
                if (a.values() == null || b.values() == null || a.values().length < 4 || b.values().length < 4) continue;
                boolean aLonger = a.values().length >= b.values().length;
                AnomalyEvent lng = aLonger ? a : b, sht = aLonger ? b : a;
                double lo = Math.max(a.timestampMs() - a.durationSec() * 1000.0, b.timestampMs() - b.durationSec() * 1000.0);
                double hi = Math.min(a.timestampMs(), b.timestampMs());
                double[] tl = times(lng), tsh = times(sht);
                for (int i = 0; i < tl.length; i++) {
                    if (tl[i] < lo || tl[i] > hi) continue;
                    double u = lng.values()[i], v = sht.values()[nearest(tsh, tl[i])];
                    pairs.add(aLonger ? new double[] {u, v} : new double[] {v, u});
                }
            }
        }
        if (pairs.size() < 4) return Double.NaN;
        double mx = 0, my = 0;
        for (double[] p : pairs) {
            mx += p[0];
            my += p[1];
        }
        mx /= pairs.size();
        my /= pairs.size();
        double sxy = 0, sxx = 0, syy = 0;
        for (double[] p : pairs) {
            sxy += (p[0] - mx) * (p[1] - my);
            sxx += (p[0] - mx) * (p[0] - mx);
            syy += (p[1] - my) * (p[1] - my);
        }
        return sxx == 0 || syy == 0 ? Double.NaN : sxy / Math.sqrt(sxx * syy);
    }

    static AnomalyEvent random(Random r, double[] fault) {
        int n = 1 + r.nextInt(r.nextInt(4) == 0 ? 150 : 40);
        long dur = r.nextInt(10) == 0 ? 0 : 10 + r.nextInt(300);
        // ends at any millisecond: with whole seconds, a value can fall exactly midway between two of the other
        // window's, where the last bits of epoch milliseconds as doubles pick either neighbour (both are right)
        long end = T0 + r.nextInt(400_000);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = r.nextGaussian() + 3 * fault[(int) ((end / 1000 + i * dur / Math.max(1, n)) % fault.length)];
        return Fixtures.window(end, dur, v);
    }

    @Test
    void pooledCorrelationMatchesTheBruteForceStatement() {
        Random r = new Random(7);
        double[] fault = new double[2000];
        for (int i = 0; i < fault.length; i++) fault[i] = Math.sin(i / 7.0) + 0.3 * r.nextGaussian();
        int defined = 0, undefined = 0, over64 = 0;
        for (int trial = 0; trial < 3000; trial++) {
            List<AnomalyEvent> as = new ArrayList<>(), bs = new ArrayList<>();
            for (int k = 1 + r.nextInt(3); k > 0; k--) as.add(random(r, fault));
            for (int k = 1 + r.nextInt(3); k > 0; k--) bs.add(random(r, fault));
            double expected = naivePooled(as, bs), got = Correlation.pooled(as, bs);
            if (Double.isNaN(expected)) {
                assertTrue(Double.isNaN(got), "trial " + trial + ": " + got);
                undefined++;
            } else {
                assertEquals(expected, got, 1e-9, "trial " + trial);
                defined++;
                if (as.stream().mapToInt(e -> e.values().length).max().orElse(0) > 64) over64++;
            }
        }
        assertTrue(defined > 800 && undefined > 300 && over64 > 100, defined + " defined, " + undefined + " NaN, " + over64 + " long");
    }

    @Test
    void fourPairsAreTheLeastAndAConstantSideHasNoCorrelation() {
        double[] a4 = {1, 2, 3, 5}, b4 = {2, 4, 6, 10};
        assertEquals(1.0, Correlation.between(Fixtures.window(T0, 30, a4), Fixtures.window(T0, 30, b4)), 1e-12, "4 pairs");
        assertEquals(-1.0, Correlation.between(Fixtures.window(T0, 30, a4), Fixtures.window(T0, 30, new double[] {-2, -4, -6, -10})), 1e-12);
        assertTrue(Double.isNaN(Correlation.between(Fixtures.window(T0, 30, new double[] {1, 2, 3}), Fixtures.window(T0, 30, new double[] {1, 2, 3}))),
                "windows of 3 values");
        // 4 values each, but only 3 of them where both windows are: the second starts 10 s into the first
        assertTrue(Double.isNaN(Correlation.between(Fixtures.window(T0, 30, a4), Fixtures.window(T0 + 10_000, 30, b4))));
        assertTrue(Double.isNaN(Correlation.between(Fixtures.window(T0, 30, a4), Fixtures.window(T0, 30, new double[] {7, 7, 7, 7}))), "constant");
        assertTrue(Double.isNaN(Correlation.between(Fixtures.window(T0, 30, new double[] {7, 7, 7, 7}), Fixtures.window(T0, 30, a4))), "constant first");
        assertTrue(Double.isNaN(Correlation.between(Fixtures.window(T0, 30, null), Fixtures.window(T0, 30, a4))), "no values");
        // pairs pooled over two couples: 2 + 2 of windows of 4 that overlap by half each
        AnomalyEvent x1 = Fixtures.window(T0, 30, a4), x2 = Fixtures.window(T0 + 100_000, 30, b4);
        AnomalyEvent y1 = Fixtures.window(T0 + 20_000, 30, new double[] {3, 5, 8, 9}), y2 = Fixtures.window(T0 + 120_000, 30, new double[] {6, 10, 1, 1});
        double r = Correlation.pooled(List.of(x1, x2), List.of(y1, y2));
        assertEquals(naivePooled(List.of(x1, x2), List.of(y1, y2)), r, 1e-12);
        assertTrue(Double.isNaN(Correlation.pooled(List.of(x1), List.of(y1))), "2 pairs alone");
        assertEquals(0, Correlation.overlapMs(x1, x2));
        assertEquals(10_000, Correlation.overlapMs(x1, y1));
        assertEquals(10_000, Correlation.overlapMs(y1, x1));
    }
}
