package anteater.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The evaluation's figures (the F1 and AUC-PR targets rest on them) against a brute-force statement of
 * each: precision and recall over every threshold a score takes (a flag at score >= t, NaN lowest), average
 * precision as the sum of precision times the recall gained at each, runs found as maximal stretches. Mutation
 * testing found the oracle F1, ties and the empty cases unchecked.
 */
class ScoresOracleTest {

    /** Maximal runs {start, end exclusive} where {@code on} is true. */
    static List<int[]> runs(boolean[] on) {
        List<int[]> out = new ArrayList<>();
        int start = -1;
        for (int i = 0; i <= on.length; i++) {
            boolean v = i < on.length && on[i];
            if (v && start < 0) start = i;
            if (!v && start >= 0) {
                out.add(new int[] {start, i});
                start = -1;
            }
        }
        return out;
    }

    static double f1(double p, double r) {
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    static double[] prf(boolean[] flag, int[] label) {
        int tp = 0, flagged = 0, pos = 0;
        for (int i = 0; i < label.length; i++) {
            if (flag[i]) flagged++;
            if (label[i] == 1) pos++;
            if (flag[i] && label[i] == 1) tp++;
        }
        double p = flagged == 0 ? 0 : (double) tp / flagged, r = pos == 0 ? 0 : (double) tp / pos;
        return new double[] {p, r, f1(p, r)};
    }

    static double key(double v) {
        return Double.isNaN(v) ? Double.NEGATIVE_INFINITY : v;
    }

    /** {average precision, best F1}: every distinct score, from the highest, as a threshold. */
    static double[] naivePr(double[] score, int[] label) {
        int pos = 0;
        for (int l : label) pos += l;
        if (pos == 0) return new double[] {Double.NaN, Double.NaN};
        double[] ts = java.util.Arrays.stream(score).map(ScoresOracleTest::key).distinct().sorted().toArray();
        double ap = 0, best = 0, prevR = 0;
        for (int k = ts.length - 1; k >= 0; k--) {
            boolean[] flag = new boolean[score.length];
            for (int i = 0; i < score.length; i++) flag[i] = key(score[i]) >= ts[k];
            double[] m = prf(flag, label);
            ap += (m[1] - prevR) * m[0];
            prevR = m[1];
            best = Math.max(best, m[2]);
        }
        return new double[] {ap, best};
    }

    @Test
    void everyFigureMatchesItsBruteForceStatement() {
        Random r = new Random(11);
        int withEvents = 0, tied = 0;
        for (int trial = 0; trial < 1500; trial++) {
            int n = 1 + r.nextInt(80);
            int[] label = new int[n];
            boolean[] flag = new boolean[n];
            double[] score = new double[n];
            int levels = 1 + r.nextInt(6); // few levels: many ties
            double pLabel = r.nextDouble() * 0.5, pFlag = r.nextDouble() * 0.5;
            boolean inLabel = false, inFlag = false;
            for (int i = 0; i < n; i++) {
                if (r.nextDouble() < 0.2) inLabel = r.nextDouble() < pLabel * 2;
                if (r.nextDouble() < 0.3) inFlag = r.nextDouble() < pFlag * 2;
                label[i] = inLabel ? 1 : 0;
                flag[i] = inFlag;
                score[i] = r.nextInt(10) == 0 ? Double.NaN : r.nextInt(levels) + (inLabel ? r.nextInt(2) : 0);
            }
            double days = r.nextInt(5) == 0 ? 0 : 0.5 + r.nextInt(3);
            Scores s = Scores.of(score, flag, label, days);
            String at = "trial " + trial;
            double[] m = prf(flag, label);
            assertEquals(m[0], s.precision(), 1e-12, at);
            assertEquals(m[1], s.recall(), 1e-12, at);
            assertEquals(m[2], s.f1(), 1e-12, at);
            boolean[] isLabel = new boolean[n];
            for (int i = 0; i < n; i++) isLabel[i] = label[i] == 1;
            List<int[]> events = runs(isLabel), alarms = runs(flag);
            boolean[] adjusted = flag.clone();
            int found = 0;
            for (int[] e : events) {
                boolean hit = false;
                for (int i = e[0]; i < e[1]; i++) hit |= flag[i];
                if (hit) {
                    found++;
                    for (int i = e[0]; i < e[1]; i++) adjusted[i] = true;
                }
            }
            int falseRuns = 0, fpRows = 0;
            for (int[] a : alarms) {
                boolean touches = false;
                for (int i = a[0]; i < a[1]; i++) touches |= isLabel[i];
                if (!touches) falseRuns++;
            }
            for (int i = 0; i < n; i++) if (flag[i] && !isLabel[i]) fpRows++;
            assertEquals(events.size(), s.events(), at);
            if (events.isEmpty()) assertTrue(Double.isNaN(s.eventRecall()), at);
            else assertEquals((double) found / events.size(), s.eventRecall(), 1e-12, at);
            if (days == 0) {
                assertTrue(Double.isNaN(s.falseAlarmsPerDay()) && Double.isNaN(s.falsePositivesPerDay()), at);
            } else {
                assertEquals(falseRuns / days, s.falseAlarmsPerDay(), 1e-12, at);
                assertEquals(fpRows / days, s.falsePositivesPerDay(), 1e-12, at);
            }
            assertEquals(prf(adjusted, label)[2], s.pointAdjustedF1(), 1e-12, at);
            double[] pr = naivePr(score, label);
            if (Double.isNaN(pr[0])) {
                assertTrue(Double.isNaN(s.aucPr()) && Double.isNaN(s.bestF1()), at);
            } else {
                assertEquals(pr[0], s.aucPr(), 1e-12, at);
                assertEquals(pr[1], s.bestF1(), 1e-12, at);
                withEvents++;
            }
            if (java.util.Arrays.stream(score).distinct().count() < n) tied++;
        }
        assertTrue(withEvents > 700 && tied > 1000, withEvents + " with labels, " + tied + " with ties");
    }

    @Test
    void handWorkedTiesAndTheOracleF1() {
        // scores 3 3 2 1 with labels 1 0 1 0: thresholds 3 (P 1/2, R 1/2), 2 (P 2/3, R 1), 1 (P 1/2, R 1)
        Scores s = Scores.of(new double[] {3, 3, 2, 1}, new boolean[4], new int[] {1, 0, 1, 0}, 1);
        assertEquals(0.5 * 0.5 + 0.5 * (2.0 / 3), s.aucPr(), 1e-12, "a tie is one step, not an order");
        assertEquals(2 * (2.0 / 3) / (2.0 / 3 + 1), s.bestF1(), 1e-12);
        assertEquals(0, s.f1(), 0, "nothing flagged");
        assertEquals(0, s.precision(), 0);
        // NaN scores rank last; a series without labels has no AUC-PR, no oracle, no event recall
        Scores nan = Scores.of(new double[] {Double.NaN, 1}, new boolean[] {true, false}, new int[] {1, 0}, 2);
        assertEquals(0.5, nan.aucPr(), 1e-12);
        assertEquals(1.0, nan.recall(), 0);
        Scores none = Scores.of(new double[] {1, 2}, new boolean[] {true, false}, new int[] {0, 0}, 2);
        assertTrue(Double.isNaN(none.aucPr()) && Double.isNaN(none.bestF1()) && Double.isNaN(none.eventRecall()));
        assertEquals(0, none.recall(), 0);
        assertEquals(0.5, none.falseAlarmsPerDay(), 0);
    }
}
