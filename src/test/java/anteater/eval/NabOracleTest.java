package anteater.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The NAB score against a brute-force statement of NAB's rules on random files: each row's window and weight
 * found by scanning, each window's best detection and each false positive summed, and the corpus threshold as
 * the best of every score a row takes (the highest on a tie). NabScoreTest has the hand-worked values; mutation
 * testing found the window bounds, the preceding window's width and the sweep's bookkeeping unchecked.
 */
class NabOracleTest {

    static double sigma(double p) {
        return p >= 3 ? -1 : 2 / (1 + Math.exp(5 * p)) - 1;
    }

    /** {left, right} rows of window {start, end}: from the first row at or after start to the first row at end,
     * or the last row before it when no row is at end; right < left when it holds no row. */
    static int[] rows(long[] t, long[] w) {
        int left = t.length;
        for (int i = t.length - 1; i >= 0; i--) if (t[i] >= w[0]) left = i;
        int right = -1;
        for (int i = 0; i < t.length; i++) if (t[i] < w[1]) right = i;
        for (int i = t.length - 1; i >= 0; i--) if (t[i] == w[1]) right = i;
        return new int[] {left, right};
    }

    /** A row's weight: in a window by its place there, else by its distance from the nearest window before it. */
    static double weight(long[] t, List<long[]> ws, int i) {
        int[] before = null;
        for (long[] w : ws) {
            int[] lr = rows(t, w);
            if (lr[0] <= i && i <= lr[1]) {
                double width = lr[1] - lr[0] + 1;
                return sigma(-(lr[1] - i + 1) / width) / sigma(-1);
            }
            if (lr[1] >= lr[0] && lr[1] < i && (before == null || lr[1] > before[1])) before = lr;
        }
        if (before == null) return -1;
        double width = before[1] - before[0] + 1;
        return width > 1 ? sigma(Math.abs(i - before[1]) / (width - 1)) : -1;
    }

    static double naiveRaw(long[] t, List<long[]> ws, int probation, boolean[] flag, NabScore.Profile p) {
        double raw = 0;
        for (int i = probation; i < t.length; i++) {
            if (!flag[i]) continue;
            boolean inside = false;
            for (long[] w : ws) {
                int[] lr = rows(t, w);
                inside |= lr[0] <= i && i <= lr[1];
            }
            if (!inside) raw += p.fp() * weight(t, ws, i);
        }
        for (long[] w : ws) {
            int[] lr = rows(t, w);
            if (lr[1] < Math.max(lr[0], probation)) continue; // no scored row
            double best = Double.NaN;
            for (int i = Math.max(lr[0], probation); i <= lr[1]; i++) {
                if (flag[i]) best = Double.isNaN(best) ? p.tp() * weight(t, ws, i) : Math.max(best, p.tp() * weight(t, ws, i));
            }
            raw += Double.isNaN(best) ? -p.fn() : best;
        }
        return raw;
    }

    record RandomFile(long[] times, List<long[]> windows, double[] scores) {
    }

    static RandomFile randomFile(Random r) {
        int n = 5 + r.nextInt(120);
        long[] t = new long[n];
        long now = r.nextInt(5);
        for (int i = 0; i < n; i++) {
            t[i] = now;
            now += 1 + r.nextInt(3);
        }
        List<long[]> ws = new ArrayList<>();
        long at = t[0] - 2 + r.nextInt(10);
        while (ws.size() < 4 && at < now + 5) {
            long len = r.nextInt(4) == 0 ? 0 : r.nextInt(25);
            ws.add(new long[] {at, at + len});
            at += len + 1 + r.nextInt(60);
        }
        java.util.Collections.shuffle(ws, r);
        double[] s = new double[n];
        for (int i = 0; i < n; i++) s[i] = r.nextInt(12) == 0 ? Double.NaN : r.nextInt(1 + r.nextInt(8));
        return new RandomFile(t, ws, s);
    }

