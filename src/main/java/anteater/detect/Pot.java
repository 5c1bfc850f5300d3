package anteater.detect;

import java.util.Arrays;

/**
 * Peaks-over-threshold (Siffer et al., "Anomaly Detection in Streams with Extreme Value Theory", KDD 2017):
 * the tail of the scores above an initial high quantile is fitted by a generalised Pareto distribution
 * (Grimshaw's method), which gives the score exceeded with probability {@code q}.
 *
 * <p>{@code threshold = t + (sigma / gamma) * ((q * n / nPeaks)^(-gamma) - 1)}, or
 * {@code t - sigma * ln(q * n / nPeaks)} when gamma is 0.
 */
public final class Pot {
    /** The fitted tail: initial threshold t, GPD shape gamma and scale sigma, and the final threshold. */
    public record Fit(double initial, double gamma, double sigma, int peaks, int n, double q, double threshold) {
    }

    private Pot() {
    }

    /**
     * Fits POT on the scores.
     *
     * @param scores   calibration scores (finite values are used)
     * @param q        risk: the probability of a normal score above the threshold, in (0, 1)
     * @param level    quantile of the initial threshold t, in (0, 1), e.g. 0.98
     */
    public static Fit fit(double[] scores, double q, double level) {
        if (!(q > 0 && q < 1)) throw new IllegalArgumentException("q must be in (0, 1), got " + q);
        if (!(level > 0 && level < 1)) throw new IllegalArgumentException("level must be in (0, 1), got " + level);
        double[] s = Arrays.stream(scores).filter(Double::isFinite).sorted().toArray();
        int n = s.length;
        if (n == 0) throw new IllegalArgumentException("POT needs at least one finite score");
        double t = quantileSorted(s, level);
        int first = n;
        for (int i = 0; i < n; i++) {
            if (s[i] > t) {
                first = i;
                break;
            }
        }
        int np = n - first;
        if (np < 3 || q * n >= np) {
            // too few peaks for a tail fit, or the risk is not in the tail: an empirical quantile
            return new Fit(t, 0, 0, np, n, q, quantileSorted(s, 1 - q));
        }
        double[] y = new double[np];
        for (int i = 0; i < np; i++) y[i] = s[first + i] - t;
        double[] gs = grimshaw(y);
        double gamma = gs[0], sigma = gs[1];
        double r = q * n / np;
        double z = Math.abs(gamma) < 1e-9 ? t - sigma * Math.log(r) : t + sigma / gamma * (Math.pow(r, -gamma) - 1);
        if (!Double.isFinite(z)) z = s[n - 1];
        return new Fit(t, gamma, sigma, np, n, q, z);
    }

    /** The p-quantile of sorted values, linear interpolation between order statistics. */
    public static double quantileSorted(double[] s, double p) {
        if (s.length == 1) return s[0];
        double h = p * (s.length - 1);
        int lo = (int) Math.floor(h);
        int hi = Math.min(s.length - 1, lo + 1);
        return s[lo] + (h - lo) * (s[hi] - s[lo]);
    }

    /** {gamma, sigma} of a GPD fitted to positive excesses y by maximum likelihood (Grimshaw's reduction). */
    static double[] grimshaw(double[] y) {
        double ymin = Double.MAX_VALUE, ymax = 0, mean = 0;
        for (double v : y) {
            ymin = Math.min(ymin, v);
            ymax = Math.max(ymax, v);
            mean += v;
        }
        mean /= y.length;
        ymin = Math.max(ymin, 1e-12 * Math.max(ymax, 1e-300));
        // candidates: gamma = 0 (exponential tail) and the roots of u(theta) v(theta) - 1
        double bestLl = logLikelihood(y, 0, mean);
        double bestGamma = 0, bestSigma = mean;
        double eps = 1e-8 / Math.max(mean, 1e-300);
        double[][] ranges = {
            {-1.0 / ymax + eps, -eps},
            {eps, 2 * (mean - ymin) / (ymin * ymin)},
        };
        for (double[] range : ranges) {
            if (!(range[1] > range[0])) continue;
            for (double theta : roots(y, range[0], range[1])) {
                double v = 1;
                for (double yi : y) v += Math.log1p(theta * yi) / y.length;
                double gamma = v - 1;
                double sigma = gamma / theta;
                if (!(sigma > 0) || !Double.isFinite(sigma)) continue;
                double ll = logLikelihood(y, gamma, sigma);
                if (ll > bestLl) {
                    bestLl = ll;
                    bestGamma = gamma;
                    bestSigma = sigma;
                }
            }
        }
        return new double[] {bestGamma, bestSigma};
    }

    private static double w(double[] y, double theta) {
        double u = 0, v = 0;
        for (double yi : y) {
            double a = 1 + theta * yi;
            u += 1 / a;
            v += Math.log(a);
        }
        u /= y.length;
        v = 1 + v / y.length;
        return u * v - 1;
    }

    /** Sign changes of w on a grid (denser near the ends, where roots lie), refined by bisection. */
    private static double[] roots(double[] y, double a, double b) {
        int grid = 200;
        double[] found = new double[grid];
        int k = 0;
        double prevX = a, prevW = w(y, a);
        for (int i = 1; i <= grid; i++) {
            double f = (double) i / grid;
            double x = a + (b - a) * f * f * (3 - 2 * f); // smoothstep spacing
            double wx = w(y, x);
            if (Double.isFinite(prevW) && Double.isFinite(wx) && Math.signum(prevW) != Math.signum(wx)) {
                double lo = prevX, hi = x, wlo = prevW;
                for (int it = 0; it < 100; it++) {
                    double mid = 0.5 * (lo + hi);
                    double wm = w(y, mid);
                    if (Math.signum(wm) == Math.signum(wlo)) {
                        lo = mid;
                        wlo = wm;
                    } else {
                        hi = mid;
                    }
                }
                found[k++] = 0.5 * (lo + hi);
            }
            prevX = x;
            prevW = wx;
        }
        return Arrays.copyOf(found, k);
    }

    static double logLikelihood(double[] y, double gamma, double sigma) {
        int n = y.length;
        if (Math.abs(gamma) < 1e-12) {
            double s = 0;
            for (double v : y) s += v;
            return -n * Math.log(sigma) - s / sigma;
        }
        double s = 0;
        for (double v : y) {
            double a = 1 + gamma * v / sigma;
            if (a <= 0) return Double.NEGATIVE_INFINITY;
            s += Math.log(a);
        }
        return -n * Math.log(sigma) - (1 + 1 / gamma) * s;
    }
}
