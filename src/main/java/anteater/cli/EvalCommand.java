package anteater.cli;

import anteater.detect.Options;
import anteater.detect.vae.Threshold;
import anteater.detect.vae.VaeTrainer;
import anteater.eval.Baselines;
import anteater.eval.Dataset;
import anteater.eval.DetectorMethod;
import anteater.eval.Method;
import anteater.eval.Plotter;
import anteater.eval.Scores;
import anteater.eval.SmdLoader;
import java.io.BufferedWriter;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Judges a detector on labelled data through the agent's code path, next to baselines on the same data, with
 * every threshold fixed from training rows only.
 */
@Command(name = "eval", description = "Evaluate a detector on labelled data (SMD or NAB) against baselines.")
final class EvalCommand implements Callable<Integer> {

    @Option(names = "--detector", description = "detector to judge (default ${DEFAULT-VALUE})")
    String detector = "vae";

    @Option(names = "--format", description = "smd or nab (default ${DEFAULT-VALUE})")
    String format = "smd";

    @Option(names = "--data", required = true, description = "data folder")
    Path data;

    @Option(names = "--out", required = true, description = "folder for <name>.csv (index,score,is_anomaly) and plots")
    Path out;

    @Option(names = "--plot", description = "series to plot as <out>/<name>.png")
    String plot;

    @Option(names = "--only", description = "comma-separated series names to run (default: all)")
    String only;

    @Option(names = "--window", description = "steps per window fed to the detector (default ${DEFAULT-VALUE})")
    int window = 10;

    @Option(names = {"-o", "--option"}, description = "detector option name=value (as in the TICKscript), repeatable")
    List<String> optionArgs = new ArrayList<>();

    @Option(names = "--no-baselines", description = "skip the baselines")
    boolean noBaselines;

    @Option(names = "--seeds", split = ",", description = "vae: train with each of these seeds (e.g. 42,1,2) and report "
            + "the spread; the first seed's results are the main table, CSVs and plot")
    List<Long> seeds = new ArrayList<>();

    static final double[] SWEEP = {0.1, 0.03, 0.01, 0.003, 0.001, 0.0001};

