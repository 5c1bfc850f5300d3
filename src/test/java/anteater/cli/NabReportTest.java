package anteater.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import anteater.eval.Dataset;
import anteater.eval.Method;
import anteater.eval.NabLoader;
import anteater.eval.NabScore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * The NAB table eval prints (the "NAB standard score >= 50" is read off it): each row's figures are the
 * corpus scores of the method's flags over the whole file, probation rows unflagged, and NAB's protocol over its
 * scores; one row per folder and one over all files. Mutation testing found the table untested (36 %).
 */
class NabReportTest {

    /** A file of 100 rows 1 s apart (probation 15), with the given windows (row ranges) and detections. */
    record Series(NabLoader.Labelled labelled, Method.Result result, long[] times, List<long[]> windows) {
    }

    static Series series(String name, int[][] windowRows, int[] flagRows, double[] scoreAt) {
        int n = 100, p = NabScore.probation(n);
        long[] t = new long[n];
        for (int i = 0; i < n; i++) t[i] = (1000L + i) * 1_000_000_000L;
        List<long[]> ws = new ArrayList<>();
        for (int[] w : windowRows) ws.add(new long[] {t[w[0]], t[w[1]]});
        double[][] train = new double[p][1], test = new double[n - p][1];
        long[] tt = java.util.Arrays.copyOfRange(t, 0, p), st = java.util.Arrays.copyOfRange(t, p, n);
        Dataset d = new Dataset(name, List.of("value"), train, test, new int[n - p], tt, st);
        boolean[] flag = new boolean[n - p];
        double[] score = new double[n - p];
        for (int r : flagRows) flag[r - p] = true;
        for (int i = 0; i < scoreAt.length; i += 2) score[(int) scoreAt[i] - p] = scoreAt[i + 1];
        return new Series(new NabLoader.Labelled(d, ws), new Method.Result(score, flag, 0.5, null), t, ws);
    }

    static boolean[] whole(Series s) {
        boolean[] f = new boolean[s.times().length];
        int p = s.labelled().data().trainTimes().length;
        for (int i = 0; i < s.result().flag().length; i++) f[p + i] = s.result().flag()[i];
        return f;
    }

    static double[] wholeScores(Series s) {
        double[] f = new double[s.times().length];
        int p = s.labelled().data().trainTimes().length;
        java.util.Arrays.fill(f, 0, p, Double.NaN);
        System.arraycopy(s.result().score(), 0, f, p, s.result().score().length);
        return f;
    }

    static String cells(List<Series> ss) {
        List<NabScore.File> fs = new ArrayList<>();
        List<boolean[]> flags = new ArrayList<>();
        List<double[]> scores = new ArrayList<>();
        for (Series s : ss) {
            fs.add(new NabScore.File(s.times(), s.windows()));
            flags.add(whole(s));
            scores.add(wholeScores(s));
        }
        StringBuilder b = new StringBuilder();
        NabScore.Result std = null;
        for (NabScore.Profile p : NabScore.PROFILES) {
            NabScore.Corpus c = NabScore.corpus(fs, flags, p);
            if (std == null) std = c.total();
            b.append(String.format(Locale.ROOT, " %.1f (%.1f) |", c.score(), NabScore.bestThreshold(fs, scores, p).score()));
        }
        return b.append(String.format(Locale.ROOT, " %d / %d / %d |", std.tp(), std.fn(), std.fp())).toString();
    }

    @Test
    void eachRowIsTheCorpusScoreOfItsFilesAndTheAllRowSumsThem() {
        // a/x: found at its window's start, one false alarm; a/y: missed; b/z: found late; a flag in probation ignored
        Series x = series("a/x", new int[][] {{40, 49}}, new int[] {40, 70}, new double[] {40, 0.9, 70, 0.8});
        Series y = series("a/y", new int[][] {{60, 64}}, new int[] {20}, new double[] {20, 0.7, 61, 0.6});
        // b/z also has a window that begins in the probation rows: its bounds come from the whole file's times
        Series z = series("b/z", new int[][] {{5, 20}, {30, 39}}, new int[] {18, 38}, new double[] {18, 0.5, 38, 0.95});
        Series quiet = series("c/none", new int[][] {}, new int[] {}, new double[] {});
        NabReport r = new NabReport(List.of(x.labelled(), y.labelled(), z.labelled(), quiet.labelled()));
        for (Series s : List.of(x, y, z, quiet)) r.add("knncad", s.labelled().data(), s.result());
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        r.print(new PrintStream(b, true, StandardCharsets.UTF_8));
        List<String> lines = b.toString(StandardCharsets.UTF_8).lines().toList();
        List<String> rows = lines.stream().filter(l -> l.startsWith("| knncad |")).toList();
        assertEquals(List.of(
                "| knncad | all (4) |" + cells(List.of(x, y, z, quiet)),
                "| knncad | a (2) |" + cells(List.of(x, y)),
                "| knncad | b (1) |" + cells(List.of(z)),
                "| knncad | c (1) | n/a (no windows) | n/a (no windows) | n/a (no windows) | 0 / 0 / 0 |"), rows);
        assertTrue(rows.get(0).endsWith(" 3 / 1 / 2 |"), "x and z's two found, y missed; x's row 70 and y's row 20 outside: " + rows.get(0));
        int title = lines.indexOf("## NAB score (thresholds from the probation rows only; in brackets: NAB's protocol, one threshold"
                + " per profile chosen on the corpus labels)");
        assertTrue(title > 0 && lines.get(title - 1).isEmpty(), lines.toString());
        assertEquals("|---|---|---|---|---|---|", lines.get(title + 2));
        assertTrue(lines.contains("| method | files | standard | low FP | low FN | TP / FN / FP (standard) |"), lines.toString());
        // the standard score of a: x at its window's first row (+1), y missed (-1), two false alarms far from a window
        assertTrue(rows.get(1).startsWith("| knncad | a (2) | " + String.format(Locale.ROOT, "%.1f",
                100 * (1 - 1 - 0.11 * 2 - (-1 * 2)) / (1 * 2 - (-1 * 2)))), rows.get(1));
    }
}
