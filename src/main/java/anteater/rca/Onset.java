package anteater.rca;

import anteater.sink.AnomalyEvent;
import java.util.List;

/**
 * When an anomaly began. An event only says its window; when it carries the window's values, the change point
 * inside the window (the split with the largest mean difference, if clearly above the noise) gives a finer onset
 * than the window's start, which is what tells a cause from an effect a few seconds behind it.
 */
public final class Onset {
    /** The split must stand this many pooled standard errors above noise to count. */
    static final double MIN_T = 4.0;

    private Onset() {
    }

    /** Epoch ms at which the anomaly of {@code e} began: the middle of {@link #interval}. */
    public static long of(AnomalyEvent e) {
        long[] i = interval(e);
        return (i[0] + i[1]) / 2;
    }

    /**
     * {lo, hi} epoch ms between which the anomaly of {@code e} began. With a clear change point inside the window:
     * from a few steps before it (a ramp is found late) to it. Without one, the whole window is already shifted:
     * the change came in the second half of the window before (too little of it to be flagged there) or at the
     * boundary, so from half a window before the start to the start.
     */
    public static long[] interval(AnomalyEvent e) {
        long end = e.timestampMs();
        long start = end - e.durationSec() * 1000L;
        double[] v = e.values();
        long half = (end - start) / 2;
        int cp = changePoint(v);
        if (cp < 0 || end <= start) return new long[] {start - half, start};
        long step = (end - start) / (v.length - 1);
        long at = start + Math.round((double) (end - start) * cp / (v.length - 1));
        return new long[] {at - 3 * step, at};
    }

    /**
     * {lo, hi} epoch ms between which the episode of {@code anchor} began: the run of anomalous windows of one
     * entity (any metric; {@code es} in time order) that contains the anchor, each window starting no later than
     * the end of the one before it (plus {@code gapMs}). An anomaly that ended before the episode is another
     * incident, whatever the metric.
     */
    public static long[] episode(List<AnomalyEvent> es, AnomalyEvent anchor, long gapMs) {
        int i = es.indexOf(anchor);
        if (i < 0) return interval(anchor);
        long begin = start(anchor);
        for (int j = i - 1; j >= 0; j--) {
            AnomalyEvent e = es.get(j);
            if (e.timestampMs() + gapMs < begin) break;
            begin = Math.min(begin, start(e));
        }
        long[] best = null;
        for (AnomalyEvent e : es) {
            if (start(e) != begin) continue;
            long[] iv = interval(e);
            if (best == null || iv[1] < best[1]) best = iv;
        }
        return best == null ? interval(anchor) : best;
    }

    private static long start(AnomalyEvent e) {
        return e.timestampMs() - e.durationSec() * 1000L;
    }

    /** The index where the later segment begins, or -1 when no split is clear. */
    static int changePoint(double[] v) {
        if (v == null || v.length < 6) return -1;
        int n = v.length;
        double[] pre = new double[n + 1];
        double[] pre2 = new double[n + 1];
        for (int i = 0; i < n; i++) {
            pre[i + 1] = pre[i] + v[i];
            pre2[i + 1] = pre2[i] + v[i] * v[i];
        }
        int bestK = -1;
        double bestT = 0;
        for (int k = 2; k <= n - 2; k++) {
            double m1 = pre[k] / k, m2 = (pre[n] - pre[k]) / (n - k);
            double ss = (pre2[k] - k * m1 * m1) + (pre2[n] - pre2[k] - (n - k) * m2 * m2);
            double sd = Math.sqrt(Math.max(ss, 1e-300) / (n - 2));
            double t = Math.abs(m2 - m1) / (sd * Math.sqrt(1.0 / k + 1.0 / (n - k)));
            if (t > bestT) {
                bestT = t;
                bestK = k;
            }
        }
        return bestK < 0 || bestT < MIN_T ? -1 : bestK;
    }
}