    @Override
    public Integer call() throws Exception {
        Options o = OptionArgs.parse(detector, optionArgs);
        // a reproducible evaluation: no background fine-tuning unless asked for
        if (detector.equals("vae") && !o.has("updateInterval")) o.add("updateInterval", 0L);
        if (!format.equals("smd") && !format.equals("nab")) {
            System.err.println("--format must be smd or nab, got " + format);
            return 2;
        }
        if (window < 1) {
            System.err.println("--window must be >= 1");
            return 2;
        }
        if (!seeds.isEmpty() && !detector.equals("vae")) {
            System.err.println("--seeds is for --detector vae");
            return 2;
        }
        if (new java.util.HashSet<>(seeds).size() < seeds.size()) {
            // two runs of one seed would share a name: one table, one CSV folder, a spread of 0 over "2 seeds"
            System.err.println("--seeds: each seed once, got " + seeds);
            return 2;
        }
        if (Files.exists(out) && !Files.isDirectory(out)) {
            System.err.println("--out " + out + " is a file, not a folder");
            return 2;
        }
        List<anteater.eval.NabLoader.Labelled> nab = format.equals("nab") ? anteater.eval.NabLoader.loadLabelled(data, only) : null;
        List<Dataset> sets = new ArrayList<>();
        if (nab == null) sets.addAll(SmdLoader.load(data, only));
        else for (anteater.eval.NabLoader.Labelled l : nab) sets.add(l.data());
        if (plot != null && sets.stream().noneMatch(d -> d.name().equals(plot))) {
            List<String> names = sets.stream().map(Dataset::name).toList();
            System.err.println("--plot: no series named " + plot + " among those evaluated (" + preview(names) + ")");
            return 2;
        }
        if (o.has("field")) {
            // a field the data does not have is analysed as absent: every score 0 and exit 0 (a typo looks like a result)
            for (Dataset d : sets) {
                for (String f : o.getStrings("field")) {
                    if (!d.metrics().contains(f)) {
                        throw new anteater.detect.OptionException("option 'field': series " + d.name() + " has no metric '" + f
                                + "' (its metrics: " + preview(d.metrics()) + ")");
                    }
                }
            }
        }
        NabReport nabReport = nab == null ? null : new NabReport(nab);
        Files.createDirectories(out);
        double q = o.getDouble("q");
        Threshold thr = Threshold.parse(o.has("threshold") ? o.getString("threshold") : "pot", q);
        List<Method> methods = new ArrayList<>();
        if (seeds.isEmpty()) methods.add(new DetectorMethod(o, window, name -> new EpochLog(name)));
        for (Long s : seeds) methods.add(new DetectorMethod(o, window, name -> new EpochLog(name + " seed " + s), s));
        if (!noBaselines) {
            methods.add(Baselines.random(thr, 1));
            methods.add(Baselines.zscore(thr));
            methods.add(Baselines.pca(thr, 0.9));
        }
        String clash = overwritesInput(methods, sets, nab != null);
        if (clash != null) {
            System.err.println("--out " + out + " would overwrite the input file " + clash + ": choose another folder");
            return 2;
        }
        Map<String, Map<String, Scores>> table = new LinkedHashMap<>();
        Map<String, double[]> sweepSum = new LinkedHashMap<>();
        for (Method m : methods) table.put(m.name(), new LinkedHashMap<>());
        for (Dataset d : sets) {
            for (Method m : methods) {
                long t0 = System.nanoTime();
                Method.Result r = m.run(d);
                Scores s = Scores.of(r.score(), r.flag(), d.labels(), d.testDays());
                table.get(m.name()).put(d.name(), s);
                if (nabReport != null) nabReport.add(m.name(), d, m == methods.get(0) ? holdoffMasked(o, r) : r);
                System.err.printf(Locale.ROOT, "%s %s: F1 %.3f AUC-PR %.3f threshold %.4g (%.1f s)%n", d.name(), m.name(),
                        s.f1(), s.aucPr(), r.threshold(), (System.nanoTime() - t0) / 1e9);
                if (r.calibration() != null) {
                    double[] f = sweepSum.computeIfAbsent(m.name(), k -> new double[SWEEP.length]);
                    for (int k = 0; k < SWEEP.length; k++) {
                        double t = Threshold.parse("pot", SWEEP[k]).of(r.calibration());
                        boolean[] fl = new boolean[r.score().length];
                        for (int i = 0; i < fl.length; i++) fl[i] = r.score()[i] > t;
                        f[k] += Scores.of(r.score(), fl, d.labels(), d.testDays()).f1() / sets.size();
                    }
                }
                Path csv = csvPath(m == methods.get(0), m, d);
                writeCsv(csv, r);
                if (r.calibration() != null) writeCalibration(calibrationPath(csv), r.calibration());
                if (m == methods.get(0) && d.name().equals(plot)) {
                    Path png = out.resolve(d.name() + ".png");
                    Plotter.plot(d, r, m.name(), png);
                    System.err.println("plot: " + png);
                }
            }
        }
        print(System.out, table, methods.get(0).name());
        if (seeds.size() > 1) printSeeds(System.out, table, methods.subList(0, seeds.size()));
        if (nabReport != null) nabReport.print(System.out);
        System.out.println();
        System.out.println("## mean point-wise F1 by POT risk q (thresholds from training scores only)");
        StringBuilder h = new StringBuilder("| method |");
        for (double x : SWEEP) h.append(" q=").append(x).append(" |");
        System.out.println(h);
        System.out.println("|---|" + "---|".repeat(SWEEP.length));
        for (Map.Entry<String, double[]> e : sweepSum.entrySet()) {
            StringBuilder b = new StringBuilder("| " + e.getKey() + " |");
            for (double v : e.getValue()) b.append(String.format(Locale.ROOT, " %.3f |", v));
            System.out.println(b);
        }
        return 0;
    }

    /** The first 10 names, for a message. */
    static String preview(List<String> names) {
        return names.size() <= 10 ? String.join(", ", names) : String.join(", ", names.subList(0, 10)) + ", ...";
    }

    /** {@code <out>/<name>.csv} for the judged detector, {@code <out>/<method>/<name>.csv} for the others. */
    Path csvPath(boolean main, Method m, Dataset d) {
        return main ? out.resolve(d.name() + ".csv") : out.resolve(m.name()).resolve(d.name() + ".csv");
    }

    /**
     * The first input file an output would replace, or null. NAB's inputs are {@code <data>/<name>.csv}, so
     * {@code --out} equal to {@code --data} (say both {@code .}) made eval write its scores over the corpus.
     */
    String overwritesInput(List<Method> methods, List<Dataset> sets, boolean nab) throws java.io.IOException {
        if (!nab) return null; // SMD's inputs are <name>_train/_test/_test_label.csv.gz: no output has such a name
        for (Dataset d : sets) {
            Path input = data.resolve(d.name() + ".csv");
            if (!Files.exists(input)) input = data.resolve(d.name());
            for (Method m : methods) {
                Path csv = csvPath(m == methods.get(0), m, d);
                for (Path p : new Path[] {csv, calibrationPath(csv), out.resolve(d.name() + ".png")}) {
                    if (Files.exists(p) && Files.isSameFile(p, input)) return input.toString();
                }
            }
        }
        return null;
    }

