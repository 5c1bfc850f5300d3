package anteater.cli;

import anteater.eval.Dataset;
import anteater.eval.Method;
import anteater.eval.NabLoader;
import anteater.eval.NabScore;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * NAB scores of each method: with the method's own flags (thresholds fixed from the probation rows only), and,
 * for reference, with NAB's protocol of one score threshold per profile chosen on the whole corpus's labels
 * (how NAB's scoreboard, e.g. the windowed Gaussian's 39.6, is made). Per folder and over all files.
 */
final class NabReport {
    private final Map<String, NabScore.File> files = new LinkedHashMap<>();
    /** method -> series -> {flags, scores} over all rows of the file. */
    private final Map<String, Map<String, Object[]>> runs = new LinkedHashMap<>();

    NabReport(List<NabLoader.Labelled> sets) {
        for (NabLoader.Labelled l : sets) {
            Dataset d = l.data();
            long[] t = new long[d.trainTimes().length + d.testTimes().length];
            System.arraycopy(d.trainTimes(), 0, t, 0, d.trainTimes().length);
            System.arraycopy(d.testTimes(), 0, t, d.trainTimes().length, d.testTimes().length);
            files.put(d.name(), new NabScore.File(t, l.windows()));
        }
    }

    void add(String method, Dataset d, Method.Result r) {
        int p = d.trainTimes().length, n = p + d.testTimes().length;
        boolean[] flag = new boolean[n];
        double[] score = new double[n];
        Arrays.fill(score, 0, p, Double.NaN);
        for (int i = 0; i < r.score().length; i++) {
            flag[p + i] = r.flag()[i];
            score[p + i] = r.score()[i];
        }
        runs.computeIfAbsent(method, k -> new LinkedHashMap<>()).put(d.name(), new Object[] {flag, score});
    }

    void print(PrintStream out) {
        Map<String, List<String>> folders = new LinkedHashMap<>();
        folders.put("all", new ArrayList<>(files.keySet()));
        for (String name : files.keySet()) {
            int slash = name.indexOf('/');
            folders.computeIfAbsent(slash < 0 ? "." : name.substring(0, slash), k -> new ArrayList<>()).add(name);
        }
        out.println();
        out.println("## NAB score (thresholds from the probation rows only; in brackets: NAB's protocol, one threshold per"
                + " profile chosen on the corpus labels)");
        out.println("| method | files | standard | low FP | low FN | TP / FN / FP (standard) |");
        out.println("|---|---|---|---|---|---|");
        for (Map.Entry<String, Map<String, Object[]>> m : runs.entrySet()) {
            for (Map.Entry<String, List<String>> f : folders.entrySet()) {
                List<NabScore.File> fs = new ArrayList<>();
                List<boolean[]> flags = new ArrayList<>();
                List<double[]> scores = new ArrayList<>();
                for (String name : f.getValue()) {
                    Object[] run = m.getValue().get(name);
                    if (run == null) continue;
                    fs.add(files.get(name));
                    flags.add((boolean[]) run[0]);
                    scores.add((double[]) run[1]);
                }
                if (fs.isEmpty()) continue;
                StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "| %s | %s (%d) |", m.getKey(), f.getKey(), fs.size()));
                NabScore.Result std = null;
                for (NabScore.Profile p : NabScore.PROFILES) {
                    NabScore.Corpus c = NabScore.corpus(fs, flags, p);
                    NabScore.Corpus best = NabScore.bestThreshold(fs, scores, p);
                    if (std == null) std = c.total();
                    if (c.total().windows() == 0) {
                        b.append(" n/a (no windows) |");
                    } else {
                        b.append(String.format(Locale.ROOT, " %.1f (%.1f) |", c.score(), best.score()));
                    }
                }
                b.append(String.format(Locale.ROOT, " %d / %d / %d |", std.tp(), std.fn(), std.fp()));
                out.println(b);
            }
        }
    }
}
