package anteater.detect;

import org.apache.commons.math3.special.Beta;

/**
 * Welch's two-sided t-test for two samples with unequal variances, from their sizes, means and sample
 * variances. Same statistic, degrees of freedom and p-value as commons-math3's {@code TTest.tTest(double[],
 * double[])}, but without allocation, and defined where that one gives NaN or refuses:
 * both variances zero (equal means: t = 0, p = 1; different means: t = +-inf, p = 0) and samples of one value
 * (whose variance counts as zero).
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
        double a = n1 > 1 ? Math.max(0.0, var1) / n1 : 0.0;
        double b = n2 > 1 ? Math.max(0.0, var2) / n2 : 0.0;
        double diff = mean1 - mean2;
        double se2 = a + b;
        if (se2 == 0.0) {
            if (diff == 0.0) return new Welch(0.0, 1.0, Double.NaN);
            return new Welch(diff > 0 ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY, 0.0, Double.NaN);
        }
        double t = diff / Math.sqrt(se2);
        double den = (n1 > 1 ? a * a / (n1 - 1) : 0.0) + (n2 > 1 ? b * b / (n2 - 1) : 0.0);
        double df = se2 * se2 / den;
        double p;
        if (Double.isInfinite(t)) {
            p = 0.0;
        } else {
            // two-sided p = I_{df/(df+t^2)}(df/2, 1/2), the regularized incomplete beta function
            double x = df / (df + t * t);
            p = Beta.regularizedBeta(x, 0.5 * df, 0.5);
            if (p > 1.0) p = 1.0;
            if (p < 0.0 || Double.isNaN(p)) p = 0.0;
        }
        return new Welch(t, p, df);
    }
}