    /** {@code <name>.calibration.csv} beside {@code <name>.csv} (NAB names have a folder: it is already in csv). */
    static Path calibrationPath(Path csv) {
        String f = csv.getFileName().toString();
        return csv.resolveSibling(f.substring(0, f.length() - ".csv".length()) + ".calibration.csv");
    }

    static void writeCsv(Path p, Method.Result r) throws java.io.IOException {
        Files.createDirectories(p.getParent());
        try (BufferedWriter w = Files.newBufferedWriter(p)) {
            w.write("index,score,is_anomaly\n");
            for (int i = 0; i < r.score().length; i++) {
                w.write(i + "," + String.format(Locale.ROOT, "%.6g", r.score()[i]) + "," + (r.flag()[i] ? 1 : 0) + "\n");
            }
        }
    }

    /**
     * For NAB's protocol (a threshold on the raw scores, chosen on the labels), a hold-off detector's scores are
     * masked as NAB's own KNN-CAD does it: the {@code kHoldoff} values after each flagged value score at most 0.5,
     * so the threshold search does not count one incident's repeated high scores as false positives. Only for
     * knncad with one value per window; the detector's own flags (the main result) are untouched.
     */
    Method.Result holdoffMasked(Options o, Method.Result r) throws anteater.detect.OptionException {
        if (!o.detector().equals("knncad") || window != 1) return r;
        long hold = o.getLong("kHoldoff");
        double[] s = r.score().clone();
        // a flag in the probation rows holds off the first test rows too, as in the detector (and NAB's knncad)
        long quiet = r.sinceTrainingFlag() == Integer.MAX_VALUE ? 0 : Math.max(0, hold - r.sinceTrainingFlag());
        for (int i = 0; i < s.length; i++) {
            if (quiet > 0) {
                quiet--;
                s[i] = Math.min(s[i], 0.5);
            } else if (r.flag()[i]) {
                quiet = hold;
            }
        }
        return new Method.Result(s, r.flag(), r.threshold(), r.calibration(), r.sinceTrainingFlag());
    }

    /** The (sorted) scores the method's threshold was fitted on, one per line. */
    static void writeCalibration(Path p, double[] calibration) throws java.io.IOException {
        try (BufferedWriter w = Files.newBufferedWriter(p)) {
            w.write("score\n");
            for (double c : calibration) w.write(String.format(Locale.ROOT, "%.6g", c) + "\n");
        }
    }

    static void print(PrintStream out, Map<String, Map<String, Scores>> table, String main) {
        for (Map.Entry<String, Map<String, Scores>> e : table.entrySet()) {
            out.println();
            out.println("## " + e.getKey());
            out.println("| series | precision | recall | F1 | event recall | false alarms/day | FP rows/day | AUC-PR | best F1 (oracle) | PA-F1 |");
            out.println("|---|---|---|---|---|---|---|---|---|---|");
            for (Map.Entry<String, Scores> s : e.getValue().entrySet()) out.println(row(s.getKey(), s.getValue()));
            double[] sum = means(e.getValue());
            out.println(String.format(Locale.ROOT, "| **mean** | %.3f | %.3f | **%.3f** | %.3f | %.1f | %.0f | **%.3f** | %.3f | %.3f |",
                    sum[0], sum[1], sum[2], sum[3], sum[4], sum[8], sum[5], sum[6], sum[7]));
            int undef = undefined(e.getValue());
            if (undef > 0) {
                out.printf(Locale.ROOT, "(event recall, AUC-PR and oracle F1: means over the %d series with labelled "
                        + "anomalies; %d have none)%n", e.getValue().size() - undef, undef);
            }
        }
        Map<String, Scores> pca = table.get("pca");
        Map<String, Scores> m = table.get(main);
        if (pca != null && m != null) {
            int[] beats = beats(m, pca);
            out.println();
            out.printf(Locale.ROOT, "%s beats pca on %d of %d series by F1, on %d by AUC-PR%n", main, beats[0], m.size(), beats[1]);
        }
    }

