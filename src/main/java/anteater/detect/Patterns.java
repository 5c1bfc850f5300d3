package anteater.detect;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The known distributions ("patterns") of one field: histograms over the same bins, each with the number of
 * windows that matched it. A window matches the pattern with the smallest relative-entropy statistic
 * {@code 2 W KL(window || pattern)} when that statistic is below the chi-squared threshold (Wang et al., "Statistical
 * techniques for online anomaly detection in data centers", 2011: under the pattern, the statistic is asymptotically
 * chi-squared with bins-1 degrees of freedom). Bounded: beyond {@code capacity} patterns the least matched (the
 * oldest of those) is forgotten.
 */
final class Patterns {
    private final int capacity;
    private final List<double[]> freq = new ArrayList<>();
    private final List<long[]> matched = new ArrayList<>();

    Patterns(int capacity) {
        this.capacity = capacity;
    }

    int size() {
        return freq.size();
    }

    long matches(int i) {
        return matched.get(i)[0];
    }

    /** {@code 2 w KL(p || q)}; infinite when p has mass where q has none. */
    static double statistic(double[] p, double[] q, int w) {
        double kl = 0;
        for (int k = 0; k < p.length; k++) {
            if (p[k] == 0) continue;
            if (q[k] == 0) return Double.POSITIVE_INFINITY;
            kl += p[k] * Math.log(p[k] / q[k]);
        }
        return 2.0 * w * Math.max(0, kl);
    }

    /** Index of the closest pattern and its statistic ({@code -1, +inf} when there is none). */
    double[] closest(double[] p, int w) {
        int best = -1;
        double min = Double.POSITIVE_INFINITY;
        for (int i = 0; i < freq.size(); i++) {
            double s = statistic(p, freq.get(i), w);
            if (s < min) {
                min = s;
                best = i;
            }
        }
        return new double[] {best, min};
    }

    /** Sets pattern i's match count (e.g. to make the first pattern established from the start). */
    void setMatches(int i, long n) {
        matched.get(i)[0] = n;
    }

    void match(int i) {
        matched.get(i)[0]++;
    }

    void add(double[] p) {
        if (freq.size() >= capacity) {
            int drop = 0;
            for (int i = 1; i < matched.size(); i++) if (matched.get(i)[0] < matched.get(drop)[0]) drop = i;
            freq.remove(drop);
            matched.remove(drop);
        }
        freq.add(p.clone());
        matched.add(new long[] {1});
    }

    void save(DataOutputStream out) throws IOException {
        out.writeInt(freq.size());
        for (int i = 0; i < freq.size(); i++) {
            out.writeLong(matched.get(i)[0]);
            for (double v : freq.get(i)) out.writeDouble(v);
        }
    }

    /**
     * Reads patterns saved by {@link #save}. A snapshot taken with a larger ePatterns keeps the {@code capacity} most
     * matched (the least matched, the oldest of those, are forgotten, as at run time): refusing it failed every start
     * of a task whose ePatterns was lowered until the task was deleted.
     */
    static Patterns load(DataInputStream in, int capacity, int bins) throws IOException {
        int n = in.readInt();
        if (n < 0) throw new IOException("bad pattern count " + n);
        Patterns p = new Patterns(capacity);
        for (int i = 0; i < n; i++) {
            long c = in.readLong();
            double[] f = new double[bins];
            for (int k = 0; k < bins; k++) f[k] = in.readDouble();
            p.freq.add(f);
            p.matched.add(new long[] {c});
        }
        while (p.freq.size() > capacity) {
            int drop = 0;
            for (int i = 1; i < p.matched.size(); i++) if (p.matched.get(i)[0] < p.matched.get(drop)[0]) drop = i;
            p.freq.remove(drop);
            p.matched.remove(drop);
        }
        return p;
    }
}
