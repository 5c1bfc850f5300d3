package anteater.detect;

import java.util.Arrays;

/**
 * Peaks-over-threshold (Siffer et al., "Anomaly Detection in Streams with Extreme Value Theory", KDD 2017):
 * the tail of the scores above an initial high quantile is fitted by a generalised Pareto distribution
 * (maximum likelihood in Grimshaw's parametrisation), which gives the score exceeded with probability {@code q}.
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

    /**
     * {gamma, sigma} of a GPD fitted to positive excesses y by maximum likelihood, in Grimshaw's
     * parametrisation: for theta = gamma / sigma the likelihood is maximised in closed form by
     * gamma(theta) = mean(ln(1 + theta y)), sigma = gamma / theta, which leaves a search over theta alone.
     * theta ranges over (-1/ymax, 0) and (0, 2 (mean - ymin) / ymin^2] (Grimshaw's bounds on the roots);
     * the profile likelihood is evaluated on a grid, log-spaced towards both ends of each range (a root-sign
     * search on an even grid misses roots near 0 when the upper bound is huge, as it is when the smallest
     * excess is tiny), the best grid point is refined by golden-section search, and the exponential tail
     * (gamma = 0) competes too. Shapes below -1, where the likelihood is unbounded, are not considered.
     */
    static double[] grimshaw(double[] y) {
        double ymin = Double.MAX_VALUE, ymax = 0, mean = 0;
        for (double v : y) {
            ymin = Math.min(ymin, v);
            ymax = Math.max(ymax, v);
            mean += v;
        }
        mean /= y.length;
        double[] best = {0, mean, logLikelihood(y, 0, mean)};
        if (!(ymax > 0)) return new double[] {best[0], best[1]};
        ymin = Math.max(ymin, 1e-9 * ymax);
        double lowest = 1e-9 / ymax; // |theta| below this is the exponential tail to double precision
        double upper = Math.max(2 * (mean - ymin) / (ymin * ymin), 2 * lowest);
        int grid = 120;
        // negative side: theta = -s / ymax, s in (0, 1), log-spaced towards 0 and towards 1
        double[] neg = new double[2 * grid];
        for (int i = 0; i < grid; i++) {
            double f = (double) i / (grid - 1);
            double s = Math.exp(Math.log(1e-9) * (1 - f) + Math.log(0.5) * f);
            neg[i] = -s / ymax;
            neg[2 * grid - 1 - i] = -(1 - s) / ymax;
        }
        // positive side: log-spaced from lowest to upper
        double[] pos = new double[2 * grid];
        for (int i = 0; i < pos.length; i++) {
            double f = (double) i / (pos.length - 1);
            pos[i] = Math.exp(Math.log(lowest) * (1 - f) + Math.log(upper) * f);
        }
        for (double[] thetas : new double[][] {neg, pos}) {
            java.util.Arrays.sort(thetas);
            int bi = -1;
            double bl = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < thetas.length; i++) {
                double l = profile(y, thetas[i]);
                if (l > bl) {
                    bl = l;
                    bi = i;
                }
            }
            if (bi < 0) continue;
            int l0 = bi, h0 = bi; // the nearest distinct grid points on either side bracket the maximum
            while (l0 > 0 && thetas[l0] == thetas[bi]) l0--;
            while (h0 < thetas.length - 1 && thetas[h0] == thetas[bi]) h0++;
            double lo = thetas[l0], hi = thetas[h0];
            double theta = goldenMax(y, lo, hi);
            if (profile(y, thetas[bi]) > profile(y, theta)) theta = thetas[bi];
            double l = profile(y, theta);
            if (l > best[2]) {
                double gamma = gammaOf(y, theta);
                best = new double[] {gamma, gamma / theta, l};
            }
        }
        return new double[] {best[0], best[1]};
    }

    private static double gammaOf(double[] y, double theta) {
        double g = 0;
        for (double yi : y) g += Math.log1p(theta * yi);
        return g / y.length;
    }

    /** The log-likelihood at gamma(theta), sigma(theta); -infinity where that is not a valid GPD (or gamma < -1). */
    private static double profile(double[] y, double theta) {
        if (theta == 0 || !Double.isFinite(theta)) return Double.NEGATIVE_INFINITY;
        double gamma = gammaOf(y, theta);
        double sigma = gamma / theta;
        if (!(gamma >= -1) || !(sigma > 0) || !Double.isFinite(sigma) || Math.abs(gamma) < 1e-12) {
            return Double.NEGATIVE_INFINITY;
        }
        return logLikelihood(y, gamma, sigma);
    }

    /** The theta in [lo, hi] of the largest profile likelihood, by golden-section search. */
    private static double goldenMax(double[] y, double lo, double hi) {
        double r = (Math.sqrt(5) - 1) / 2;
        double c = hi - r * (hi - lo), d = lo + r * (hi - lo);
        double fc = profile(y, c), fd = profile(y, d);
        for (int it = 0; it < 80 && hi - lo > 1e-14 * Math.max(Math.abs(lo), Math.abs(hi)); it++) {
            if (fc >= fd) {
                hi = d;
                d = c;
                fd = fc;
                c = hi - r * (hi - lo);
                fc = profile(y, c);
            } else {
                lo = c;
                c = d;
                fc = fd;
                d = lo + r * (hi - lo);
                fd = profile(y, d);
            }
        }
        return fc >= fd ? c : d;
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
