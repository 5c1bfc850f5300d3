package anteater.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The Numenta Anomaly Benchmark score (Lavin and Ahmad, 2015), written from its published rules:
 * <ul>
 *   <li>rows of the probation period (the first {@code min(floor(0.15 n), 750)} rows of a file) are not scored;</li>
 *   <li>a labelled window counts once: its best (earliest) detection scores
 *       {@code tpWeight * sigma(p) / sigma(-1)}, with {@code p = -(right - i + 1) / width} the position of row i
 *       relative to the window's right edge (-1 at its first row) and {@code sigma(p) = 2 / (1 + e^(5p)) - 1}
 *       ({@code -1} when {@code p >= 3}); a window without detection costs {@code -fnWeight};</li>
 *   <li>each detection outside every window scores {@code fpWeight * sigma(p)}, with
 *       {@code p = |i - prevRight| / (prevWidth - 1)} relative to the preceding window (so it costs little right
 *       after a window and {@code fpWeight} far from it), {@code -fpWeight} before the first window;</li>
 *   <li>a corpus score is the sum over files, normalised to {@code 100 * (raw - null) / (perfect - null)}, where the
 *       null detector (no detection) scores {@code -fnWeight} per window and the perfect one {@code tpWeight} per
 *       window.</li>
 * </ul>
 */
public final class NabScore {

    /** NAB's application profiles (weights of its config/profiles.json). */
    public record Profile(String name, double tp, double fp, double fn) {
    }

    public static final Profile STANDARD = new Profile("standard", 1.0, 0.11, 1.0);
    public static final Profile LOW_FP = new Profile("reward_low_FP_rate", 1.0, 0.22, 1.0);
    public static final Profile LOW_FN = new Profile("reward_low_FN_rate", 1.0, 0.11, 2.0);
    public static final List<Profile> PROFILES = List.of(STANDARD, LOW_FP, LOW_FN);

    public static final double PROBATION_SHARE = 0.15;

    private NabScore() {
    }

    /** NAB's probation length of a file of n rows. */
    public static int probation(int n) {
        return (int) Math.min(Math.floor(PROBATION_SHARE * n), PROBATION_SHARE * 5000);
    }

    static double sigma(double p) {
        if (p >= 3.0) return -1.0;
        return 2.0 / (1.0 + Math.exp(5.0 * p)) - 1.0;
    }

    /**
     * A file prepared for scoring: for each row, its window (-1 outside) and the unweighted score a detection
     * there would get; only rows from {@code probation} on are scored.
     */
    public static final class File {
        final int n;
        final int probation;
        final int[] window;
        final double[] unweighted;
        /** Windows with at least one scored row (NAB's null detector loses fnWeight on these). */
        final int scoredWindows;
        /** All windows of the file (NAB's perfect score counts these). */
        final int windows;

        /**
         * @param times   the row times of the whole file (probation included), ascending
         * @param windows labelled windows {start, end} (inclusive), in the same unit as times
         */
        public File(long[] times, List<long[]> windows) {
            this(times, windows, probation(times.length));
        }

        File(long[] times, List<long[]> windows, int probation) {
            this.n = times.length;
            this.probation = probation;
            this.window = new int[n];
            this.unweighted = new double[n];
            Arrays.fill(window, -1);
            List<long[]> ws = new ArrayList<>(windows);
            ws.sort((a, b) -> Long.compare(a[0], b[0]));
            int[] left = new int[ws.size()], right = new int[ws.size()];
            for (int k = 0; k < ws.size(); k++) {
                left[k] = lowerBound(times, ws.get(k)[0]);
                // the window ends at the first row with its end time, as NAB's sweeper does (timestamps.index)
                int end = lowerBound(times, ws.get(k)[1]);
                right[k] = end < n && times[end] == ws.get(k)[1] ? end : end - 1;
                for (int i = left[k]; i <= right[k]; i++) window[i] = k;
            }
            int prevRight = -1;
            double prevWidth = 0;
            int k = 0;
            for (int i = 0; i < n; i++) {
                while (k < ws.size() && right[k] < i) {
                    if (right[k] >= left[k]) {
                        prevRight = right[k];
                        prevWidth = right[k] - left[k] + 1;
                    }
                    k++;
                }
                if (window[i] >= 0) {
                    int w = window[i];
                    double width = right[w] - left[w] + 1;
                    unweighted[i] = sigma(-(right[w] - i + 1) / width) / sigma(-1.0);
                } else if (prevRight < 0) {
                    unweighted[i] = -1.0;
                } else {
                    // a window of one row has no width to scale by: NAB divides by zero there; treat as far away
                    unweighted[i] = prevWidth > 1 ? sigma(Math.abs(i - prevRight) / (prevWidth - 1)) : -1.0;
                }
            }
            int scored = 0;
            for (int w = 0; w < ws.size(); w++) if (right[w] >= Math.max(left[w], probation)) scored++;
            this.scoredWindows = scored;
            this.windows = ws.size();
        }

        private static int lowerBound(long[] a, long key) {
            int lo = 0, hi = a.length;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (a[mid] < key) lo = mid + 1;
                else hi = mid;
            }
            return lo;
        }

