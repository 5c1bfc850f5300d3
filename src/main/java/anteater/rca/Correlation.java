package anteater.rca;

import anteater.sink.AnomalyEvent;
import java.util.List;

/**
 * Pearson correlation of two events' values over the time both cover. Events carry values without times, so
 * each event's values are taken as evenly spaced over [timestamp - duration, timestamp]; each value of the
 * denser series inside the overlap is paired with the nearest value of the other.
 */
public final class Correlation {
    /** Fewer pairs than this give no correlation (NaN). */
    public static final int MIN_PAIRS = 4;

    private Correlation() {
    }

    public static double between(AnomalyEvent a, AnomalyEvent b) {
        return pooled(List.of(a), List.of(b));
    }

    /**
     * Pearson's r over the pairs of every overlapping couple (one event of {@code as}, one of {@code bs}): the
     * longer the two anomalies ran together, the more pairs. NaN with fewer than {@link #MIN_PAIRS} pairs.
     */
    public static double pooled(List<AnomalyEvent> as, List<AnomalyEvent> bs) {
        double[][] buf = {new double[64], new double[64]};
        int n = 0;
        for (AnomalyEvent a : as) {
            for (AnomalyEvent b : bs) n = pairs(a, b, buf, n);
        }
        if (n < MIN_PAIRS) return Double.NaN;
        return pearson(buf[0], buf[1], n);
    }

    /** Appends the pairs of a and b (a's values first) to buf from index n; returns the new count. */
    private static int pairs(AnomalyEvent a, AnomalyEvent b, double[][] buf, int n) {
        double[] x = a.values();
        double[] y = b.values();
        if (x == null || y == null || x.length < MIN_PAIRS || y.length < MIN_PAIRS) return n;
        boolean swap = x.length < y.length;
        if (swap) {
            AnomalyEvent t = a;
            a = b;
            b = t;
            x = a.values();
            y = b.values();
        }
        long ax1 = a.timestampMs(), ax0 = ax1 - a.durationSec() * 1000L;
        long by1 = b.timestampMs(), by0 = by1 - b.durationSec() * 1000L;
        long lo = Math.max(ax0, by0), hi = Math.min(ax1, by1);
        if (lo > hi) return n;
        for (int i = 0; i < x.length; i++) {
            double t = timeOf(i, x.length, ax0, ax1);
            if (t < lo || t > hi) continue;
            if (n == buf[0].length) {
                buf[0] = java.util.Arrays.copyOf(buf[0], 2 * n);
                buf[1] = java.util.Arrays.copyOf(buf[1], 2 * n);
            }
            double u = x[i], v = y[indexOf(t, y.length, by0, by1)];
            buf[0][n] = swap ? v : u;
            buf[1][n] = swap ? u : v;
            n++;
        }
        return n;
    }

    private static double timeOf(int i, int n, long t0, long t1) {
        return n == 1 || t1 == t0 ? t1 : t0 + (double) (t1 - t0) * i / (n - 1);
    }

    private static int indexOf(double t, int n, long t0, long t1) {
        if (n == 1 || t1 == t0) return n - 1;
        long i = Math.round((t - t0) * (n - 1) / (t1 - t0));
        return (int) Math.max(0, Math.min(n - 1, i));
    }

    /** Pearson's r of the first n pairs; NaN if either side is constant. */
    public static double pearson(double[] x, double[] y, int n) {
        double mx = 0, my = 0;
        for (int i = 0; i < n; i++) {
            mx += x[i];
            my += y[i];
        }
        mx /= n;
        my /= n;
        double sxy = 0, sxx = 0, syy = 0;
        for (int i = 0; i < n; i++) {
            double dx = x[i] - mx, dy = y[i] - my;
            sxy += dx * dy;
            sxx += dx * dx;
            syy += dy * dy;
        }
        if (sxx <= 0 || syy <= 0) return Double.NaN;
        return Math.max(-1.0, Math.min(1.0, sxy / Math.sqrt(sxx * syy)));
    }

    /** Seconds of overlap between two events' windows (0 if disjoint). */
    public static long overlapMs(AnomalyEvent a, AnomalyEvent b) {
        long lo = Math.max(a.timestampMs() - a.durationSec() * 1000L, b.timestampMs() - b.durationSec() * 1000L);
        long hi = Math.min(a.timestampMs(), b.timestampMs());
        return Math.max(0, hi - lo);
    }
}
