package anteater.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.apache.commons.math3.stat.inference.TTest;
import org.junit.jupiter.api.Test;

class WelchTest {

    private static Welch run(double[] window, double[] history) {
        double[] w = Stats.meanAndVariance(window, window.length);
        double[] h = Stats.meanAndVariance(history, history.length);
        return Welch.test(window.length, w[0], w[1], history.length, h[0], h[1]);
    }

    /**
     * Reference values computed independently with SciPy 1.17.1:
     * {@code scipy.stats.ttest_ind(a, b, equal_var=False)} (Welch's two-sided test), printed with repr().
     */
    @Test
    void matchesScipyReferenceValues() {
        double[][][] cases = {
            {{1, 2, 3, 4, 5}, {2, 4, 6, 8, 10, 12}},
            {{220.1, 219.8, 220.3, 220.0, 219.9, 220.2}, {220.0, 220.1, 219.9, 220.0, 220.05, 219.95, 220.1, 219.9}},
            {{10.5, 11.2, 9.8, 10.9, 30.1}, {10.0, 10.1, 9.9, 10.2, 9.8, 10.0, 10.3}},
            {{0.001, 0.002, 0.0015}, {100.0, 101.0, 99.5, 100.5}},
        };
        double[][] expected = {
            {-2.3763541031440183, 0.04928433820673053},
            {0.6137439322310148, 0.56059918222303},
            {1.1406388529994687, 0.31764413411706355},
            {-310.60849254244727, 7.358757571690017e-08},
        };
        for (int i = 0; i < cases.length; i++) {
            Welch r = run(cases[i][0], cases[i][1]);
            assertEquals(expected[i][0], r.t, 1e-9 * Math.abs(expected[i][0]), "t of case " + i);
            assertEquals(expected[i][1], r.pValue, 1e-7 * expected[i][1], "p of case " + i);
        }
    }

    @Test
    void agreesWithCommonsMath() {
        java.util.Random rnd = new java.util.Random(7);
        TTest cm = new TTest();
        for (int k = 0; k < 200; k++) {
            double[] a = new double[2 + rnd.nextInt(50)];
            double[] b = new double[2 + rnd.nextInt(500)];
            double shift = rnd.nextGaussian();
            for (int i = 0; i < a.length; i++) a[i] = shift + rnd.nextGaussian() * (1 + rnd.nextInt(3));
            for (int i = 0; i < b.length; i++) b[i] = rnd.nextGaussian();
            Welch r = run(a, b);
            assertEquals(cm.t(a, b), r.t, 1e-9 * Math.max(1, Math.abs(r.t)));
            assertEquals(cm.tTest(a, b), r.pValue, 1e-9);
        }
    }

    @Test
    void zeroVarianceIsDefined() {
        Welch same = run(new double[] {5, 5, 5}, new double[] {5, 5, 5, 5});
        assertEquals(0.0, same.t);
        assertEquals(1.0, same.pValue);
        Welch differ = run(new double[] {6, 6, 6}, new double[] {5, 5, 5, 5});
        assertEquals(Double.POSITIVE_INFINITY, differ.t);
        assertEquals(0.0, differ.pValue);
        Welch below = run(new double[] {4, 4}, new double[] {5, 5});
        assertEquals(Double.NEGATIVE_INFINITY, below.t);
        assertEquals(0.0, below.pValue);
    }

    @Test
    void oneSidedZeroVarianceAndSingleValues() {
        // constant history, varying window: reduces to a one-sample test of the window against the history mean
        Welch r = run(new double[] {1, 2, 3, 4}, new double[] {2, 2, 2, 2, 2});
        assertEquals((2.5 - 2.0) / Math.sqrt((5.0 / 3) / 4), r.t, 1e-12);
        assertFalse(Double.isNaN(r.pValue));
        Welch single = run(new double[] {3}, new double[] {1, 2, 3, 4});
        assertFalse(Double.isNaN(single.pValue));
        // one value against the history: the prediction-interval t with n - 1 degrees of freedom
        double s = Math.sqrt(5.0 / 3);
        assertEquals((3 - 2.5) / (s * Math.sqrt(1 + 1.0 / 4)), single.t, 1e-12);
        assertEquals(3.0, single.df);
        Welch both = run(new double[] {3}, new double[] {3});
        assertEquals(1.0, both.pValue);
    }

    @Test
    void largeVariancesDoNotOverflowTheDegreesOfFreedom() {
        // equal sizes and variances: df = 2 (n - 1) whatever the scale; a^2 alone would overflow at 1e300
        Welch r = Welch.test(10, 0, 1e300, 10, 1e140, 1e300);
        assertEquals(18.0, r.df, 1e-9);
        assertEquals(1.0, r.pValue, 1e-6, "a difference far below the spread");
        // a spread beyond double range: nothing is significant against it (it used to give p = 0)
        Welch inf = Welch.test(4, 1, Double.POSITIVE_INFINITY, 10, 0, 1);
        assertEquals(1.0, inf.pValue);
        assertEquals(0.0, inf.t);
    }
}
