package anteater.eval;

import java.util.Arrays;

/**
 * Accuracy of one method on one series: point-wise precision, recall and F1 of the flags, event recall (a
 * labelled segment is found if any of its points is flagged), false alarms per day (flagged runs touching no
 * labelled segment, however long), false-positive rows per day (every flagged row outside the labels: a long run
 * after an incident counts as one false alarm but as all its rows here), AUC-PR of the scores (average precision), and, for reference only, the best F1 any single
 * threshold would reach on the test labels (an oracle, not a result) and the point-adjusted F1 of the flags.
 */
public record Scores(double precision, double recall, double f1, double eventRecall, int events,
                     double falseAlarmsPerDay, double aucPr, double bestF1, double pointAdjustedF1,
                     double falsePositivesPerDay) {

    public static Scores of(double[] score, boolean[] flag, int[] label, double days) {
        int n = label.length;
        int tp = 0, fp = 0, fn = 0;
        for (int i = 0; i < n; i++) {
            if (flag[i] && label[i] == 1) tp++;
            else if (flag[i]) fp++;
            else if (label[i] == 1) fn++;
        }
        double p = tp + fp == 0 ? 0 : (double) tp / (tp + fp);
        double r = tp + fn == 0 ? 0 : (double) tp / (tp + fn);
        double f1 = p + r == 0 ? 0 : 2 * p * r / (p + r);
        // events
        int events = 0, found = 0;
        boolean[] adjusted = flag.clone();
        for (int i = 0; i < n; ) {
            if (label[i] == 0) {
                i++;
                continue;
            }
            int j = i;
            boolean hit = false;
            while (j < n && label[j] == 1) hit |= flag[j++];
            events++;
            if (hit) {
                found++;
                for (int k = i; k < j; k++) adjusted[k] = true;
            }
            i = j;
        }
        int falseRuns = 0;
        for (int i = 0; i < n; ) {
            if (!flag[i]) {
                i++;
                continue;
            }
            int j = i;
            boolean touches = false;
            while (j < n && flag[j]) touches |= label[j++] == 1;
            if (!touches) falseRuns++;
            i = j;
        }
        int atp = 0, afp = 0, afn = 0;
        for (int i = 0; i < n; i++) {
            if (adjusted[i] && label[i] == 1) atp++;
            else if (adjusted[i]) afp++;
            else if (label[i] == 1) afn++;
        }
        double ap = atp + afp == 0 ? 0 : (double) atp / (atp + afp);
        double ar = atp + afn == 0 ? 0 : (double) atp / (atp + afn);
        double af1 = ap + ar == 0 ? 0 : 2 * ap * ar / (ap + ar);
        double[] pr = precisionRecall(score, label);
        return new Scores(p, r, f1, events == 0 ? Double.NaN : (double) found / events, events,
                days > 0 ? falseRuns / days : Double.NaN, pr[0], pr[1], af1,
                days > 0 ? fp / days : Double.NaN);
    }

    /** {average precision, best F1 over thresholds}; ties are one threshold step. */
    static double[] precisionRecall(double[] score, int[] label) {
        int n = label.length;
        int positives = 0;
        for (int l : label) positives += l;
        if (positives == 0) return new double[] {Double.NaN, Double.NaN};
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> Double.compare(sanitize(score[b]), sanitize(score[a])));
        double ap = 0, best = 0, prevRecall = 0;
        int tp = 0, seen = 0;
        for (int k = 0; k < n; ) {
            double s = sanitize(score[order[k]]);
            while (k < n && sanitize(score[order[k]]) == s) {
                tp += label[order[k]];
                seen++;
                k++;
            }
            double prec = (double) tp / seen, rec = (double) tp / positives;
            ap += (rec - prevRecall) * prec;
            prevRecall = rec;
            if (prec + rec > 0) best = Math.max(best, 2 * prec * rec / (prec + rec));
        }
        return new double[] {ap, best};
    }

    private static double sanitize(double v) {
        return Double.isNaN(v) ? Double.NEGATIVE_INFINITY : v;
    }
}
