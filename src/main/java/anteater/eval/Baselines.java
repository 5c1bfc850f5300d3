package anteater.eval;

import anteater.detect.vae.Normaliser;
import anteater.detect.vae.Threshold;
import java.util.Arrays;
import java.util.Random;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;

/**
 * Baselines on the same data and with the same thresholding as the detectors (POT, or the chosen method, fitted
 * on training scores): random scores, the largest per-metric z-score, and PCA reconstruction error.
 */
public final class Baselines {
    private Baselines() {
    }

    /** Scores rows; fitted on training rows. */
    interface Scorer {
        double[] score(double[][] rows);
    }

    static Method.Result apply(Scorer s, Dataset d, Threshold t) {
        double[] train = s.score(d.train());
        double[] sorted = train.clone();
        Arrays.sort(sorted);
        double thr = t.of(sorted);
        double[] test = s.score(d.test());
        boolean[] flag = new boolean[test.length];
        for (int i = 0; i < test.length; i++) flag[i] = test[i] > thr;
        return new Method.Result(test, flag, thr, sorted);
    }

    public static Method random(Threshold t, long seed) {
        return new Method() {
            public String name() { return "random"; }
            public Result run(Dataset d) {
                Random r = new Random(seed ^ d.name().hashCode());
                return apply(rows -> {
                    double[] s = new double[rows.length];
                    for (int i = 0; i < s.length; i++) s[i] = r.nextDouble();
                    return s;
                }, d, t);
            }
        };
    }

    /** The largest absolute z-score over the metrics, with the training mean and standard deviation. */
    public static Method zscore(Threshold t) {
        return new Method() {
            public String name() { return "zscore"; }
            public Result run(Dataset d) {
                Normaliser n = Normaliser.fit(d.train(), 1e6, 1e-3);
                return apply(rows -> {
                    double[] s = new double[rows.length];
                    double[] z = new double[d.dims()];
                    for (int i = 0; i < rows.length; i++) {
                        n.apply(rows[i], z);
                        double m = 0;
                        for (double v : z) m = Math.max(m, Math.abs(v));
                        s[i] = m;
                    }
                    return s;
                }, d, t);
            }
        };
    }

    /**
     * Squared distance of the standardised row to the principal subspace of the training rows (the components
     * that explain {@code variance} of the training variance).
     */
    public static Method pca(Threshold t, double variance) {
        return new Method() {
            public String name() { return "pca"; }
            public Result run(Dataset d) {
                Normaliser n = Normaliser.fit(d.train(), 10, 1e-3);
                double[][] z = n.apply(d.train());
                int dim = d.dims();
                double[][] cov = new double[dim][dim];
                for (double[] r : z) {
                    for (int a = 0; a < dim; a++) for (int b = a; b < dim; b++) cov[a][b] += r[a] * r[b];
                }
                for (int a = 0; a < dim; a++) {
                    for (int b = a; b < dim; b++) {
                        cov[a][b] /= Math.max(1, z.length - 1);
                        cov[b][a] = cov[a][b];
                    }
                }
                EigenDecomposition e = new EigenDecomposition(new Array2DRowRealMatrix(cov, false));
                double[] ev = e.getRealEigenvalues();
                Integer[] order = new Integer[dim];
                for (int i = 0; i < dim; i++) order[i] = i;
                Arrays.sort(order, (a, b) -> Double.compare(ev[b], ev[a]));
                double total = Arrays.stream(ev).map(v -> Math.max(0, v)).sum();
                double acc = 0;
                int k = 0;
                while (k < dim && (total == 0 || acc / total < variance)) acc += Math.max(0, ev[order[k++]]);
                k = Math.max(1, Math.min(k, dim - 1));
                double[][] basis = new double[k][];
                for (int c = 0; c < k; c++) basis[c] = e.getEigenvector(order[c]).toArray();
                return apply(rows -> {
                    double[] s = new double[rows.length];
                    double[] x = new double[dim];
                    for (int i = 0; i < rows.length; i++) {
                        n.apply(rows[i], x);
                        double norm = 0;
                        for (double v : x) norm += v * v;
                        double proj = 0;
                        for (double[] b : basis) {
                            double p = 0;
                            for (int j = 0; j < dim; j++) p += b[j] * x[j];
                            proj += p * p;
                        }
                        s[i] = Math.max(0, norm - proj);
                    }
                    return s;
                }, d, t);
            }
        };
    }

}
