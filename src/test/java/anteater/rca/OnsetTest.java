package anteater.rca;

import static anteater.rca.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import anteater.sink.AnomalyEvent;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * When an anomaly began: the change point inside a window, checked against a plain statement of it, and the
 * intervals worked out by hand. Mutation testing found these reached only through the ranker's orderings.
 */
class OnsetTest {
    static final long D = 170_000; // Fixtures' window: 18 points, 10 s apart
    static final long START = T0 - D;

    /**
     * The change point stated plainly: for each split k in [2, n - 2], the two means and the pooled standard
     * deviation (two-pass sums of squares, n - 2 degrees of freedom), t = |m2 - m1| / (sd sqrt(1/k + 1/(n - k)));
     * the first split with the largest t, if t >= 4, else -1; fewer than 6 values: -1.
     */
    static int naiveChangePoint(double[] v) {
        if (v == null || v.length < 6) return -1;
        int n = v.length, best = -1;
        double bestT = 0;
        for (int k = 2; k <= n - 2; k++) {
            double m1 = 0, m2 = 0;
            for (int i = 0; i < k; i++) m1 += v[i];
            for (int i = k; i < n; i++) m2 += v[i];
            m1 /= k;
            m2 /= n - k;
            double ss = 0;
            for (int i = 0; i < k; i++) ss += (v[i] - m1) * (v[i] - m1);
            for (int i = k; i < n; i++) ss += (v[i] - m2) * (v[i] - m2);
            double sd = Math.sqrt(Math.max(ss, 1e-300) / (n - 2));
            double t = Math.abs(m2 - m1) / (sd * Math.sqrt(1.0 / k + 1.0 / (n - k)));
            if (t > bestT) {
                bestT = t;
                best = k;
            }
        }
        return bestT >= 4 ? best : -1;
    }

    @Test
    void theChangePointIsTheSplitWithTheLargestT() {
        Random r = new Random(42);
        int found = 0, none = 0;
        for (int trial = 0; trial < 2000; trial++) {
            int n = 6 + r.nextInt(60);
            int at = 2 + r.nextInt(n - 3);
            double shift = r.nextInt(4) == 0 ? 0 : (r.nextDouble() - 0.5) * 12;
            double base = (r.nextDouble() - 0.5) * 1e4;
            double[] v = new double[n];
            for (int i = 0; i < n; i++) v[i] = base + r.nextGaussian() + (i >= at ? shift : 0);
            int expected = naiveChangePoint(v);
            assertEquals(expected, Onset.changePoint(v), "trial " + trial);
            if (expected >= 0) found++;
            else none++;
        }
        // both outcomes were exercised, and often
        assertEquals(true, found > 500 && none > 300, found + " found, " + none + " none");
    }

    @Test
    void theSplitsRunFromTheSecondValueToTheSecondLastAndNeedSixValues() {
        assertEquals(2, Onset.changePoint(step(18, 2)), "only the first two before the step");
        assertEquals(16, Onset.changePoint(step(18, 16)), "only the last two after it");
        assertEquals(3, Onset.changePoint(step(6, 3)), "six values are enough");
        assertEquals(-1, Onset.changePoint(step(5, 3)), "five are not");
        assertEquals(-1, Onset.changePoint(null));
        double[] constant = new double[18];
        java.util.Arrays.fill(constant, 7);
        assertEquals(-1, Onset.changePoint(constant), "no difference: no split");
    }

    /** n values alternating 50 / 50.5 with 10 added from index {@code at} on. */
    static double[] step(int n, int at) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = 50 + (i % 2) * 0.5 + (i >= at ? 10 : 0);
        return v;
    }

    @Test
    void aStepInsideTheWindowGivesTheFewStepsBeforeIt() {
        // 18 values over 170 s: one every 10 s; the step at index 9 is at start + 90 s
        long[] iv = Onset.interval(Fixtures.window(T0, 170, step(18, 9)));
        assertArrayEquals(new long[] {START + 60_000, START + 90_000}, iv);
        assertEquals(START + 75_000, Onset.of(Fixtures.window(T0, 170, step(18, 9))));
        // 35 values over 170 s: 5 s apart; the index rounds to the nearest ms
        long[] iv35 = Onset.interval(Fixtures.window(T0, 170, step(35, 20)));
        long at = START + Math.round(170_000.0 * 20 / 34);
        assertArrayEquals(new long[] {at - 3 * (170_000 / 34), at}, iv35);
    }

    @Test
    void withoutAStepTheAnomalyBeganUpToHalfAWindowBeforeTheStart() {
        double[] flat = new double[18];
        for (int i = 0; i < 18; i++) flat[i] = 60 + (i % 3);
        assertArrayEquals(new long[] {START - 85_000, START}, Onset.interval(Fixtures.window(T0, 170, flat)));
        assertEquals(START - 42_500, Onset.of(Fixtures.window(T0, 170, flat)));
        assertArrayEquals(new long[] {START - 85_000, START}, Onset.interval(Fixtures.window(T0, 170, null)), "no values");
        // a window of no length: its end, even with a step in its values
        assertArrayEquals(new long[] {T0, T0}, Onset.interval(Fixtures.window(T0, 0, step(18, 9))));
    }

    @Test
    void anEpisodeBeginsWithTheEarliestOfItsAdjacentWindows() {
        double[] flat = new double[18];
        for (int i = 0; i < 18; i++) flat[i] = 60 + (i % 3);
        long gap = 85_000;
        AnomalyEvent now = Fixtures.window(T0, 170, flat);
        AnomalyEvent before = Fixtures.window(T0 - D - gap, 170, flat); // ends exactly gap before now starts
        AnomalyEvent beforeThat = Fixtures.window(T0 - 2 * D - 2 * gap - 1, 170, flat); // a millisecond too far from before
        List<AnomalyEvent> es = List.of(beforeThat, before, now);
        assertArrayEquals(Onset.interval(before), Onset.episode(es, now, gap));
        assertArrayEquals(Onset.interval(beforeThat), Onset.episode(es, now, gap + 1));
        assertArrayEquals(Onset.interval(now), Onset.episode(es, now, gap - 1));
        // an anchor not among the events: its own interval
        assertArrayEquals(Onset.interval(now), Onset.episode(List.of(before), now, gap));
        // two windows starting together (two metrics): the one whose onset interval ends first
        AnomalyEvent stepped = new AnomalyEvent(T0, "m1_cpu", "s", "sys", "m1", "cpu", "cpu_iowait", Map.of(), 1, 1, 1, 170,
                List.of(), "", "ttest", step(18, 9));
        assertArrayEquals(new long[] {START - 85_000, START}, Onset.episode(List.of(stepped, now), stepped, gap));
        assertArrayEquals(new long[] {START - 85_000, START}, Onset.episode(List.of(now, stepped), stepped, gap));
    }
}
