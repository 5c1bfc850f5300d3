package anteater.detect;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A univariate rolling robust z-score: per group and field, the last {@code zHistory} values are kept; each new
 * value's score is {@code |mean of the last zSmooth values - median(history)| / scale(history)}, where the scale
 * is 1.4826 x the median absolute deviation (or, when at least half of the history is one value, 1.2533 x the
 * mean absolute deviation), then the value joins the history. With {@code zChange} (default) the change from the
 * previous value is scored the same way against the history of changes, and the score is the larger of the two
 * (a level shift or a spike shows in its first change even when the level itself is not extreme). A window is anomalous when one of its points
 * scores above {@code zThreshold}; after a flagged point, the next {@code zHoldoff} points of that field are not
 * flagged again (one alert per incident). The first {@code zMinHistory} values only fill the history.
 */
public final class RobustZDetector implements Detector {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RobustZDetector.class);

    static final int STATE_VERSION = 1;
    static final double MAX_SCORE = 1e6;

    private final List<String> fields;
    private final int history;
    private final int smooth;
    private final double threshold;
    private final int holdoff;
    private final int minHistory;
    private final boolean change;
    private final GroupTable<Map<String, FieldState>> groups;

    /** One field's rolling state. */
    static final class FieldState {
        final double[] ring;
        int size;
        int next;
        final double[] recent;
        int recentSize;
        int recentNext;
        long quiet;
        final double[] dring;
        int dsize, dnext;
        double prev = Double.NaN;

        FieldState(int history, int smooth) {
            ring = new double[history];
            recent = new double[smooth];
            dring = new double[history];
        }

        void addDiff(double v) {
            if (!Double.isNaN(prev)) {
                dring[dnext] = v - prev;
                dnext = (dnext + 1) % dring.length;
                if (dsize < dring.length) dsize++;
            }
            prev = v;
        }

        void add(double v) {
            ring[next] = v;
            next = (next + 1) % ring.length;
            if (size < ring.length) size++;
        }

        double smoothed(double v) {
            recent[recentNext] = v;
            recentNext = (recentNext + 1) % recent.length;
            if (recentSize < recent.length) recentSize++;
            double s = 0;
            for (int i = 0; i < recentSize; i++) s += recent[i];
            return s / recentSize;
        }
    }

    RobustZDetector(List<String> fields, int history, int smooth, double threshold, int holdoff, int minHistory,
                    boolean change, int maxGroups) {
        this.change = change;
        this.fields = List.copyOf(fields);
        this.history = history;
        this.smooth = smooth;
        this.threshold = threshold;
        this.holdoff = holdoff;
        this.minHistory = minHistory;
        this.groups = new GroupTable<>(maxGroups, "robustz");
    }

    public static RobustZDetector create(Options o) throws OptionException {
        List<String> fields = o.fields();
        int h = o.intIn("zHistory", 3, 1_000_000, "values", "");
        int k = o.intIn("zSmooth", 1, 10_000, "values", "");
        double t = o.doubleIn("zThreshold", 0, true, MAX_SCORE, true, "scores are capped at 1e6, so a larger threshold never fires");
        int hold = o.intAtLeast("zHoldoff", 0, "values", "");
        int min = o.intIn("zMinHistory", 3, h, "values", "at most zHistory");
        int maxGroups = o.maxGroups();
        // a field's state holds its values and their changes (zHistory each) and the zSmooth latest
        StateMemory.check(LOG, o, "robustz", maxGroups, fields.size(), 8L * (2L * h + k), "zHistory");
        return new RobustZDetector(fields, h, k, t, hold, min, o.getBool("zChange"), maxGroups);
    }

    /** {median, scale} of the first n values of v (reordered). */
    static double[] center(double[] v, int n) {
        Arrays.sort(v, 0, n);
        double med = median(v, n);
        double[] dev = new double[n];
        double meanAbs = 0;
        for (int i = 0; i < n; i++) {
            dev[i] = Math.abs(v[i] - med);
            meanAbs += dev[i];
        }
        meanAbs /= n;
        Arrays.sort(dev, 0, n);
        double mad = median(dev, n) * 1.4826;
        double scale = mad > 0 ? mad : meanAbs * 1.2533;
        return new double[] {med, scale};
    }

    private static double median(double[] sorted, int n) {
        // halves first: the sum of two values near the double limit would overflow to infinity
        return (n & 1) == 1 ? sorted[n / 2] : 0.5 * sorted[n / 2 - 1] + 0.5 * sorted[n / 2];
    }

    /** The score of value v against the state (before v joins the history). */
    double score(FieldState st, double v, double[] scratch) {
        double m = st.smoothed(v);
        System.arraycopy(st.ring, 0, scratch, 0, st.size);
        double[] c = center(scratch, st.size);
        double z = z(Math.abs(m - c[0]), c[1]);
        if (change && st.dsize >= 3 && !Double.isNaN(st.prev)) {
            System.arraycopy(st.dring, 0, scratch, 0, st.dsize);
            double[] e = center(scratch, st.dsize);
            z = Math.max(z, z(Math.abs(v - st.prev - e[0]), e[1]));
        }
        return z;
    }

    /**
     * Deviation d over scale, at most {@link #MAX_SCORE}. Near the double limit both can be infinite (a change from
     * -MAX to +MAX, a scale of such changes): infinity against an infinite scale is no evidence, 0, never NaN.
     */
    private static double z(double d, double scale) {
        if (d == 0 || Double.isNaN(d)) return 0;
        if (!(scale > 0)) return MAX_SCORE;
        double z = d / scale;
        return Double.isNaN(z) ? 0 : Math.min(MAX_SCORE, z);
    }

    @Override
    public void process(Window w, List<Verdict> out) {
        Map<String, FieldState> state = groups.getOrCreate(w.groupKey(), k -> new HashMap<>());
        double[] scratch = null;
        for (String field : fields) {
            Series s = w.series(field);
            int n = s == null ? 0 : s.size();
            if (n == 0) continue;
            FieldState st = state.computeIfAbsent(field, f -> new FieldState(history, smooth));
            if (scratch == null) scratch = new double[history];
            FieldTally t = new FieldTally();
            for (int i = 0; i < n; i++) {
                double v = s.value(i);
                if (st.size < minHistory) {
                    st.smoothed(v);
                    st.add(v);
                    st.addDiff(v);
                    continue;
                }
                double z = score(st, v, scratch);
                st.quiet = t.note(st.quiet, z > threshold, holdoff, z, v);
                st.add(v);
                st.addDiff(v);
            }
            Verdict verdict = t.verdict(w, "robustz", field, threshold, Map.of(), s,
                    () -> String.format(Locale.ROOT, "%s of %s is abnormal: robust z-score %.3g > %.3g (value %.4g)",
                            field, TTestDetector.describe(w), t.firstScore, threshold, t.firstValue), "robust z-score %.3g");
            if (verdict != null) out.add(verdict);
        }
    }

    @Override
    public void save(DataOutputStream out) throws IOException {
        out.writeInt(STATE_VERSION);
        out.writeInt(history);
        out.writeInt(smooth);
        groups.save(out, (g, m) -> FieldStates.save(g, m, RobustZDetector::writeState));
    }

    /** Writes one field's state (also used by {@link EntropyDetector}'s spike check). */
    static void writeState(DataOutputStream o, FieldState st) throws IOException {
        o.writeInt(st.size);
        o.writeInt(st.next);
        for (int i = 0; i < st.size; i++) o.writeDouble(st.ring[i]);
        o.writeInt(st.recentSize);
        o.writeInt(st.recentNext);
        for (int i = 0; i < st.recentSize; i++) o.writeDouble(st.recent[i]);
        o.writeLong(st.quiet);
        o.writeInt(st.dsize);
        o.writeInt(st.dnext);
        for (int i = 0; i < st.dsize; i++) o.writeDouble(st.dring[i]);
        o.writeDouble(st.prev);
    }

    /** Reads what {@link #writeState} wrote, checking every size against the options. */
    static FieldState readState(DataInputStream i, int history, int smooth, String name) throws IOException {
        FieldState st = new FieldState(history, smooth);
        st.size = i.readInt();
        st.next = i.readInt();
        if (st.size < 0 || st.size > history || st.next < 0 || st.next >= history) throw new IOException("bad history of " + name);
        for (int j = 0; j < st.size; j++) st.ring[j] = i.readDouble();
        st.recentSize = i.readInt();
        st.recentNext = i.readInt();
        if (st.recentSize < 0 || st.recentSize > smooth || st.recentNext < 0 || st.recentNext >= smooth) {
            throw new IOException("bad recent values of " + name);
        }
        for (int j = 0; j < st.recentSize; j++) st.recent[j] = i.readDouble();
        st.quiet = i.readLong();
        st.dsize = i.readInt();
        st.dnext = i.readInt();
        if (st.dsize < 0 || st.dsize > history || st.dnext < 0 || st.dnext >= history) throw new IOException("bad changes of " + name);
        for (int j = 0; j < st.dsize; j++) st.dring[j] = i.readDouble();
        st.prev = i.readDouble();
        return st;
    }

    @Override
    public void load(DataInputStream in) throws IOException {
        int v = in.readInt();
        if (v != STATE_VERSION) throw new IOException("robustz state version " + v + " is not supported (reads " + STATE_VERSION + ")");
        int h = in.readInt(), k = in.readInt();
        if (h != history || k != smooth) {
            throw new StateShapeChanged("zHistory=" + h + " zSmooth=" + k, "zHistory=" + history + " zSmooth=" + smooth);
        }
        groups.load(in, g -> FieldStates.load(g, fields, (i, name) -> readState(i, history, smooth, name)));
    }
}
