package anteater.cli;

import anteater.detect.Options;
import anteater.detect.Verdict;
import anteater.detect.Window;
import anteater.detect.vae.VaeConfig;
import anteater.detect.vae.VaeDetector;
import anteater.detect.vae.VaeSettings;
import anteater.detect.vae.VaeModel;
import anteater.detect.vae.VaeTrainer;
import anteater.eval.Dataset;
import anteater.eval.SmdLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * VAE figures on one SMD machine: training time per epoch and in total, scoring time per window through
 * {@link VaeDetector#process}, and the process's resident memory.
 */
@Command(name = "bench-vae", description = "Benchmark the VAE: training time, scoring time per window (p50/p99), RSS.")
final class BenchVaeCommand implements Callable<Integer> {

    @Option(names = "--data", description = "SMD folder (default ${DEFAULT-VALUE})")
    Path data = Path.of("../shared/data/smd"); // the shared data beside the clone, as README's commands assume

    @Option(names = "--machine", description = "SMD machine (default ${DEFAULT-VALUE})")
    String machine = "machine-1-6";

    @Option(names = "--window", description = "steps per scored window (default ${DEFAULT-VALUE})")
    int window = 10;

    @Option(names = "--windows", description = "windows scored (default ${DEFAULT-VALUE})")
    int windows = 2000;

    @Option(names = "--groups", description = "then time the first online trainings of this many groups through the"
            + " detector (option trainThreads applies); 0: skip (default ${DEFAULT-VALUE})")
    int groups = 0;

    @Option(names = "--group-rows", description = "warm-up rows of each of those groups (default ${DEFAULT-VALUE})")
    int groupRows = 4000;

    @Option(names = {"-o", "--option"}, description = "vae option name=value")
    List<String> optionArgs = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        Options o = OptionArgs.parse("vae", optionArgs);
        if (!o.has("updateInterval")) o.add("updateInterval", 0L);
        Dataset d = SmdLoader.load(data, machine).get(0);
        VaeConfig c = VaeSettings.config(o);
        List<Double> epochTimes = new ArrayList<>();
        long[] last = {System.nanoTime()};
        long t0 = System.nanoTime();
        VaeModel m = VaeTrainer.train(d.train(), d.metrics(), c, (e, n, tl, vl, b) -> {
            long now = System.nanoTime();
            epochTimes.add((now - last[0]) / 1e9);
            last[0] = now;
            return true;
        });
        double total = (System.nanoTime() - t0) / 1e9;
        double[] et = epochTimes.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        System.out.printf(Locale.ROOT, "training: %d rows x %d metrics, %d epochs, %.2f s/epoch median (min %.2f, max %.2f), total %.1f s (%s, ND4J threads %s)%n",
                d.train().length, d.dims(), et.length, et[et.length / 2], et[0], et[et.length - 1], total, c,
                System.getenv("OMP_NUM_THREADS") != null ? "OMP_NUM_THREADS=" + System.getenv("OMP_NUM_THREADS")
                        : Integer.getInteger("anteater.nd4j.threads", 1));

        VaeDetector det = VaeDetector.create(o, m);
        List<Verdict> out = new ArrayList<>();
        int n = d.test().length;
        double[] ms = new double[windows];
        int s = 0;
        for (int k = 0; k < windows; k++) {
            if (s + window > n) s = 0;
            Window w = new Window("smd", "host=" + machine, Map.of("host", machine), false, window);
            for (int i = s; i < s + window; i++) {
                long t = d.testTimes()[i] + (long) (k / (n / window)) * n * 60_000_000_000L;
                w.notePoint(t);
                for (int j = 0; j < d.dims(); j++) w.add(d.metrics().get(j), t, d.test()[i][j]);
            }
            w.end(null, null, null, false, w.tmax());
            out.clear();
            long a = System.nanoTime();
            det.process(w, out);
            ms[k] = (System.nanoTime() - a) / 1e6;
            s += window;
        }
        det.close();
        double[] sorted = ms.clone();
        Arrays.sort(sorted);
        int warm = Math.min(100, windows / 10);
        double[] steady = Arrays.copyOfRange(ms, warm, windows);
        Arrays.sort(steady);
        System.out.printf(Locale.ROOT, "scoring: %d windows of %d steps x %d metrics: p50 %.3f ms, p99 %.3f ms, max %.3f ms (after %d warm-up windows)%n",
                steady.length, window, d.dims(), steady[steady.length / 2], steady[(int) (steady.length * 0.99)],
                steady[steady.length - 1], warm);
        long[] rss = rss();
        System.out.printf(Locale.ROOT, "memory: RSS %.0f MB now, peak %.0f MB (this process: data, training and scoring; heap max %d MB)%n",
                rss[0] / 1024.0, rss[1] / 1024.0, Runtime.getRuntime().maxMemory() >> 20);
        if (groups > 0) onlineTrainings(d);
        return 0;
    }

    /**
     * Groups learning online at once (a groupBy over many hosts): each gets the machine's first {@link #groupRows}
     * training rows as its warm-up windows; prints the time from the first window to the last group's model.
     */
    private void onlineTrainings(Dataset d) throws Exception {
        Options o = OptionArgs.parse("vae", optionArgs);
        if (!o.has("updateInterval")) o.add("updateInterval", 0L);
        int rows = Math.max(window, Math.min(groupRows, d.train().length) / window * window);
        if (!o.has("warmup")) o.add("warmup", (long) (rows / window));
        VaeDetector det = VaeDetector.create(o);
        List<Verdict> out = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int s = 0; s < rows; s += window) {
            for (int g = 0; g < groups; g++) {
                out.clear();
                det.process(groupWindow(d, g, s), out);
            }
        }
        double fed = (System.nanoTime() - t0) / 1e9;
        boolean done = det.awaitTraining(3_600_000);
        double total = (System.nanoTime() - t0) / 1e9;
        // a model is installed at its group's next window; a group whose training was postponed (queue or row budget
        // full) has none: awaitTraining waits only for the trainings handed to the pool
        int models = 0;
        for (int g = 0; g < groups; g++) {
            out.clear();
            det.process(groupWindow(d, g, rows), out);
            if (det.model("host=h" + g) != null) models++;
        }
        String result = models == groups ? "all first models"
                : !done ? "NOT all models within an hour (" + models + " of " + groups + ")"
                : models + " of " + groups + " first models (the others' trainings were postponed: training queue or row"
                        + " budget full)";
        System.out.printf(Locale.ROOT, "online trainings: %d groups x %d rows x %d metrics, trainThreads %s: %s after %.1f s"
                + " (windows fed in %.1f s)%n", groups, rows, d.dims(), o.has("trainThreads") ? o.getLong("trainThreads") : 1,
                result, total, fed);
        det.close();
    }

    /** Group {@code g}'s window of the training rows from {@code s} (wrapping around), one minute a row. */
    private Window groupWindow(Dataset d, int g, int s) {
        Window w = new Window("smd", "host=h" + g, Map.of("host", "h" + g), false, window);
        for (int i = s; i < s + window; i++) {
            long t = i * 60_000_000_000L;
            w.notePoint(t);
            double[] row = d.train()[i % d.train().length];
            for (int j = 0; j < d.dims(); j++) w.add(d.metrics().get(j), t, row[j]);
        }
        w.end(null, null, null, false, w.tmax());
        return w;
    }

    static long[] rss() {
        long now = -1, peak = -1;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) now = Long.parseLong(line.replaceAll("[^0-9]", ""));
                if (line.startsWith("VmHWM:")) peak = Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        } catch (Exception ignored) {
            // not Linux
        }
        return new long[] {now, peak};
    }
}