        /** Raw score and counts of the detections {@code flag} (one per row of the whole file). */
        public Result score(boolean[] flag, Profile p) {
            if (flag.length != n) throw new IllegalArgumentException("flags " + flag.length + " != rows " + n);
            double[] best = new double[windows];
            Arrays.fill(best, Double.NaN);
            double fp = 0;
            int fpCount = 0;
            for (int i = probation; i < n; i++) {
                if (!flag[i]) continue;
                int w = window[i];
                if (w >= 0) {
                    double s = p.tp() * unweighted[i];
                    if (Double.isNaN(best[w]) || s > best[w]) best[w] = s;
                } else {
                    fp += p.fp() * unweighted[i];
                    fpCount++;
                }
            }
            double raw = fp;
            int tp = 0;
            boolean[] counted = countedWindows();
            for (int w = 0; w < windows; w++) {
                if (!counted[w]) continue;
                if (Double.isNaN(best[w])) {
                    raw -= p.fn();
                } else {
                    raw += best[w];
                    tp++;
                }
            }
            return new Result(raw, tp, scoredWindows - tp, fpCount, windows);
        }

        private boolean[] countedWindows() {
            boolean[] c = new boolean[windows];
            for (int i = probation; i < n; i++) if (window[i] >= 0) c[window[i]] = true;
            return c;
        }
    }

    /**
     * One file's (or a corpus's) score.
     *
     * @param raw     sum of window scores and false-positive penalties
     * @param tp      windows detected
     * @param fn      windows missed
     * @param fp      detections outside windows
     * @param windows windows (for the perfect score)
     */
    public record Result(double raw, int tp, int fn, int fp, int windows) {
        Result plus(Result o) {
            return new Result(raw + o.raw, tp + o.tp, fn + o.fn, fp + o.fp, windows + o.windows);
        }
    }

    /** The normalised corpus score of summed results: 0 = no detection, 100 = every window at its first row. */
    public static double normalised(Result total, int scoredWindows, Profile p) {
        double nul = -p.fn() * scoredWindows;
        double perfect = p.tp() * total.windows();
        return 100.0 * (total.raw() - nul) / (perfect - nul);
    }

    /** Sums the files' results for detections {@code flags.get(f)} and normalises. */
    public static Corpus corpus(List<File> files, List<boolean[]> flags, Profile p) {
        Result sum = new Result(0, 0, 0, 0, 0);
        int scored = 0;
        for (int f = 0; f < files.size(); f++) {
            sum = sum.plus(files.get(f).score(flags.get(f), p));
            scored += files.get(f).scoredWindows;
        }
        return new Corpus(normalised(sum, scored, p), sum, Double.NaN);
    }

    /** A corpus score; {@code threshold} is the one used when it was chosen by {@link #bestThreshold}. */
    public record Corpus(double score, Result total, double threshold) {
    }

    /**
     * NAB's own protocol: the one score threshold over the whole corpus that maximises the profile's score (a
     * detection is a row with score >= threshold). It looks at the labels, so it is a reference, not a result of
     * a threshold fixed beforehand.
     */
    public static Corpus bestThreshold(List<File> files, List<double[]> scores, Profile p) {
        int total = 0;
        for (int f = 0; f < files.size(); f++) total += Math.max(0, files.get(f).n - files.get(f).probation);
        long[] keys = new long[total];
        double[] vals = new double[total];
        int m = 0;
        int[] base = new int[files.size()];
        int nw = 0;
        int scored = 0;
        for (int f = 0; f < files.size(); f++) {
            File file = files.get(f);
            base[f] = nw;
            nw += file.windows;
            scored += file.scoredWindows;
            for (int i = file.probation; i < file.n; i++) {
                keys[m] = ((long) f << 32) | i;
                double s = scores.get(f)[i];
                vals[m++] = Double.isNaN(s) ? Double.NEGATIVE_INFINITY : s;
            }
        }
        Integer[] order = new Integer[m];
        for (int i = 0; i < m; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> Double.compare(vals[b], vals[a]));
        double[] best = new double[nw];
        Arrays.fill(best, Double.NaN);
        double fp = 0, windowPart = -p.fn() * scored;
        int tp = 0, fpCount = 0;
        double bestScore = Double.NEGATIVE_INFINITY, bestThr = Double.POSITIVE_INFINITY;
        Result bestResult = new Result(windowPart, 0, scored, 0, nw);
        // no detection at all
        bestScore = normalised(bestResult, scored, p);
        for (int k = 0; k < m; ) {
            double v = vals[order[k]];
            if (v == Double.NEGATIVE_INFINITY) break;
            while (k < m && vals[order[k]] == v) {
                long key = keys[order[k]];
                File file = files.get((int) (key >>> 32));
                int i = (int) key;
                int w = file.window[i];
                if (w >= 0) {
                    int g = base[(int) (key >>> 32)] + w;
                    double s = p.tp() * file.unweighted[i];
                    if (Double.isNaN(best[g])) {
                        windowPart += p.fn() + s;
                        best[g] = s;
                        tp++;
                    } else if (s > best[g]) {
                        windowPart += s - best[g];
                        best[g] = s;
                    }
                } else {
                    fp += p.fp() * file.unweighted[i];
                    fpCount++;
                }
                k++;
            }
            Result r = new Result(windowPart + fp, tp, scored - tp, fpCount, nw);
            double sc = normalised(r, scored, p);
            if (sc > bestScore) {
                bestScore = sc;
                bestThr = v;
                bestResult = r;
            }
        }
        return new Corpus(bestScore, bestResult, bestThr);
    }
}
