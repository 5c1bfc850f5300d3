package anteater.detect.vae;

import anteater.detect.Series;
import anteater.detect.Window;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a window into rows of metric vectors, one a step: the window's span is cut into steps of a fixed length
 * (from {@code tmin} to the step before {@code tmax}, the window's end, or the step of its last point if that is
 * later: a 60-point window of 1 s points is 60 rows, not 61 with a made-up one at tmax); a metric's value at a step is its last value within it. A metric absent at a step takes
 * its previous value (forward fill, also across windows); a metric with no value yet takes its fill value (the
 * training mean). Both are counted as imputed when the metric has no value in the whole window (it stopped
 * reporting, or never did); such metrics are listed as missing. Fields that are not in the metric list are reported
 * as unknown. Of a run of steps with no value at all, only the first {@code maxFill} (at least the model's lags) get
 * a row.
 *
 * <p>A field matches metric id {@code field} or {@code <measurement>.<field>}.
 */
public final class StepAssembler {

    /**
     * The assembled rows and what had to be made up: {@code known} fields of the window are metrics, {@code observed}
     * values of them are finite (0: every row is made up, by forward fill or fill values).
     */
    public record Rows(double[][] rows, long[] times, int imputed, int known, int observed, List<String> unknown,
                       int[] missing) {
    }

    private StepAssembler() {
    }

    /** The median positive gap between consecutive times of the window's series, or 0 if there is none. */
    public static long inferStepNs(Window w) {
        long[] gaps = new long[Math.max(1, w.points())];
        int k = 0;
        for (Series s : w.allSeries().values()) {
            long[] t = s.timesArray();
            for (int i = 1; i < s.size() && k < gaps.length; i++) {
                long g = t[i] - t[i - 1];
                if (g > 0) gaps[k++] = g;
            }
        }
        if (k == 0) return 0;
        Arrays.sort(gaps, 0, k);
        return gaps[k / 2];
    }

    /**
     * @param index   metric id to column
     * @param stepNs  step length; 0 makes one step of the whole window
     * @param last    the previous values of each metric (NaN = none yet); updated in place
     * @param fill    values of metrics never seen (raw units)
     * @param maxFill most steps in a row with no value at all that get a row (forward-filled); at least the model's
     *                lags: beyond them its input no longer changes. The steps after are skipped (no row), so a window
     *                spanning a long gap (a point of 1970 in a window of today, 10^9 steps) is as many rows as it
     *                has values, not a row a step
     */
    public static Rows assemble(Window w, Map<String, Integer> index, long stepNs, double[] last, double[] fill,
                                Set<String> unknownOut, int maxFill) {
        int d = last.length;
        long tmin = w.tmin(), tmax = Math.max(w.tmax(), w.tmin());
        long span = tmax - tmin < 0 ? Long.MAX_VALUE : tmax - tmin; // < 0: overflowed
        // tmax is the window's end (Kapacitor's EndBatch: the boundary the next window starts at, no point of this
        // one on it), so the last step is the one before tmax; a point at or after tmax still gets its own step
        long lastPoint = Long.MIN_VALUE;
        for (Series s : w.allSeries().values()) for (int i = 0; i < s.size(); i++) lastPoint = Math.max(lastPoint, s.time(i));
        long pointSpan = lastPoint <= tmin ? 0 : lastPoint - tmin < 0 ? Long.MAX_VALUE : lastPoint - tmin; // < 0: overflowed
        long lastStep = stepNs <= 0 ? 0 : Math.max(span == 0 ? 0 : (span - 1) / stepNs, pointSpan / stepNs);
        int known = 0;
        List<String> unknown = new java.util.ArrayList<>();
        List<Series> cols = new java.util.ArrayList<>();
        List<Integer> colIndex = new java.util.ArrayList<>();
        boolean[] present = new boolean[d]; // metrics with a value in this window
        int values = 0;
        for (Map.Entry<String, Series> e : w.allSeries().entrySet()) {
            Integer col = index.get(e.getKey());
            if (col == null) col = index.get(w.name() + "." + e.getKey());
            if (col == null) {
                unknown.add(e.getKey());
                if (unknownOut != null) unknownOut.add(e.getKey());
                continue;
            }
            known++;
            if (e.getValue().size() > 0) present[col] = true;
            cols.add(e.getValue());
            colIndex.add(col);
            values += e.getValue().size();
        }
        // the steps that hold a value, in order
        long[] held = new long[values];
        int nh = 0;
        for (Series s : cols) for (int i = 0; i < s.size(); i++) held[nh++] = stepOf(s.time(i), tmin, stepNs, lastStep);
        Arrays.sort(held, 0, nh);
        // the steps that get a row: each held step and up to maxFill empty steps after it (and from tmin, before the
        // first), up to the window's last step; counted first, then listed
        int fillRun = Math.max(1, maxFill);
        long[] steps = null;
        int ns = 0;
        for (int pass = 0; pass < 2; pass++) {
            if (pass == 1) steps = new long[ns];
            ns = 0;
            long next = 0; // the first step not yet given a row or skipped
            for (int i = 0; i <= nh; i++) {
                if (i < nh && (held[i] < next || (i > 0 && held[i] == held[i - 1]))) continue; // a step already given a row
                long until = i < nh ? held[i] : plus(lastStep, 1); // empty steps [next, until)
                long end = Math.min(until, plus(next, fillRun));
                for (long k = next; k < end; k++) {
                    if (pass == 1) steps[ns] = k;
                    ns++;
                }
                if (i < nh) {
                    if (pass == 1) steps[ns] = held[i];
                    ns++;
                    next = plus(held[i], 1);
                }
            }
        }
        double[][] rows = new double[ns][d];
        for (double[] r : rows) Arrays.fill(r, Double.NaN);
        for (int c = 0; c < cols.size(); c++) {
            Series s = cols.get(c);
            int col = colIndex.get(c);
            for (int i = 0; i < s.size(); i++) {
                int k = Arrays.binarySearch(steps, 0, ns, stepOf(s.time(i), tmin, stepNs, lastStep));
                rows[k][col] = s.value(i);
            }
        }
        int imputed = 0;
        int nMissing = 0;
        int[] missing = new int[d];
        for (int j = 0; j < d; j++) {
            double prev = last[j];
            if (!present[j] && ns > 0) missing[nMissing++] = j;
            for (int k = 0; k < ns; k++) {
                if (Double.isNaN(rows[k][j])) {
                    if (Double.isNaN(prev)) {
                        rows[k][j] = fill[j];
                        imputed++;
                    } else {
                        rows[k][j] = prev;
                        if (!present[j]) imputed++; // no value in this window: its last one stands in
                    }
                } else {
                    prev = rows[k][j];
                }
            }
            // only observed values carry over to the next window
            last[j] = prev;
        }
        long[] times = new long[ns];
        for (int k = 0; k < ns; k++) times[k] = stepNs <= 0 ? tmax : tmin + steps[k] * stepNs;
        return new Rows(rows, times, imputed, known, nh, unknown, Arrays.copyOf(missing, nMissing));
    }

    /** a + b, at most Long.MAX_VALUE (both >= 0). */
    private static long plus(long a, long b) {
        return a > Long.MAX_VALUE - b ? Long.MAX_VALUE : a + b;
    }

    /** The step of time t: (t - tmin) / step within [0, lastStep] (a point after the window's tmax is in its last step). */
    private static long stepOf(long t, long tmin, long stepNs, long lastStep) {
        if (stepNs <= 0 || t <= tmin) return 0;
        long k = (t - tmin) / stepNs;
        return k < 0 ? lastStep : Math.min(lastStep, k); // < 0: t - tmin overflowed
    }
}
