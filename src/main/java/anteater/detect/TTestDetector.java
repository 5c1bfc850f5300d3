package anteater.detect;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The t-test of Kapacitor's custom anomaly detection guide: per group and field, the history holds the last
 * {@code size} values of windows judged normal; each window is compared with it by Welch's two-sided t-test;
 * a window whose p-value is at most {@code alpha} is anomalous and stays out of the history. The first window
 * of a group and field only seeds the history and emits nothing.
 */
public final class TTestDetector implements Detector {
    private static final Logger LOG = LoggerFactory.getLogger(TTestDetector.class);

    private final List<String> fields;
    private final int size;
    private final double alpha;
    private final GroupTable<Map<String, History>> groups;
    private long skippedValues;

    TTestDetector(List<String> fields, int size, double alpha, int maxGroups) {
        this.fields = List.copyOf(fields);
        this.size = size;
        this.alpha = alpha;
        this.groups = new GroupTable<>(maxGroups, "ttest");
    }

    public static TTestDetector create(Options o) throws OptionException {
        List<String> fields = o.fields();
        int size = o.intIn("size", 2, 10_000_000, "values", "");
        double alpha = o.doubleIn("alpha", 0, true, 1, true, "");
        int maxGroups = o.maxGroups();
        // a field's history grows to size values as normal windows come
        StateMemory.check(LOG, o, "ttest", maxGroups, fields.size(), 8L * size, "size");
        return new TTestDetector(fields, size, alpha, maxGroups);
    }

    /**
     * The t-test takes a window as one sample: overlapping windows are tested whole (each against the history), and a
     * normal window adds to the history only its values newer than those added before.
     */
    @Override
    public boolean judgesEachValueOnce() {
        return false;
    }

    @Override
    public void process(Window w, List<Verdict> out) {
        Map<String, History> state = groups.getOrCreate(w.groupKey(), k -> new HashMap<>());
        for (String field : fields) {
            Series s = w.series(field);
            int n = s == null ? 0 : s.size();
            int skipped = w.points() - n;
            if (skipped > 0) {
                skippedValues += skipped;
                if (LOG.isDebugEnabled()) LOG.debug("group {} field {}: {} points without a finite value", w.groupKey(), field, skipped);
            }
            if (n == 0) continue;
            History h = state.get(field);
            // the first window(s) seed the history; one value has no spread to test against (any difference would
            // be significant, and an anomalous window never joins the history), so judging starts at two values
            if (h == null || h.size() < 2) {
                if (h == null) {
                    h = new History(size);
                    state.put(field, h);
                }
                h.addNewer(s);
                continue;
            }
            double[] values = s.valuesArray();
            double[] win = Stats.meanAndVariance(values, n);
            double[] hist = h.meanAndVariance();
            double scale = 1;
            if (!finite(win) || !finite(hist)) {
                // beyond about 1e154 squares (near 1.8e308 sums) overflowed, and NaN or infinite means, deviations and t
                // reached the point: both samples again, taken times one power of two (exact) that brings their largest
                // value near 1. t and p do not depend on the scale; means and deviations are scaled back
                double f = Stats.scaleFor(Math.max(Stats.maxAbs(values, n), h.maxAbs()));
                scale = f;
                win = Stats.meanAndVariance(i -> values[i] * f, n);
                hist = h.meanAndVariance(f);
            }
            Welch r = Welch.test(n, win[0], win[1], h.size(), hist[0], hist[1]);
            boolean anomalous = r.pValue <= alpha;
            Map<String, String> tags = new LinkedHashMap<>(w.tags());
            tags.put("field", field);
            Map<String, Object> f = new LinkedHashMap<>();
            // t is infinite when both sides are constant and differ: the largest double instead, as InfluxDB's line
            // protocol and the JSON of Kapacitor's alert handlers refuse infinities
            f.put("t", finite(r.t));
            f.put("pvalue", r.pValue);
            f.put("window_mean", win[0] / scale);
            f.put("history_mean", hist[0] / scale);
            // beyond the double limit only when the values span it (-1.8e308 and 1.8e308 in one window)
            f.put("window_stddev", finite(Math.sqrt(win[1]) / scale));
            f.put("history_stddev", finite(Math.sqrt(hist[1]) / scale));
            f.put("window_count", (long) n);
            f.put("history_count", (long) h.size());
            f.put("skipped", (long) skipped);
            f.put("is_anomaly", anomalous);
            Anomaly a = null;
            if (anomalous) {
                double score = r.pValue > 0 ? -Math.log10(r.pValue) : 400.0;
                String desc = String.format(Locale.ROOT,
                        "%s of %s is abnormal: window mean %.4g vs history mean %.4g (t=%.3g, p=%.3g)",
                        field, describe(w), win[0] / scale, hist[0] / scale, r.t, r.pValue);
                a = new Anomaly("ttest", w.name(), w.tags(), w.tmax(), spanSeconds(w), field, score, n, n,
                        List.of(new Contribution(field, score, String.format(Locale.ROOT, "p-value %.3g", r.pValue))),
                        desc, java.util.Arrays.copyOf(s.valuesArray(), n));
            } else {
                h.addNewer(s);
            }
            out.add(new Verdict(w.name(), w.tmax(), tags, f, a));
        }
    }

    private static boolean finite(double[] meanAndVariance) {
        return Double.isFinite(meanAndVariance[0]) && Double.isFinite(meanAndVariance[1]);
    }

    /** x, or the largest double of its sign when it is infinite (a point's fields must be finite). */
    static double finite(double x) {
        return Math.max(-Double.MAX_VALUE, Math.min(Double.MAX_VALUE, x));
    }

    static long spanSeconds(Window w) {
        return Math.max(0, (w.tmax() - w.tmin()) / 1_000_000_000L);
    }

    static String describe(Window w) {
        return w.tags().isEmpty() ? w.name() : w.name() + " " + w.tags();
    }

    public long skippedValues() {
        return skippedValues;
    }

    @Override
    public void save(DataOutputStream out) throws IOException {
        out.writeInt(size);
        out.writeDouble(alpha);
        groups.save(out, (g, m) -> FieldStates.save(g, m, (o, h) -> h.save(o)));
    }

    @Override
    public void load(DataInputStream in) throws IOException {
        int savedSize = in.readInt();
        double savedAlpha = in.readDouble();
        if (savedSize != size || savedAlpha != alpha) {
            LOG.warn("restore: snapshot had size={} alpha={}, task has size={} alpha={}; histories are trimmed to size",
                    savedSize, savedAlpha, size, alpha);
        }
        groups.load(in, g -> FieldStates.load(g, fields, (i, field) -> {
            History h = History.load(i, Math.max(savedSize, 2));
            History trimmed = new History(size);
            for (int j = 0; j < h.size(); j++) trimmed.add(h.get(j));
            return trimmed;
        }));
    }
}
