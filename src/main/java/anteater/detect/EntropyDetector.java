package anteater.detect;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.math3.distribution.ChiSquaredDistribution;

/**
 * A univariate distribution-change detector (relative entropy with multiple hypotheses, after Wang et al. 2011).
 * Per group and field: the first {@code eCalibration} values fix a value range, cut into {@code eBins} equal bins
 * (values outside fall into the edge bins; the range is never refit). At each new value the histogram of the last
 * {@code eWindow} values is compared with every known pattern by {@code 2 W KL(window || pattern)}; the closest
 * pattern whose statistic is below the chi-squared threshold (risk {@code eAlpha}, bins-1 degrees of freedom)
 * is matched. A value is anomalous when no pattern matches (its window becomes a new pattern) or when the matched
 * pattern has been seen at most {@code eRecur} times. So a new level, a new spread or a new shape is flagged
 * while the window moves into it; a distribution seen before is not flagged again. With {@code eSpike} > 0 a value
 * is also anomalous when its robust z-score, or that of its change, exceeds {@code eSpike} (the {@code robustz}
 * score over the last 1000 values): a single spike barely changes a histogram. After a flagged value the next
 * {@code eHoldoff} values of that field are not flagged (0: off): one alert per incident.
 */
public final class EntropyDetector implements Detector {
    static final int STATE_VERSION = 1;
    static final double MAX_SCORE = 1e6;
    static final int SPIKE_HISTORY = 1000;
    static final int SPIKE_MIN_HISTORY = 30;
    /** The smallest eAlpha whose 1 - eAlpha quantile is still accurate in double precision. */
    static final double MIN_ALPHA = 1e-12;
    /** Most pattern values kept per group and field (ePatterns x eBins): 8 MB, and as many operations per value. */
    static final long MAX_CELLS = 1_000_000;

    private final List<String> fields;
    private final int window;
    private final int bins;
    private final double limit;
    private final int calibration;
    private final long recur;
    private final int capacity;
    private final int holdoff;
    private final GroupTable<Map<String, FieldState>> groups;
    /** The spike check: robust z-scores of the value and its change, as {@code robustz} computes them. */
    private final RobustZDetector spike;
    private final double spikeThr;
    private final double[] scratch = new double[SPIKE_HISTORY];

    /** One field's state. */
    final class FieldState {
        final double[] calib = new double[calibration];
        int calibSize;
        double lo = Double.NaN;
        double width = Double.NaN;
        final double[] ring = new double[window];
        int size;
        int next;
        long quiet;
        Patterns patterns = new Patterns(capacity);
        RobustZDetector.FieldState z = spike == null ? null : new RobustZDetector.FieldState(SPIKE_HISTORY, 1);

        void add(double v) {
            ring[next] = v;
            next = (next + 1) % window;
            if (size < window) size++;
            if (calibSize < calibration) {
                calib[calibSize++] = v;
                if (calibSize == calibration) fixRange();
            }
        }

        boolean ready() {
            return calibSize == calibration && size == window;
        }

        void fixRange() {
            double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < calibSize; i++) {
                min = Math.min(min, calib[i]);
                max = Math.max(max, calib[i]);
            }
            double w = max - min;
            double eps = Math.max(1e-9, 1e-6 * Math.max(Math.abs(min), Math.abs(max)));
            if (w < eps) {
                // a flat calibration: a small range centred on the value, so any later change shows
                lo = min - eps * bins / 2.0;
                width = eps * bins;
            } else {
                lo = min;
                width = w;
            }
        }

        int bin(double v) {
            // bin k holds (lo + k*step, lo + (k+1)*step]; lo itself goes to bin 0
            double x = (v - lo) / width * bins;
            int b = (int) Math.ceil(x) - 1;
            return b < 0 ? 0 : Math.min(bins - 1, b);
        }

