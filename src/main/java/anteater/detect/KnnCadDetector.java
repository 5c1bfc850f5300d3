package anteater.detect;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.NonPositiveDefiniteMatrixException;
import org.apache.commons.math3.linear.NonSymmetricMatrixException;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.SingularMatrixException;

/**
 * A univariate conformal k-nearest-neighbour detector (KNN-CAD, Burnaev and Ishimtsev 2016). Per group and field:
 * each value and the {@code kDim - 1} values before it form a lag vector. The first {@code kTraining} vectors are
 * the reference set. A vector's non-conformity is the sum of its {@code kNeighbours} smallest squared Mahalanobis
 * distances to the reference set (covariance of the reference vectors, refreshed every {@code kTraining / 2}
 * values); its score is the conformal p-value complement: the share of the last {@code kTraining}
 * non-conformities (started from the reference set's leave-one-out ones) that are smaller. A score of at least
 * {@code kThreshold} is anomalous, then the next {@code kHoldoff} values are not flagged (one alert per incident).
 * The reference set slides: a vector joins it {@code kTraining} values after it was scored, the oldest leaves,
 * so the detector follows a slowly changing normal, and an anomaly is judged against data from before it.
 * The threshold is a probability, fixed before any data is seen: no fitting on labels.
 */
public final class KnnCadDetector implements Detector {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(KnnCadDetector.class);
    static final int STATE_VERSION = 2;
    /** Most pattern values kept per group and field (kTraining x kDim): 8 MB. */
    static final long MAX_CELLS = 1_000_000;

    private final List<String> fields;
    private final int dim;
    private final int k;
    private final int training;
    private final double threshold;
    private final int holdoff;
    private final GroupTable<Map<String, FieldState>> groups;

    /**
     * One field's state. Patterns are consecutive: pattern p is finite values [p, p + dim). The reference set is
     * patterns [refStart, refStart + refSize), the scored patterns waiting to join it follow, so one ring of the
     * last {@code 2 training + dim} values holds them all; only the whitened reference patterns are kept besides.
     */
    final class FieldState {
        final double[] values = new double[2 * training + dim];
        /** Finite values seen. */
        long count;
        /** Whitened reference patterns, pattern p in slot p % training, row-major. */
        final double[] refW = new double[training * dim];
        int refSize;
        long refStart;
        /** The last {@code training} non-conformities (ring). */
        final double[] ncm = new double[training];
        int ncmNext;
        /** Inverse of the Cholesky factor of the reference covariance, row-major lower triangular; null before. */
        double[] whiten;
        double[] mean;
        long sinceRefresh;
        long quiet;

        double value(long i) {
            return values[(int) (i % values.length)];
        }

        double[] pattern(long p) {
            double[] x = new double[dim];
            for (int i = 0; i < dim; i++) x[i] = value(p + i);
            return x;
        }

        /** Whitens pattern x into refW's slot (or a new array when slot < 0): the Mahalanobis distance becomes Euclidean. */
        double[] whitened(double[] x, int slot) {
            double[] c = new double[dim];
            for (int i = 0; i < dim; i++) c[i] = x[i] - mean[i];
            double[] y = slot < 0 ? new double[dim] : refW;
            int off = slot < 0 ? 0 : slot * dim;
            for (int i = 0; i < dim; i++) {
                double sum = 0;
                int row = i * dim;
                for (int j = 0; j <= i; j++) sum += whiten[row + j] * c[j];
                y[off + i] = sum;
            }
            return y;
        }

        /** The reference patterns in slot order (pattern p sits in slot p % training). */
        double[][] referenceBySlot() {
            double[][] ref = new double[refSize][];
            int first = (int) (refStart % training);
            for (int r = 0; r < refSize; r++) ref[r] = pattern(refStart + Math.floorMod(r - first, training));
            return ref;
        }

        /** Whitens ref, the reference patterns in slot order, into their slots. */
        void rewhiten(double[][] ref) {
            for (int r = 0; r < refSize; r++) whitened(ref[r], r);
        }

