package anteater.detect.vae;

import anteater.detect.Window;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Correlated synthetic metrics: 6 metrics driven by 2 smooth factors plus a little noise. */
final class Synthetic {
    static final int D = 6;
    static final long STEP = 10_000_000_000L;
    static final List<String> METRICS = List.of("cpu", "load", "net_in", "net_out", "disk", "mem");
    private static final double[][] A = {{1, 0}, {0.8, 0.3}, {0, 1}, {0.2, 0.9}, {0.5, 0.5}, {-0.7, 0.4}};

    private Synthetic() {
    }

    static double[][] rows(int n, long seed) {
        Random r = new Random(seed);
        double[][] x = new double[n][D];
        for (int i = 0; i < n; i++) {
            double f1 = Math.sin(i / 37.0) + 0.3 * r.nextGaussian();
            double f2 = Math.cos(i / 53.0) + 0.3 * r.nextGaussian();
            for (int j = 0; j < D; j++) x[i][j] = 10 + 3 * (A[j][0] * f1 + A[j][1] * f2) + 0.05 * r.nextGaussian();
        }
        return x;
    }

    /** Breaks the correlation of metrics 1, 3 and 5 in rows [from, to). */
    static void inject(double[][] x, int from, int to) {
        for (int i = from; i < to; i++) {
            x[i][1] += 6;
            x[i][3] -= 6;
            x[i][5] += 6;
        }
    }

    static VaeConfig smallConfig() {
        return new VaeConfig(new int[] {16}, 3, 15, 5e-3, 64, 3, 0.2, 7, 10, 1);
    }

    /** Windows of {@code size} steps over the rows; step i at time t0 + i*STEP. */
    static List<Window> windows(double[][] x, int size, long t0) {
        List<Window> out = new ArrayList<>();
        for (int s = 0; s + size <= x.length; s += size) {
            Window w = new Window("node", "host=a", Map.of("host", "a"), false, size);
            long t = 0;
            for (int i = s; i < s + size; i++) {
                t = t0 + i * STEP;
                w.notePoint(t);
                for (int j = 0; j < D; j++) w.add(METRICS.get(j), t, x[i][j]);
            }
            w.end(null, null, null, false, t);
            out.add(w);
        }
        return out;
    }
}
