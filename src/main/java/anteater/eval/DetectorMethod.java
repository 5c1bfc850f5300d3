package anteater.eval;

import anteater.detect.Detector;
import anteater.detect.Detectors;
import anteater.detect.OptionException;
import anteater.detect.Options;
import anteater.detect.Verdict;
import anteater.detect.Window;
import anteater.detect.vae.VaeConfig;
import anteater.detect.vae.VaeDetector;
import anteater.detect.vae.VaeSettings;
import anteater.detect.vae.VaeModel;
import anteater.detect.vae.VaeTrainer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A detector of the agent judged on a dataset through the agent's own code path: the rows become Windows of
 * {@code window} steps, fed to {@link Detector#process}. The VAE is first trained on the training rows (as
 * {@code train} does) unless option {@code model} names a model; its per-step scores come from the detector's
 * step listener. Other detectors first see the training windows (to fill their state), then the test windows;
 * every row of a window gets the window's score and verdict.
 */
public final class DetectorMethod implements Method {
    private final Options options;
    private final int window;
    private final Function<String, VaeTrainer.Progress> progress;
    /** The VAE's training seed; null: the configuration's default. */
    private final Long seed;

    public DetectorMethod(Options options, int window, Function<String, VaeTrainer.Progress> progress) {
        this(options, window, progress, null);
    }

    public DetectorMethod(Options options, int window, Function<String, VaeTrainer.Progress> progress, Long seed) {
        this.options = options;
        this.window = window;
        this.progress = progress;
        this.seed = seed;
    }

    @Override
    public String name() {
        return seed == null ? options.detector() : options.detector() + "-seed" + seed;
    }

    static List<Window> windows(String name, List<String> metrics, double[][] rows, long[] times, int size) {
        List<Window> out = new ArrayList<>();
        for (int s = 0; s < rows.length; s += size) {
            int e = Math.min(rows.length, s + size);
            Window w = new Window(name, "series=" + name, Map.of("series", name), false, e - s);
            for (int i = s; i < e; i++) {
                w.notePoint(times[i]);
                for (int j = 0; j < metrics.size(); j++) w.add(metrics.get(j), times[i], rows[i][j]);
            }
            w.end(null, null, null, false, times[e - 1]);
            out.add(w);
        }
        return out;
    }

    @Override
    public Result run(Dataset d) throws Exception {
        return "vae".equals(options.detector()) ? runVae(d) : runGeneric(d);
    }

    private Result runVae(Dataset d) throws Exception {
        VaeModel model = null;
        if (!options.has("model")) {
            VaeConfig c = VaeSettings.config(options);
            model = VaeTrainer.train(d.train(), d.metrics(), seed == null ? c : c.withSeed(seed), progress.apply(d.name()));
        }
        VaeDetector det = VaeDetector.create(options, model);
        int n = d.test().length;
        double[] score = new double[n];
        Arrays.fill(score, Double.NaN);
        // the threshold each step was judged by: with online fine-tuning it changes as new models are installed
        double[] stepThr = new double[n];
        Arrays.fill(stepThr, Double.NaN);
        // each test row takes the score of the step it fell into (steps start at the times given, in order).
        // Rows map to steps by time within their own window: with gaps the detector fills in steps no row has,
        // and with repeated times several rows share a step, so a step's position is not a row's index
        long[] rowTimes = d.testTimes();
        int[] span = new int[2]; // the rows of the window being processed
        det.setStepListener((w, times, scores, thr) -> {
            for (int i = span[0]; i < span[1]; i++) {
                int k = Arrays.binarySearch(times, rowTimes[i]);
                if (k < 0) k = -k - 2; // the last step starting before the row's time
                if (k >= 0 && k < scores.length) {
                    score[i] = scores[k];
                    stepThr[i] = thr;
                }
            }
        });
        List<Verdict> out = new ArrayList<>();
        String key = null;
        int next = 0;
        for (Window w : windows(d.name(), d.metrics(), d.test(), d.testTimes(), window)) {
            span[0] = next;
            span[1] = next = Math.min(n, next + window);
            key = w.groupKey();
            det.process(w, out);
            // replayed as if in real time: a fine-tuning (about a second) ends long before the next window
            // (minutes of data) would arrive, so the replay waits for it; this also makes the run reproducible
            if (det.training(key) && !det.awaitTraining(600_000)) throw new IllegalStateException("fine-tuning did not finish in 10 min");
        }
        double thr = det.threshold(key);
        VaeModel used = det.model(key);
        det.close();
        boolean[] flag = new boolean[n];
        for (int i = 0; i < n; i++) flag[i] = score[i] > (Double.isNaN(stepThr[i]) ? thr : stepThr[i]);
        return new Result(score, flag, thr, used == null ? null : used.calibrationSorted(options.getDouble("smooth")));
    }

    private Result runGeneric(Dataset d) throws OptionException {
        Options o = options;
        if (!o.has("field")) {
            o = copy(options);
            for (String m : d.metrics()) o.add("field", m);
        }
        Detector det = Detectors.create(o);
        List<Verdict> out = new ArrayList<>();
        int since = Integer.MAX_VALUE;
        for (Window w : windows(d.name(), d.metrics(), d.train(), d.trainTimes(), window)) {
            out.clear();
            det.process(w, out);
            boolean f = false;
            for (Verdict v : out) f |= Boolean.TRUE.equals(v.fields().get("is_anomaly"));
            if (f) since = 0;
            else if (since != Integer.MAX_VALUE) since += w.points();
        }
        int n = d.test().length;
        double[] score = new double[n];
        boolean[] flag = new boolean[n];
        int s = 0;
        for (Window w : windows(d.name(), d.metrics(), d.test(), d.testTimes(), window)) {
            out.clear();
            det.process(w, out);
            double sc = 0;
            boolean f = false;
            for (Verdict v : out) {
                sc = Math.max(sc, scoreOf(v));
                f |= Boolean.TRUE.equals(v.fields().get("is_anomaly"));
            }
            int e = Math.min(n, s + w.points());
            for (int i = s; i < e; i++) {
                score[i] = sc;
                flag[i] = f;
            }
            s = e;
        }
        det.close();
        return new Result(score, flag, Double.NaN, null, since);
    }

    static double scoreOf(Verdict v) {
        Object a = v.fields().get("anomaly_score");
        if (a instanceof Double x) return x;
        Object p = v.fields().get("pvalue");
        if (p instanceof Double x) return x > 0 ? -Math.log10(x) : 400;
        return v.anomaly() != null ? v.anomaly().score() : 0;
    }

    static Options copy(Options o) throws OptionException {
        Options c = new Options();
        for (anteater.detect.OptionSpec s : anteater.detect.OptionTable.all()) {
            if (!o.has(s.name())) continue;
            if (s.repeatable()) {
                for (String v : o.getStrings(s.name())) c.add(s.name(), v);
            } else {
                c.add(s.name(), switch (s.kind()) {
                    case BOOL -> o.getBool(s.name());
                    case INT -> o.getLong(s.name());
                    case DOUBLE -> o.getDouble(s.name());
                    case STRING -> o.getString(s.name());
                    case DURATION -> o.getDuration(s.name());
                });
            }
        }
        return c;
    }
}
