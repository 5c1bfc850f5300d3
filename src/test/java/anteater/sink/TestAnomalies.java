package anteater.sink;

import anteater.detect.Anomaly;
import anteater.detect.Contribution;
import anteater.detect.Detector;
import anteater.detect.Detectors;
import anteater.detect.OptionException;
import anteater.detect.Options;
import anteater.detect.Verdict;
import anteater.detect.Window;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Windows with a clear anomaly, judged by the real t-test detector; and a VAE-shaped anomaly. */
final class TestAnomalies {
    static final long T0_NS = 1_700_000_000_000_000_000L; // 2023-11-14T22:13:20Z
    static final long STEP_NS = 10_000_000_000L;           // 10 s between points
    static final int POINTS = 30;                          // 5-minute windows

    private TestAnomalies() {
    }

    static Window window(String measurement, Map<String, String> tags, String field, int index, double mean, Random rnd) {
        Window w = new Window(measurement, "", tags, false, POINTS);
        long start = T0_NS + (long) index * POINTS * STEP_NS;
        for (int i = 0; i < POINTS; i++) {
            long t = start + i * STEP_NS;
            w.notePoint(t);
            w.add(field, t, mean + rnd.nextGaussian());
        }
        w.end(measurement, "", tags, false, start + (POINTS - 1) * STEP_NS);
        return w;
    }

    /**
     * Runs the t-test over {@code normal} normal windows then {@code anomalous} windows whose mean jumped by 50
     * standard deviations; returns the anomalies it found (one per anomalous window).
     */
    static List<Anomaly> ttest(String measurement, Map<String, String> tags, String field, int normal, int anomalous,
                               long seed) {
        try {
            Detector d = Detectors.create(Options.of("detector", "ttest", "field", field));
            Random rnd = new Random(seed);
            List<Anomaly> found = new ArrayList<>();
            List<Verdict> out = new ArrayList<>();
            for (int i = 0; i < normal + anomalous; i++) {
                out.clear();
                d.process(window(measurement, tags, field, i, i < normal ? 10.0 : 60.0, rnd), out);
                for (Verdict v : out) if (v.anomaly() != null) found.add(v.anomaly());
            }
            return found;
        } catch (OptionException e) {
            throw new AssertionError(e);
        }
    }

    /** What a multivariate detector (VAE) gives: one KPI, several contributing metrics, a fractional ratio. */
    static Anomaly vaeLike(Map<String, String> tags, long timeNs) {
        return new Anomaly("vae", "gala_gopher_proc", tags, timeNs, 300, "gala_gopher_proc_cpu_usage", 0.93, 7, 30,
                List.of(new Contribution("gala_gopher_proc_cpu_usage", 0.61, "reconstruction error share"),
                        new Contribution("gala_gopher_proc_ns_read_bytes", 0.22, "reconstruction error share"),
                        new Contribution("gala_gopher_proc_fd_count", 0.07, "")),
                "", new double[] {1, 2, 3});
    }
}
