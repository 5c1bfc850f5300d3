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
}