    /**
     * Means over the series of precision, recall, F1, event recall, false alarms/day, AUC-PR, oracle F1,
     * point-adjusted F1 and false-positive rows/day. A NaN (undefined: a series without labelled anomalies has no event recall, AUC-PR or
     * oracle F1) is left out of its column's mean; {@link #undefined} counts them.
     */
    static double[] means(Map<String, Scores> series) {
        double[] sum = new double[9];
        int[] n = new int[9];
        for (Scores x : series.values()) {
            double[] v = values(x);
            for (int i = 0; i < 9; i++) {
                if (Double.isNaN(v[i])) continue;
                sum[i] += v[i];
                n[i]++;
            }
        }
        for (int i = 0; i < 9; i++) sum[i] = n[i] == 0 ? Double.NaN : sum[i] / n[i];
        return sum;
    }

    /** How many series have an undefined (NaN) event recall, AUC-PR or oracle F1, the most of the three. */
    static int undefined(Map<String, Scores> series) {
        int most = 0;
        for (int i : new int[] {3, 5, 6}) {
            int k = 0;
            for (Scores x : series.values()) if (Double.isNaN(values(x)[i])) k++;
            most = Math.max(most, k);
        }
        return most;
    }

    private static double[] values(Scores x) {
        return new double[] {x.precision(), x.recall(), x.f1(), x.eventRecall(), x.falseAlarmsPerDay(), x.aucPr(),
            x.bestF1(), x.pointAdjustedF1(), x.falsePositivesPerDay()};
    }

    /** {series where m's F1 is above the other's, series where its AUC-PR is}. */
    static int[] beats(Map<String, Scores> m, Map<String, Scores> other) {
        int f1 = 0, auc = 0;
        for (String k : m.keySet()) {
            if (m.get(k).f1() > other.get(k).f1()) f1++;
            if (m.get(k).aucPr() > other.get(k).aucPr()) auc++;
        }
        return new int[] {f1, auc};
    }

    /** Per seed the means over the series, then their mean and standard deviation over the seeds. */
    static void printSeeds(PrintStream out, Map<String, Map<String, Scores>> table, List<Method> runs) {
        out.println();
        out.println("## training seeds");
        out.println("| run | mean F1 | mean AUC-PR | mean best F1 (oracle) | beats pca by F1 |");
        out.println("|---|---|---|---|---|");
        Map<String, Scores> pca = table.get("pca");
        double[][] v = new double[runs.size()][];
        for (int k = 0; k < runs.size(); k++) {
            Map<String, Scores> t = table.get(runs.get(k).name());
            double[] mean = means(t);
            v[k] = new double[] {mean[2], mean[5], mean[6]};
            out.printf(Locale.ROOT, "| %s | %.3f | %.3f | %.3f | %s |%n", runs.get(k).name(), v[k][0], v[k][1], v[k][2],
                    pca == null ? "" : beats(t, pca)[0] + " of " + t.size());
        }
        StringBuilder b = new StringBuilder("| **mean ± sd over " + runs.size() + " seeds** |");
        for (int c = 0; c < 3; c++) {
            double m = 0, ss = 0;
            for (double[] r : v) m += r[c] / v.length;
            for (double[] r : v) ss += (r[c] - m) * (r[c] - m);
            b.append(String.format(Locale.ROOT, " **%.3f** ± %.3f |", m, Math.sqrt(ss / (v.length - 1))));
        }
        out.println(b.append(" |"));
    }

    static String row(String name, Scores x) {
        return String.format(Locale.ROOT, "| %s | %.3f | %.3f | %.3f | %.3f | %.1f | %.0f | %.3f | %.3f | %.3f |", name,
                x.precision(), x.recall(), x.f1(), x.eventRecall(), x.falseAlarmsPerDay(), x.falsePositivesPerDay(), x.aucPr(),
                x.bestF1(), x.pointAdjustedF1());
    }

    /** One stderr line per epoch (no progress bar redraws in eval logs). */
    static final class EpochLog implements VaeTrainer.Progress {
        private final String name;
        private final long t0 = System.nanoTime();

        EpochLog(String name) {
            this.name = name;
        }

        @Override
        public boolean epoch(int epoch, int epochs, double trainLoss, double validationLoss, boolean best) {
            System.err.printf(Locale.ROOT, "%s epoch %d/%d loss %.4g val %.4g%s (%.1f s)%n", name, epoch, epochs, trainLoss,
                    validationLoss, best ? " *" : "", (System.nanoTime() - t0) / 1e9);
            return true;
        }
    }
}
