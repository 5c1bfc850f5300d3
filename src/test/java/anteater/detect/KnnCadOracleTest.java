package anteater.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.junit.jupiter.api.Test;

/**
 * KNN-CAD's arithmetic against a plain re-statement of the algorithm in its class comment: Mahalanobis distances from a
 * covariance inverted directly (not through the detector's whitening by an inverse Cholesky factor), the reference
 * set and its refreshes recomputed from scratch at every value. The tests before this one compared the detector with
 * itself (a snapshot, a rescaled series) or looked at flags only: a wrong mean, covariance or ridge left them green.
 */
class KnnCadOracleTest {
    private static final int DIM = 3, K = 2, TRAINING = 10;

    /** The documented algorithm, naively: scores (NaN while the reference set fills) and the last non-conformities. */
    static final class Oracle {
        final List<Double> v = new ArrayList<>();
        final double[] ring = new double[TRAINING];
        int next;
        int sinceRefresh;
        RealMatrix inverse; // (population covariance of the reference patterns + ridge I)^-1
        double[] mean;

        double[] pattern(int c) {
            double[] x = new double[DIM];
            for (int i = 0; i < DIM; i++) x[i] = v.get(c + i);
            return x;
        }

        /** Reference patterns used to score pattern c: the first TRAINING, then sliding once c passes 2 x TRAINING. */
        static int refStart(int c) {
            return Math.max(0, c - 2 * TRAINING);
        }

        void refresh(int rs) {
            mean = new double[DIM];
            for (int r = rs; r < rs + TRAINING; r++) for (int i = 0; i < DIM; i++) mean[i] += pattern(r)[i] / TRAINING;
            double[][] cov = new double[DIM][DIM];
            for (int r = rs; r < rs + TRAINING; r++) {
                double[] x = pattern(r);
                for (int i = 0; i < DIM; i++) for (int j = 0; j < DIM; j++) cov[i][j] += (x[i] - mean[i]) * (x[j] - mean[j]) / TRAINING;
            }
            double trace = 0;
            for (int i = 0; i < DIM; i++) trace += cov[i][i];
            double ridge = Math.max(1e-12, 1e-6 * trace / DIM);
            for (int i = 0; i < DIM; i++) cov[i][i] += ridge;
            inverse = new LUDecomposition(new Array2DRowRealMatrix(cov)).getSolver().getInverse();
        }

        double distance(double[] x, double[] y) {
            double[] d = new double[DIM];
            for (int i = 0; i < DIM; i++) d[i] = x[i] - y[i];
            double s = 0;
            for (int i = 0; i < DIM; i++) for (int j = 0; j < DIM; j++) s += d[i] * inverse.getEntry(i, j) * d[j];
            return s;
        }

        /** Sum of the K smallest distances from x to the reference patterns [rs, rs + TRAINING), pattern skip left out. */
        double nonConformity(double[] x, int rs, int skip) {
            List<Double> d = new ArrayList<>();
            for (int r = rs; r < rs + TRAINING; r++) if (r != skip) d.add(distance(x, pattern(r)));
            d.sort(null);
            double s = 0;
            for (int i = 0; i < K; i++) s += d.get(i);
            return s;
        }

        double score(double value) {
            v.add(value);
            int c = v.size() - DIM;
            if (c < TRAINING - 1) return Double.NaN;
            if (c == TRAINING - 1) {
                refresh(0);
                for (int r = 0; r < TRAINING; r++) ring[r] = nonConformity(pattern(r), 0, r);
                return Double.NaN;
            }
            int rs = refStart(c);
            if (++sinceRefresh >= TRAINING / 2) {
                refresh(rs);
                sinceRefresh = 0;
            }
            double a = nonConformity(pattern(c), rs, -1);
            int below = 0;
            for (double x : ring) if (x < a) below++;
            ring[next] = a;
            next = (next + 1) % TRAINING;
            return (double) below / TRAINING;
        }
    }

    static double[] series(long seed, int n, double scale) {
        Random r = new Random(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = scale * (10 + 5 * Math.sin(i / 3.0) + r.nextDouble());
        return v;
    }

    private static KnnCadDetector.FieldState state() {
        return new KnnCadDetector(List.of("v"), DIM, K, TRAINING, 0.99, 0, 10).new FieldState();
    }

    @Test
    void scoresAndNonConformitiesAreThoseOfTheDocumentedAlgorithm() {
        double[] v = series(3, 90, 1);
        v[60] += 9; // a broken pattern: high scores for the DIM patterns holding it
        KnnCadDetector.FieldState st = state();
        Oracle o = new Oracle();
        int scored = 0, high = 0;
        for (int i = 0; i < v.length; i++) {
            double p = st.score(v[i]), q = o.score(v[i]);
            assertEquals(q, p, 0.0, "score of value " + i);
            for (int r = 0; r < TRAINING && !Double.isNaN(q); r++) {
                assertEquals(o.ring[r], st.ncm[r], 1e-9 * o.ring[r], "non-conformity " + r + " after value " + i);
            }
            if (!Double.isNaN(q)) scored++;
            if (q >= 0.9) high++;
        }
        assertEquals(90 - DIM - TRAINING + 1, scored);
        assertTrue(high >= 1 && high < 20, high + " scores of at least 0.9");
        assertEquals(1.0, o.score(1e6), 0.0);
        assertEquals(1.0, st.score(1e6), 0.0, "a value far from every pattern is above every recent non-conformity");
    }

    @Test
    void aWhitenedPatternsSquaredLengthIsItsMahalanobisDistanceFromTheMean() {
        double[] v = series(5, 40, 1);
        KnnCadDetector.FieldState st = state();
        Oracle o = new Oracle();
        for (double x : v) {
            st.score(x);
            o.score(x);
        }
        // the last refresh of both was at the same value; the query is not a pattern of the series
        double[] q = {3, 20, 9};
        double[] y = st.whitened(q, -1);
        double len = 0;
        for (double c : y) len += c * c;
        assertEquals(o.distance(q, o.mean), len, 1e-9 * len);
        for (int i = 0; i < DIM; i++) assertEquals(o.mean[i], st.mean[i], 1e-12 * Math.abs(o.mean[i]));
    }

    /** Values whose sum over the reference set overflows (about 1.6e308): the mean is taken value by value. */
    @Test
    void valuesNearTheDoubleLimitScoreAsTheSameValuesInOrdinaryUnits() {
        double[] v = series(9, 60, 1), huge = series(9, 60, 1e307);
        KnnCadDetector.FieldState a = state(), b = state();
        for (int i = 0; i < v.length; i++) assertEquals(a.score(v[i]), b.score(huge[i]), 0.0, "value " + i);
        for (int i = 0; i < DIM; i++) {
            assertTrue(Double.isFinite(b.mean[i]), "mean " + b.mean[i]);
            assertEquals(a.mean[i] * 1e307, b.mean[i], 1e-9 * b.mean[i]);
        }
    }
}
