package anteater.rca;

import anteater.sink.AnomalyEvent;

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
        double[] x = a.values();
        double[] y = b.values();
        if (x == null || y == null || x.length < MIN_PAIRS || y.length < MIN_PAIRS) return Double.NaN;
        if (x.length < y.length) return between(b, a);
        long ax1 = a.timestampMs(), ax0 = ax1 - a.durationSec() * 1000L;
        long by1 = b.timestampMs(), by0 = by1 - b.durationSec() * 1000L;
        long lo = Math.max(ax0, by0), hi = Math.min(ax1, by1);
        if (lo > hi) return Double.NaN;
        int n = 0;
        double[] px = new double[x.length];
        double[] py = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            double t = timeOf(i, x.length, ax0, ax1);
            if (t < lo || t > hi) continue;
            px[n] = x[i];
            py[n] = y[indexOf(t, y.length, by0, by1)];
            n++;
        }
        if (n < MIN_PAIRS) return Double.NaN;
        return pearson(px, py, n);
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