    @Test
    void filesScoreAsNabsRulesSay() {
        Random r = new Random(5);
        for (int trial = 0; trial < 400; trial++) {
            RandomFile rf = randomFile(r);
            int probation = r.nextInt(Math.max(1, rf.times().length / 3));
            NabScore.File f = new NabScore.File(rf.times(), rf.windows(), probation);
            for (int i = 0; i < rf.times().length; i++) {
                assertEquals(weight(rf.times(), rf.windows(), i), f.unweighted[i], 1e-12, "trial " + trial + " row " + i);
            }
            boolean[] flag = new boolean[rf.times().length];
            for (int i = 0; i < flag.length; i++) flag[i] = r.nextInt(4) == 0;
            for (NabScore.Profile p : NabScore.PROFILES) {
                NabScore.Result res = f.score(flag, p);
                assertEquals(naiveRaw(rf.times(), rf.windows(), probation, flag, p), res.raw(), 1e-9, "trial " + trial + " " + p.name());
                int fp = 0;
                for (int i = probation; i < flag.length; i++) if (flag[i] && f.window[i] < 0) fp++;
                assertEquals(fp, res.fp());
                assertEquals(rf.windows().size(), res.windows());
                assertEquals(f.scoredWindows, res.tp() + res.fn());
            }
        }
    }

    @Test
    void theCorpusThresholdIsTheBestOfEveryScoreARowTakes() {
        Random r = new Random(6);
        int improved = 0;
        for (int trial = 0; trial < 150; trial++) {
            List<NabScore.File> files = new ArrayList<>();
            List<double[]> scores = new ArrayList<>();
            for (int k = 1 + r.nextInt(3); k > 0; k--) {
                RandomFile rf = randomFile(r);
                files.add(new NabScore.File(rf.times(), rf.windows(), r.nextInt(Math.max(1, rf.times().length / 3))));
                scores.add(rf.scores());
            }
            for (NabScore.Profile p : NabScore.PROFILES) {
                java.util.TreeSet<Double> values = new java.util.TreeSet<>(java.util.Comparator.reverseOrder());
                for (int f = 0; f < files.size(); f++) {
                    for (int i = files.get(f).probation; i < files.get(f).n; i++) {
                        if (!Double.isNaN(scores.get(f)[i])) values.add(scores.get(f)[i]);
                    }
                }
                List<boolean[]> none = new ArrayList<>();
                for (NabScore.File f : files) none.add(new boolean[f.n]);
                double best = NabScore.corpus(files, none, p).score(), bestThr = Double.POSITIVE_INFINITY;
                for (double v : values) {
                    List<boolean[]> flags = new ArrayList<>();
                    for (int f = 0; f < files.size(); f++) {
                        boolean[] fl = new boolean[files.get(f).n];
                        for (int i = 0; i < fl.length; i++) fl[i] = scores.get(f)[i] >= v;
                        flags.add(fl);
                    }
                    double s = NabScore.corpus(files, flags, p).score();
                    if (s > best + 1e-12) {
                        best = s;
                        bestThr = v;
                    }
                }
                NabScore.Corpus c = NabScore.bestThreshold(files, scores, p);
                String at = "trial " + trial + " " + p.name();
                if (Double.isNaN(best)) {
                    assertTrue(Double.isNaN(c.score()), at);
                    continue;
                }
                assertEquals(best, c.score(), 1e-9, at);
                assertEquals(bestThr, c.threshold(), 0, at);
                if (bestThr != Double.POSITIVE_INFINITY) {
                    improved++;
                    List<boolean[]> flags = new ArrayList<>();
                    for (int f = 0; f < files.size(); f++) {
                        boolean[] fl = new boolean[files.get(f).n];
                        for (int i = 0; i < fl.length; i++) fl[i] = scores.get(f)[i] >= bestThr;
                        flags.add(fl);
                    }
                    NabScore.Result total = NabScore.corpus(files, flags, p).total();
                    assertEquals(total.raw(), c.total().raw(), 1e-9, at);
                    assertEquals(List.of(total.tp(), total.fn(), total.fp(), total.windows()),
                            List.of(c.total().tp(), c.total().fn(), c.total().fp(), c.total().windows()), at);
                }
            }
        }
        assertTrue(improved > 100, improved + " sweeps found a threshold better than none");
    }
}
