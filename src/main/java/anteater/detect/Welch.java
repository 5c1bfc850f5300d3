package anteater.detect;

import org.apache.commons.math3.special.Beta;

/**
 * Welch's two-sided t-test for two samples with unequal variances, from their sizes, means and sample
 * variances. Same statistic, degrees of freedom and p-value as commons-math3's {@code TTest.tTest(double[],
 * double[])}, but without allocation, and defined where that one gives NaN or refuses:
 * both variances zero (equal means: t = 0, p = 1; different means: t = +-inf, p = 0), a window of one value
 * (tested as a new draw from the history: t = (x - mean) / (s sqrt(1 + 1/n)), df = n - 1), and a history of one
 * value (its variance counts as zero; the detector only judges against two or more). Variances beyond double range give p = 1 (nothing is significant against them),
 * and the degrees of freedom are computed without squaring the variances, so large ones do not overflow.
 */
public final class Welch {
    public final double t;
    public final double pValue;
    public final double df;

    private Welch(double t, double pValue, double df) {
        this.t = t;
        this.pValue = pValue;
        this.df = df;
    }

    /** Sample 1 is the window, sample 2 the history; t is positive when the window's mean is larger. */
    public static Welch test(long n1, double mean1, double var1, long n2, double mean2, double var2) {
        if (n1 < 1 || n2 < 1) throw new IllegalArgumentException("both samples need at least one value");
        if (n1 == 1 && n2 > 1 && var2 > 0 && Double.isFinite(var2)) {
            // one new value: its spread is unknown, so it is tested as a new draw from the history's distribution
            // (prediction interval): t = (x - mean) / (s sqrt(1 + 1/n)), df = n - 1
            double se = Math.sqrt(var2 * (1 + 1.0 / n2));
            double t = (mean1 - mean2) / se;
            double df = n2 - 1;
            return new Welch(t, twoSided(t, df), df);
        }
        double a = n1 > 1 ? Math.max(0.0, var1) / n1 : 0.0;
        double b = n2 > 1 ? Math.max(0.0, var2) / n2 : 0.0;
        double diff = mean1 - mean2;
        double se2 = a + b;
        if (se2 == 0.0) {
            if (diff == 0.0) return new Welch(0.0, 1.0, Double.NaN);
            return new Welch(diff > 0 ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY, 0.0, Double.NaN);
        }
        if (Double.isInfinite(se2) || Double.isNaN(diff)) {
            // a spread beyond double range (values near 1e154 and up): no difference is significant against it
            return new Welch(Double.isFinite(diff) ? 0.0 : Double.NaN, 1.0, Double.NaN);
        }
        double t = diff / Math.sqrt(se2);
        // Welch-Satterthwaite df = se2^2 / (a^2/(n1-1) + b^2/(n2-1)), in shares of se2 so that squares of
        // large variances do not overflow
        double ra = a / se2, rb = b / se2;
        double den = (n1 > 1 ? ra * ra / (n1 - 1) : 0.0) + (n2 > 1 ? rb * rb / (n2 - 1) : 0.0);
        double df = 1.0 / den;
        return new Welch(t, twoSided(t, df), df);
    }

    /** Two-sided p = I_{df/(df+t^2)}(df/2, 1/2), the regularized incomplete beta function. */
    private static double twoSided(double t, double df) {
        if (Double.isInfinite(t)) return 0.0;
        double p = Beta.regularizedBeta(df / (df + t * t), 0.5 * df, 0.5);
        if (p > 1.0) return 1.0;
        if (p < 0.0) return 0.0;
        return Double.isNaN(p) ? 1.0 : p; // no evidence either way is no anomaly
    }
}
