package anteater.detect;

import java.util.function.IntToDoubleFunction;

/** Small numeric helpers shared by detectors. */
public final class Stats {
    private Stats() {
    }

    /** {mean, sample variance} of n values; variance is 0 for n < 2. Two passes, no allocation of the values. */
    public static double[] meanAndVariance(IntToDoubleFunction value, int n) {
        if (n == 0) return new double[] {Double.NaN, 0.0};
        double sum = 0;
        for (int i = 0; i < n; i++) sum += value.applyAsDouble(i);
        double mean = sum / n;
        if (n < 2) return new double[] {mean, 0.0};
        double ss = 0, comp = 0;
        for (int i = 0; i < n; i++) {
            double d = value.applyAsDouble(i) - mean;
            ss += d * d;
            comp += d;
        }
        // corrected two-pass: subtract the rounding error of the mean
        double var = (ss - comp * comp / n) / (n - 1);
        return new double[] {mean, Math.max(0.0, var)};
    }

    public static double[] meanAndVariance(double[] values, int n) {
        return meanAndVariance(i -> values[i], n);
    }

    /** The largest absolute value of the first n values (0 for none). */
    public static double maxAbs(double[] values, int n) {
        double max = 0;
        for (int i = 0; i < n; i++) max = Math.max(max, Math.abs(values[i]));
        return max;
    }

    /**
     * 1 for values up to about 1e150 in magnitude; beyond, the power of two that brings {@code maxAbs} near 1, so
     * that sums and squares of the values taken times it stay finite (multiplying by a power of two is exact).
     */
    public static double scaleFor(double maxAbs) {
        return maxAbs > 1e150 && Double.isFinite(maxAbs) ? Math.scalb(1.0, -Math.getExponent(maxAbs)) : 1.0;
    }
}