        double[] histogram() {
            double[] p = new double[bins];
            for (int i = 0; i < size; i++) p[bin(ring[i])] += 1.0;
            for (int k = 0; k < bins; k++) p[k] /= size;
            return p;
        }
    }

    EntropyDetector(List<String> fields, int window, int bins, double alpha, int calibration, long recur, int capacity,
                    int holdoff, double spikeThreshold, int maxGroups) {
        this.spikeThr = spikeThreshold;
        this.spike = spikeThreshold > 0 ? new RobustZDetector(List.of("value"), SPIKE_HISTORY, 1, spikeThreshold, 0,
                SPIKE_MIN_HISTORY, true, 1) : null;
        this.fields = List.copyOf(fields);
        this.window = window;
        this.bins = bins;
        this.limit = new ChiSquaredDistribution(bins - 1).inverseCumulativeProbability(1 - alpha);
        this.calibration = calibration;
        this.recur = recur;
        this.capacity = capacity;
        this.holdoff = holdoff;
        this.groups = new GroupTable<>(maxGroups, "entropy");
    }

    public static EntropyDetector create(Options o) throws OptionException {
        List<String> fields = o.fields();
        int w = o.intIn("eWindow", 2, 100_000, "values", "");
        int b = o.intIn("eBins", 2, 1000, "", "");
        // the limit is the 1 - eAlpha quantile: below 1e-12, 1 - eAlpha keeps too few digits for it (1e-15 gave
        // 4.5e7 for 5 bins, not ~70, and below 1.1e-16 it is 1: an infinite limit)
        double a = o.doubleIn("eAlpha", MIN_ALPHA, false, 1, true, "");
        int c = o.intIn("eCalibration", 2, 1_000_000, "values", "");
        long r = o.getLong("eRecur");
        if (r < 1) throw new OptionException("option 'eRecur' must be >= 1, got " + r);
        int p = o.intIn("ePatterns", 1, 1_000_000, "", "");
        if ((long) p * b > MAX_CELLS) {
            throw new OptionException("options 'ePatterns' x 'eBins' must be at most " + MAX_CELLS + " (" + (MAX_CELLS * 8 / 1_000_000)
                    + " MB of patterns per group and field), got " + p + " x " + b);
        }
        int h = o.intAtLeast("eHoldoff", 0, "values", "");
        double z = o.doubleIn("eSpike", 0, false, RobustZDetector.MAX_SCORE, true, "0: off; z-scores are capped at 1e6, so a larger one never fires");
        int maxGroups = o.maxGroups();
        return new EntropyDetector(fields, w, b, a, c, r, p, h, z, maxGroups);
    }

    double limit() {
        return limit;
    }

    /** Judges value v (already in the ring): {statistic, anomalous 0/1}. */
    double[] judge(FieldState st) {
        double[] p = st.histogram();
        if (st.patterns.size() == 0) {
            // the first window's distribution is the field's normal: established from the start
            st.patterns.add(p);
            st.patterns.setMatches(0, recur);
            return new double[] {0, 0};
        }
        double[] c = st.patterns.closest(p, window);
        int i = (int) c[0];
        double s = Math.min(MAX_SCORE, c[1]);
        if (i >= 0 && c[1] < limit) {
            st.patterns.match(i);
            return new double[] {s, st.patterns.matches(i) <= recur ? 1 : 0};
        }
        st.patterns.add(p);
        return new double[] {s, 1};
    }

    @Override
    public void process(Window w, List<Verdict> out) {
        Map<String, FieldState> state = groups.getOrCreate(w.groupKey(), k -> new HashMap<>());
        for (String field : fields) {
            Series s = w.series(field);
            int n = s == null ? 0 : s.size();
            if (n == 0) continue;
            FieldState st = state.computeIfAbsent(field, f -> new FieldState());
            FieldTally t = new FieldTally();
            boolean[] firstSpike = {false};
            for (int i = 0; i < n; i++) {
                double v = s.value(i);
                boolean spiky = false;
                double z = 0;
                if (st.z != null) {
                    if (st.z.size >= SPIKE_MIN_HISTORY) {
                        z = spike.score(st.z, v, scratch);
                        spiky = z > spikeThr;
                    } else {
                        st.z.smoothed(v);
                    }
                    st.z.add(v);
                    st.z.addDiff(v);
                }
                st.add(v);
                if (!st.ready()) continue;
                double[] j = judge(st);
                boolean changed = j[1] > 0;
                // a spike is scored on the entropy limit's scale (limit x z / eSpike), so a value flagged only as a
                // spike has anomaly_score above threshold, like any other flagged value
                double score = spiky ? Math.max(j[0], limit * z / spikeThr) : j[0];
                st.quiet = t.note(st.quiet, changed || spiky, holdoff, score, v);
                if (t.justFlagged && t.flagged == 1) firstSpike[0] = !changed;
            }
            Verdict verdict = t.verdict(w, "entropy", field, limit, Map.of("patterns", (long) st.patterns.size()), s,
                    () -> firstSpike[0]
                            ? String.format(Locale.ROOT, "%s of %s spiked: robust z-score above %.3g (value %.4g)",
                                    field, TTestDetector.describe(w), spikeThr, t.firstValue)
                            : String.format(Locale.ROOT,
                                    "%s of %s changed distribution: the last %d values match no known pattern (relative entropy %.3g, limit %.3g; value %.4g)",
                                    field, TTestDetector.describe(w), window, t.firstScore, limit, t.firstValue),
                    "relative entropy %.3g");
            if (verdict != null) out.add(verdict);
        }
    }

    @Override
    public void save(DataOutputStream out) throws IOException {
        out.writeInt(STATE_VERSION);
        out.writeInt(window);
        out.writeInt(bins);
        out.writeInt(calibration);
        groups.save(out, (g, m) -> FieldStates.save(g, m, (o, st) -> {
            o.writeInt(st.calibSize);
            for (int i = 0; i < st.calibSize; i++) o.writeDouble(st.calib[i]);
            o.writeInt(st.size);
            o.writeInt(st.next);
            for (int i = 0; i < st.size; i++) o.writeDouble(st.ring[i]);
            o.writeLong(st.quiet);
            st.patterns.save(o);
            o.writeBoolean(st.z != null);
            if (st.z != null) RobustZDetector.writeState(o, st.z);
        }));
    }

    @Override
    public void load(DataInputStream in) throws IOException {
        int v = in.readInt();
        if (v != STATE_VERSION) throw new IOException("entropy state version " + v + " is not supported (reads " + STATE_VERSION + ")");
        int w = in.readInt(), b = in.readInt(), c = in.readInt();
        if (w != window || b != bins || c != calibration) {
            throw new StateShapeChanged("eWindow=" + w + " eBins=" + b + " eCalibration=" + c,
                    "eWindow=" + window + " eBins=" + bins + " eCalibration=" + calibration);
        }
        groups.load(in, g -> FieldStates.load(g, fields, (i, name) -> {
            FieldState st = new FieldState();
            int cs = i.readInt();
            if (cs < 0 || cs > calibration) throw new IOException("bad calibration of " + name);
            for (int j = 0; j < cs; j++) st.calib[j] = i.readDouble();
            st.calibSize = cs;
            if (cs == calibration) st.fixRange();
            st.size = i.readInt();
            st.next = i.readInt();
            if (st.size < 0 || st.size > window || st.next < 0 || st.next >= window) throw new IOException("bad window of " + name);
            for (int j = 0; j < st.size; j++) st.ring[j] = i.readDouble();
            st.quiet = i.readLong();
            st.patterns = Patterns.load(i, capacity, bins);
            boolean hasZ = i.readBoolean();
            RobustZDetector.FieldState z = hasZ ? RobustZDetector.readState(i, SPIKE_HISTORY, 1, name) : null;
            if (st.z != null && z != null) st.z = z;
            return st;
        }));
    }
}
