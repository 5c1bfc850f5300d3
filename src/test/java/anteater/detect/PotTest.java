package anteater.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class PotTest {

    @Test
    void exponentialTailGivesTheTrueQuantile() {
        Random r = new Random(1);
        double[] s = new double[200_000];
        for (int i = 0; i < s.length; i++) s[i] = -Math.log(1 - r.nextDouble());
        Pot.Fit f = Pot.fit(s, 1e-4, 0.98);
        // Exp(1): P(X > z) = q  <=>  z = -ln q = 9.21
        assertEquals(-Math.log(1e-4), f.threshold(), 0.35, "threshold " + f);
        assertEquals(0.0, f.gamma(), 0.05, "shape of an exponential tail " + f);
        assertEquals(1.0, f.sigma(), 0.1, "scale " + f);
        assertEquals(Pot.quantileSorted(java.util.Arrays.stream(s).sorted().toArray(), 0.98), f.initial(), 1e-12);
    }

    @Test
    void paretoTailShapeAndQuantile() {
        // GPD with gamma = 0.25, sigma = 1 above 0: quantile of risk q is ((q)^-gamma - 1) / gamma
        Random r = new Random(2);
        double gamma = 0.25;
        double[] s = new double[100_000];
        for (int i = 0; i < s.length; i++) s[i] = (Math.pow(1 - r.nextDouble(), -gamma) - 1) / gamma;
        Pot.Fit f = Pot.fit(s, 1e-4, 0.95);
        double truth = (Math.pow(1e-4, -gamma) - 1) / gamma; // 36
        assertEquals(gamma, f.gamma(), 0.08, f.toString());
        assertEquals(truth, f.threshold(), truth * 0.2, f.toString());
    }

    @Test
    void boundedTailHasNegativeShapeAndStaysBelowTheEndpoint() {
        // GPD with gamma = -0.3, sigma = 1: bounded by sigma / |gamma| = 3.33
        Random r = new Random(3);
        double gamma = -0.3;
        double[] s = new double[100_000];
        for (int i = 0; i < s.length; i++) s[i] = (Math.pow(1 - r.nextDouble(), -gamma) - 1) / gamma;
        Pot.Fit f = Pot.fit(s, 1e-4, 0.95);
        double truth = (Math.pow(1e-4, -gamma) - 1) / gamma; // 3.10
        assertEquals(gamma, f.gamma(), 0.1, f.toString());
        assertEquals(truth, f.threshold(), 0.1, f.toString());
        assertTrue(f.threshold() < 1 / 0.3 + 0.05, f.toString());
    }

    @Test
    void fewScoresFallBackToTheEmpiricalQuantile() {
        Pot.Fit f = Pot.fit(new double[] {1, 2, 3, 4, 5}, 0.1, 0.98);
        assertEquals(Pot.quantileSorted(new double[] {1, 2, 3, 4, 5}, 0.9), f.threshold(), 1e-12);
    }

    @Test
    void refusesBadRisk() {
        assertThrows(IllegalArgumentException.class, () -> Pot.fit(new double[] {1, 2}, 0, 0.98));
        assertThrows(IllegalArgumentException.class, () -> Pot.fit(new double[] {1, 2}, 1, 0.98));
    }

    /** Excesses at the GPD's quantiles (i + 0.5) / n: a sample whose smallest excess is tiny, as in real tails. */
    static double[] quantileSample(double gamma, int n) {
        double[] y = new double[n];
        for (int i = 0; i < n; i++) y[i] = (Math.pow(1 - (i + 0.5) / n, -gamma) - 1) / gamma;
        return y;
    }

    @Test
    void grimshawMatchesScipysMaximumLikelihood() {
        // reference: scipy.stats.genpareto.fit(y, floc=0), scipy 1.17.1, on the same samples
        double[][] cases = { // gamma of the sample, n, fitted shape, fitted scale
            {0.25, 500, 0.246436, 1.002719},
            {0.1, 200, 0.090418, 1.007686},
            {-0.3, 300, -0.309941, 1.009059},
            {0.5, 1000, 0.498494, 1.001005},
        };
        for (double[] c : cases) {
            double[] gs = Pot.grimshaw(quantileSample(c[0], (int) c[1]));
            assertEquals(c[2], gs[0], 2e-4, "shape for gamma " + c[0]);
            assertEquals(c[3], gs[1], 2e-4, "scale for gamma " + c[0]);
        }
    }

    @Test
    void grimshawIsNeverBeatenByAnIndependentLikelihoodSearch() {
        // random GPD samples; the fit's log-likelihood must be at least that of a Nelder-Mead search on
        // (gamma, ln sigma) started at the method-of-moments estimate and at the exponential fit
        Random r = new Random(7);
        int worse = 0;
        StringBuilder why = new StringBuilder();
        for (double gamma : new double[] {-0.4, -0.1, 0.1, 0.25, 0.5}) {
            for (int n : new int[] {50, 500, 3000}) {
                for (int rep = 0; rep < 4; rep++) {
                    double sigma = Math.exp(r.nextGaussian());
                    double[] y = new double[n];
                    for (int i = 0; i < n; i++) y[i] = sigma * (Math.pow(1 - r.nextDouble(), -gamma) - 1) / gamma;
                    double[] gs = Pot.grimshaw(y);
                    double mine = Pot.logLikelihood(y, gs[0], gs[1]);
                    double ref = nelderMead(y);
                    if (mine < ref - 1e-3) {
                        worse++;
                        why.append(String.format(" [gamma %.2f n %d: %.4f < %.4f]", gamma, n, mine, ref));
                    }
                }
            }
        }
        assertEquals(0, worse, "fits below the reference likelihood:" + why);
    }

    private static double nelderMead(double[] y) {
        double mean = java.util.Arrays.stream(y).average().orElse(1);
        double var = java.util.Arrays.stream(y).map(v -> (v - mean) * (v - mean)).sum() / (y.length - 1);
        double gMom = Math.max(-0.9, Math.min(0.45, 0.5 * (1 - mean * mean / var)));
        double sMom = Math.max(1e-9, 0.5 * mean * (mean * mean / var + 1));
        double best = Double.NEGATIVE_INFINITY;
        for (double[] start : new double[][] {{gMom, Math.log(sMom)}, {0.01, Math.log(mean)}}) {
            org.apache.commons.math3.optim.PointValuePair p = new org.apache.commons.math3.optim.nonlinear.scalar
                    .noderiv.SimplexOptimizer(1e-12, 1e-12).optimize(
                    new org.apache.commons.math3.optim.MaxEval(20_000),
                    new org.apache.commons.math3.optim.nonlinear.scalar.ObjectiveFunction(x -> x[0] < -1 ? -1e300
                            : Pot.logLikelihood(y, x[0], Math.exp(x[1]))),
                    org.apache.commons.math3.optim.nonlinear.scalar.GoalType.MAXIMIZE,
                    new org.apache.commons.math3.optim.InitialGuess(start),
                    new org.apache.commons.math3.optim.nonlinear.scalar.noderiv.NelderMeadSimplex(new double[] {0.05, 0.1}));
            best = Math.max(best, p.getValue());
        }
        return best;
    }

    /** The quantile against values worked by hand (the tests above compare it with itself). */
    @Test
    void quantileInterpolatesBetweenOrderStatistics() {
        double[] five = {1, 2, 3, 4, 5};
        assertEquals(1.0, Pot.quantileSorted(five, 0), 1e-12);
        assertEquals(3.0, Pot.quantileSorted(five, 0.5), 1e-12);
        assertEquals(4.6, Pot.quantileSorted(five, 0.9), 1e-12); // h = 3.6: 4 + 0.6 x (5 - 4)
        assertEquals(5.0, Pot.quantileSorted(five, 1), 1e-12);
        assertEquals(12.5, Pot.quantileSorted(new double[] {10, 20}, 0.25), 1e-12);
        assertEquals(7.0, Pot.quantileSorted(new double[] {7}, 0.3), 1e-12);
    }

    /** Peaks are the scores strictly above t; 3 are enough for a tail fit, and a risk outside the tail is empirical. */
    @Test
    void peaksAndTheChoiceBetweenTailFitAndEmpiricalQuantile() {
        double[] s = new double[101];
        for (int i = 0; i <= 100; i++) s[i] = i;
        Pot.Fit tied = Pot.fit(s, 0.01, 0.9); // t = 90 exactly, a score: not a peak
        assertEquals(90.0, tied.initial(), 1e-12);
        assertEquals(10, tied.peaks());
        Pot.Fit three = Pot.fit(s, 0.001, 0.97); // peaks 98, 99, 100
        assertEquals(3, three.peaks());
        assertTrue(three.sigma() > 0, "3 peaks: a tail fit " + three);
        Pot.Fit two = Pot.fit(s, 0.001, 0.98);
        assertEquals(2, two.peaks());
        assertEquals(0.0, two.sigma(), "2 peaks: the empirical quantile " + two);
        assertEquals(Pot.quantileSorted(s, 1 - 0.001), two.threshold(), 1e-12);

        double[] hundred = new double[100];
        for (int i = 0; i < 100; i++) hundred[i] = i;
        Pot.Fit edge = Pot.fit(hundred, 0.1, 0.9); // q n = 10 = the 10 peaks: the risk is not inside the tail
        assertEquals(10, edge.peaks());
        assertEquals(0.0, edge.sigma(), edge.toString());
        assertEquals(89.1, edge.threshold(), 1e-9);
        assertTrue(Pot.fit(hundred, 0.09, 0.9).sigma() > 0, "q n = 9 < 10 peaks: fitted");
    }

    @Test
    void refusesALevelOutsideTheOpenUnitInterval() {
        assertThrows(IllegalArgumentException.class, () -> Pot.fit(new double[] {1, 2}, 0.01, 0));
        assertThrows(IllegalArgumentException.class, () -> Pot.fit(new double[] {1, 2}, 0.01, 1));
        assertThrows(IllegalArgumentException.class, () -> Pot.fit(new double[] {Double.NaN}, 0.01, 0.98));
    }
}
