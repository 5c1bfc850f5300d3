package anteater.detect.vae;

import anteater.detect.Series;
import anteater.detect.Window;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a window into rows of metric vectors, one a step: the window's span is cut into steps of a fixed length
 * (from {@code tmin}); a metric's value at a step is its last value within it. A metric absent at a step takes
 * its previous value (forward fill, also across windows); a metric with no value yet takes its fill value (the
 * training mean) and is counted as imputed. Fields that are not in the metric list are reported as unknown.
 *
 * <p>A field matches metric id {@code field} or {@code <measurement>.<field>}.
 */
public final class StepAssembler {

    /** The assembled rows and what had to be made up. */
    public record Rows(double[][] rows, long[] times, int imputed, int known, List<String> unknown) {
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
     * @param index  metric id to column
     * @param stepNs step length; 0 makes one step of the whole window
     * @param last   the previous values of each metric (NaN = none yet); updated in place
     * @param fill   values of metrics never seen (raw units)
     */
    public static Rows assemble(Window w, Map<String, Integer> index, long stepNs, double[] last, double[] fill,
                                Set<String> unknownOut) {
        int d = last.length;
        long tmin = w.tmin(), tmax = Math.max(w.tmax(), w.tmin());
        int steps = stepNs <= 0 ? 1 : (int) Math.min(1_000_000, (tmax - tmin) / stepNs + 1);
        double[][] rows = new double[steps][d];
        for (double[] r : rows) Arrays.fill(r, Double.NaN);
        int known = 0;
        List<String> unknown = new java.util.ArrayList<>();
        for (Map.Entry<String, Series> e : w.allSeries().entrySet()) {
            Integer col = index.get(e.getKey());
            if (col == null) col = index.get(w.name() + "." + e.getKey());
            if (col == null) {
                unknown.add(e.getKey());
                if (unknownOut != null) unknownOut.add(e.getKey());
                continue;
            }
            known++;
            Series s = e.getValue();
            for (int i = 0; i < s.size(); i++) {
                long t = s.time(i);
                int k = stepNs <= 0 ? 0 : (int) Math.max(0, Math.min(steps - 1, (t - tmin) / stepNs));
                rows[k][col] = s.value(i);
            }
        }
        int imputed = 0;
        for (int j = 0; j < d; j++) {
            double prev = last[j];
            for (int k = 0; k < steps; k++) {
                if (Double.isNaN(rows[k][j])) {
                    if (Double.isNaN(prev)) {
                        rows[k][j] = fill[j];
                        imputed++;
                    } else {
                        rows[k][j] = prev;
                    }
                } else {
                    prev = rows[k][j];
                }
            }
            // only observed values carry over to the next window
            last[j] = prev;
        }
        long[] times = new long[steps];
        for (int k = 0; k < steps; k++) times[k] = stepNs <= 0 ? tmax : tmin + k * stepNs;
        return new Rows(rows, times, imputed, known, unknown);
    }
}