        void refresh() {
            mean = new double[dim];
            // in slot order: the sums do not depend on where the ring starts
            double[][] ref = referenceBySlot();
            for (double[] x : ref) for (int i = 0; i < dim; i++) mean[i] += x[i];
            for (int i = 0; i < dim; i++) mean[i] /= refSize;
            for (int i = 0; i < dim; i++) {
                if (Double.isFinite(mean[i])) continue;
                // the sum of values near the double limit overflowed: each value divided first
                mean[i] = 0;
                for (double[] x : ref) mean[i] += x[i] / refSize;
            }
            // deviations beyond about 1e154 overflowed their products, the covariance became infinite or NaN and so
            // every distance NaN: the field was never flagged. The covariance is of the deviations times one power of
            // two (1 for ordinary values), and the factor takes it back: Mahalanobis distances do not depend on it
            double maxDev = 0;
            for (double[] x : ref) for (int i = 0; i < dim; i++) maxDev = Math.max(maxDev, Math.abs(x[i] - mean[i]));
            double f = Stats.scaleFor(maxDev);
            double[] cov = new double[dim * dim];
            for (double[] x : ref) {
                for (int i = 0; i < dim; i++) {
                    double a = (x[i] - mean[i]) * f;
                    for (int j = 0; j <= i; j++) cov[i * dim + j] += a * ((x[j] - mean[j]) * f);
                }
            }
            double trace = 0;
            for (int i = 0; i < dim; i++) trace += cov[i * dim + i] / refSize;
            // ridge: a flat or perfectly periodic reference set must not make the covariance singular
            double ridge = Math.max(1e-12, 1e-6 * trace / dim);
            for (int i = 0; i < dim; i++) for (int j = 0; j <= i; j++) cov[i * dim + j] = cov[i * dim + j] / refSize + (i == j ? ridge : 0);
            whiten = inverseCholesky(cov, dim, ridge);
            if (f != 1) for (int i = 0; i < whiten.length; i++) whiten[i] *= f;
            rewhiten(ref);
            sinceRefresh = 0;
        }

        /** Sum of the k smallest squared distances from y (offset off) to the whitened reference set, skipping a slot. */
        double nonConformity(double[] y, int off, int skip) {
            double[] best = new double[k];
            int n = 0;
            for (int r = 0; r < refSize; r++) {
                if (r == skip) continue;
                int base = r * dim;
                double d = 0;
                for (int i = 0; i < dim; i++) {
                    double e = y[off + i] - refW[base + i];
                    d += e * e;
                }
                if (n < k || d < best[k - 1]) {
                    int q = n < k ? n++ : k - 1;
                    while (q > 0 && best[q - 1] > d) {
                        best[q] = best[q - 1];
                        q--;
                    }
                    best[q] = d;
                }
            }
            double sum = 0;
            for (int i = 0; i < n; i++) sum += best[i];
            return sum;
        }

        /** Takes value v; returns its score in [0, 1], or NaN while the reference set fills. */
        double score(double v) {
            values[(int) (count % values.length)] = v;
            count++;
            long c = count - dim; // index of the newest pattern
            if (c < 0) return Double.NaN;
            if (refSize < training) {
                refSize++;
                if (refSize == training) {
                    refresh();
                    for (int r = 0; r < training; r++) ncm[r] = nonConformity(refW, r * dim, r);
                    ncmNext = 0;
                }
                return Double.NaN;
            }
            if (++sinceRefresh >= Math.max(1, training / 2)) refresh();
            double a = nonConformity(whitened(pattern(c), -1), 0, -1);
            int below = 0;
            for (double x : ncm) if (x < a) below++;
            double p = (double) below / training;
            ncm[ncmNext] = a;
            ncmNext = (ncmNext + 1) % training;
            if (c == refStart + 2L * training) {
                // the oldest waiting pattern joins the reference set in place of the oldest reference pattern
                long joiner = refStart + training;
                whitened(pattern(joiner), (int) (joiner % training));
                refStart++;
            }
            return p;
        }
    }

    /**
     * For a covariance (lower triangle filled, row-major) returns the inverse of its Cholesky factor L, lower
     * triangular, row-major: |L^-1 (x - mean)|^2 is the squared Mahalanobis distance. A matrix that is not
     * positive definite in floating point gets a larger ridge until it is.
     */
    static double[] inverseCholesky(double[] lower, int n, double ridge) {
        double extra = 0;
        for (int attempt = 0; ; attempt++) {
            double[][] a = new double[n][n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j <= i; j++) {
                    a[i][j] = lower[i * n + j] + (i == j ? extra : 0);
                    a[j][i] = a[i][j];
                }
            }
            try {
                RealMatrix l = new CholeskyDecomposition(new Array2DRowRealMatrix(a, false), 1e-12, 1e-14).getL();
                RealMatrix inv = new LUDecomposition(l).getSolver().getInverse();
                double[] out = new double[n * n];
                for (int i = 0; i < n; i++) for (int j = 0; j <= i; j++) out[i * n + j] = inv.getEntry(i, j);
                return out;
            } catch (NonPositiveDefiniteMatrixException | NonSymmetricMatrixException | SingularMatrixException e) {
                if (attempt > 30) throw new IllegalStateException("covariance stays singular after a ridge of " + extra, e);
                extra = extra == 0 ? Math.max(ridge, 1e-12) * 10 : extra * 10;
            }
        }
    }

    KnnCadDetector(List<String> fields, int dim, int k, int training, double threshold, int holdoff, int maxGroups) {
        this.fields = List.copyOf(fields);
        this.dim = dim;
        this.k = k;
        this.training = training;
        this.threshold = threshold;
        this.holdoff = holdoff;
        this.groups = new GroupTable<>(maxGroups, "knncad");
    }

    public static KnnCadDetector create(Options o) throws OptionException {
        List<String> fields = o.fields();
        long d = o.intIn("kDim", 1, 1000, "values", "");
        long t = o.intIn("kTraining", 10, 100_000, "vectors", "");
        if (t * d > MAX_CELLS) {
            throw new OptionException("options 'kTraining' x 'kDim' must be at most " + MAX_CELLS + " (" + (MAX_CELLS * 8 / 1_000_000)
                    + " MB of patterns per group and field), got " + t + " x " + d);
        }
        long k = o.getLong("kNeighbours");
        if (k < 1 || k >= t) throw new OptionException("option 'kNeighbours' must be in [1, kTraining-1] = [1, " + (t - 1) + "], got " + k);
        double thr = o.doubleIn("kThreshold", 0, true, 1, false, "");
        int h = o.intAtLeast("kHoldoff", 0, "values", "");
        int maxGroups = o.maxGroups();
        StateMemory.check(LOG, o, "knncad", maxGroups, fields.size(), stateBytes((int) d, (int) t), null);
        return new KnnCadDetector(fields, (int) d, (int) k, (int) t, thr, h, maxGroups);
    }

    /** Bytes of one group and field's state: the value ring, the whitened reference set, the non-conformities, the factor. */
    static long stateBytes(int dim, int training) {
        return 8L * (2L * training + dim + (long) training * dim + training + (long) dim * dim + dim);
    }

    /**
     * A warning when {@code maxGroups} x fields states could take more than half the heap (each state is allocated at
     * the field's first value), else null. Not refused: most tasks see far fewer groups than their bound.
     */
    static String memoryWarning(long maxGroups, int fields, int dim, int training, long heap) {
        return StateMemory.warning("knncad", maxGroups, fields, stateBytes(dim, training), null, heap);
    }

    @Override
    public void process(Window w, List<Verdict> out) {
        Map<String, FieldState> state = groups.getOrCreate(w.groupKey(), key -> new HashMap<>());
        for (String field : fields) {
            Series s = w.series(field);
            int n = s == null ? 0 : s.size();
            if (n == 0) continue;
            FieldState st = state.computeIfAbsent(field, f -> new FieldState());
            FieldTally t = new FieldTally();
            for (int i = 0; i < n; i++) {
                double v = s.value(i);
                if (!Double.isFinite(v)) continue;
                double p = st.score(v);
                if (Double.isNaN(p)) continue;
                st.quiet = t.note(st.quiet, p >= threshold, holdoff, p, v);
            }
            Verdict verdict = t.verdict(w, "knncad", field, threshold, Map.of(), s, () -> String.format(Locale.ROOT,
                    "%s of %s: the last %d values are farther from their %d nearest neighbours in the last %d normal"
                            + " patterns than %.2f%% of recent patterns were (value %.4g)",
                    field, TTestDetector.describe(w), dim, k, training, 100 * t.firstScore, t.firstValue), "conformal score %.4f");
            if (verdict != null) out.add(verdict);
        }
    }

    @Override
    public void save(DataOutputStream out) throws IOException {
        out.writeInt(STATE_VERSION);
        out.writeInt(dim);
        out.writeInt(training);
        groups.save(out, (g, m) -> FieldStates.save(g, m, (o, st) -> {
            o.writeLong(st.count);
            long from = Math.max(0, st.count - st.values.length);
            for (long i = from; i < st.count; i++) o.writeDouble(st.value(i));
            o.writeInt(st.refSize);
            o.writeLong(st.refStart);
            o.writeInt(st.ncmNext);
            for (double v : st.ncm) o.writeDouble(v);
            o.writeBoolean(st.whiten != null);
            if (st.whiten != null) {
                for (double v : st.mean) o.writeDouble(v);
                for (double v : st.whiten) o.writeDouble(v);
            }
            o.writeLong(st.sinceRefresh);
            o.writeLong(st.quiet);
        }));
    }

    @Override
    public void load(DataInputStream in) throws IOException {
        int v = in.readInt();
        if (v != STATE_VERSION) throw new IOException("knncad state version " + v + " is not supported (reads " + STATE_VERSION + ")");
        int d = in.readInt(), t = in.readInt();
        if (d != dim || t != training) {
            throw new StateShapeChanged("kDim=" + d + " kTraining=" + t, "kDim=" + dim + " kTraining=" + training);
        }
        groups.load(in, g -> FieldStates.load(g, fields, (i, name) -> {
            FieldState st = new FieldState();
            st.count = i.readLong();
            if (st.count < 0) throw new IOException("bad value count of " + name);
            long from = Math.max(0, st.count - st.values.length);
            for (long j = from; j < st.count; j++) st.values[(int) (j % st.values.length)] = i.readDouble();
            st.refSize = i.readInt();
            st.refStart = i.readLong();
            long newest = st.count - dim;
            if (st.refSize < 0 || st.refSize > training || st.refStart < 0 || st.refStart < from
                    || (st.refSize > 0 && st.refStart + st.refSize - 1 > newest) || newest - st.refStart > 2L * training) {
                throw new IOException("bad reference set of " + name);
            }
            st.ncmNext = i.readInt();
            if (st.ncmNext < 0 || st.ncmNext >= training) throw new IOException("bad non-conformities of " + name);
            for (int j = 0; j < training; j++) st.ncm[j] = i.readDouble();
            if (i.readBoolean()) {
                st.mean = new double[dim];
                for (int j = 0; j < dim; j++) st.mean[j] = i.readDouble();
                st.whiten = new double[dim * dim];
                for (int j = 0; j < dim * dim; j++) st.whiten[j] = i.readDouble();
                st.rewhiten(st.referenceBySlot());
            } else if (st.refSize == training) {
                throw new IOException("reference set of " + name + " is full but has no covariance");
            }
            st.sinceRefresh = i.readLong();
            st.quiet = i.readLong();
            return st;
        }));
    }
}
