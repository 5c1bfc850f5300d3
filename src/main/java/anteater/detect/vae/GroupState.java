package anteater.detect.vae;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;

/** What {@link VaeDetector} keeps per group: metrics, model and threshold, scoring inputs, row buffers; and its snapshot form. */
final class GroupState {
    long stepNs;
    final List<String> metrics = new ArrayList<>();
    final Map<String, Integer> index = new HashMap<>();
    double[] last = new double[0];
    VaeModel model;
    double threshold = Double.POSITIVE_INFINITY;
    final ArrayDeque<double[]> buffer = new ArrayDeque<>();
    long windows;
    long sinceUpdate;
    long imputed;
    /** The last lags - 1 raw rows scored (inputs of the next steps). */
    double[][] tail = new double[0][];
    /** Smoothed step score so far (NaN: none yet). */
    double ewma = Double.NaN;
    /** Per metric, consecutive steps its contribution has been above its cap (option persist). */
    int[] runs = new int[0];
    Future<VaeModel> pending;
    /** The rows of the fine-tuning in flight (null when none): a snapshot keeps them, as rows still to learn. */
    double[][] tuning;
    /** Whether the pending training is a relearning (option relearn): installed as a new model, not a fine-tuning. */
    boolean relearning;
    /** Consecutive anomalous windows, and their rows (option relearn). */
    long anomalousRun;
    /** Relearnt models installed so far (option relearn). */
    long relearnings;
    final ArrayDeque<double[]> recent = new ArrayDeque<>();
    /** Failed first trainings, and the window count before which none is tried again (not saved: a restart retries). */
    int failures;
    long retryAt;
    /** Whether a change of the points' spacing away from the group's step was logged (not saved). */
    boolean stepChangeLogged;
    /** Whether this group's reason for not training after its warm-up was logged (not saved). */
    boolean waitLogged;
    /** Set by {@link #read} when the snapshot's model (pretrained or none yet) no longer fits option 'model'. */
    boolean optionModelChanged;

    void setMetrics(List<String> m) {
        if (metrics.equals(m)) return;
        metrics.clear();
        last = new double[0];
        index.clear();
        for (String s : m) addMetric(s);
    }

    void addMetric(String m) {
        index.put(m, metrics.size());
        metrics.add(m);
        int old = last.length;
        last = Arrays.copyOf(last, metrics.size());
        Arrays.fill(last, old, last.length, Double.NaN);
    }

    /** sinceUpdate of a restored group whose fine-tuning was in flight: due at its next normal window. */
    static final long FINE_TUNE_DUE = Long.MAX_VALUE / 4;

    /** Adds a row to the buffer, dropping its oldest rows beyond {@code max}. */
    void keep(double[] row, int max) {
        keep(buffer, row, max);
    }

    static void keep(ArrayDeque<double[]> rows, double[] row) {
        keep(rows, row, VaeDetector.maxRows(row.length));
    }

    static void keep(ArrayDeque<double[]> rows, double[] row, int max) {
        while (rows.size() >= max) rows.pollFirst();
        rows.addLast(row);
    }

    /** Back to the start of a warm-up: no model, no rows, no windows counted. */
    void warmUpAfresh() {
        model = null;
        restart();
        windows = 0;
        sinceUpdate = 0;
    }

    /** Forget the inputs of the model in use (its lags, smoothing, persist runs): a new model starts afresh. */
    void restart() {
        buffer.clear();
        for (int j = 0; j < last.length; j++) last[j] = Double.NaN;
        tail = new double[0][];
        ewma = Double.NaN;
        runs = new int[0];
        anomalousRun = 0;
        recent.clear();
    }

    /** Writes this group's state (the model by reference when it is the shared pretrained one). */
    void write(DataOutputStream o, VaeModel shared) throws IOException {
        o.writeLong(stepNs);
        o.writeLong(windows);
        // a fine-tuning in flight is saved as due, with its rows back in the buffer: a restored task runs it again
        o.writeLong(tuning != null ? FINE_TUNE_DUE : sinceUpdate);
        o.writeLong(imputed);
        o.writeInt(metrics.size());
        for (String s : metrics) o.writeUTF(s);
        for (double v : last) o.writeDouble(v);
        o.writeDouble(ewma);
        o.writeInt(tail.length);
        for (double[] row : tail) for (double v : row) o.writeDouble(v);
        o.writeInt(runs.length);
        for (int v : runs) o.writeInt(v);
        if (model == null) {
            o.writeByte(0);
        } else if (model == shared) {
            o.writeByte(1);
        } else {
            o.writeByte(2);
            byte[] b = model.toBytes();
            o.writeInt(b.length);
            o.write(b);
        }
        if (tuning == null) {
            writeRows(o, buffer);
        } else {
            ArrayDeque<double[]> all = new ArrayDeque<>();
            for (double[] row : tuning) keep(all, row);
            for (double[] row : buffer) keep(all, row);
            writeRows(o, all);
        }
        o.writeLong(anomalousRun);
        o.writeLong(relearnings);
        writeRows(o, recent);
    }

    /** Reads a group's state written by {@link #write} in snapshot format {@code version} (1 to 5); the threshold is the caller's. */
    static GroupState read(DataInputStream i, int version, VaeModel shared) throws IOException {
        GroupState g = new GroupState();
        g.stepNs = i.readLong();
        g.windows = i.readLong();
        g.sinceUpdate = i.readLong();
        g.imputed = i.readLong();
        int d = i.readInt();
        if (d < 0 || d > VaeDetector.MAX_METRICS) throw new IOException("bad metric count " + d);
        List<String> ms = new ArrayList<>(d);
        for (int j = 0; j < d; j++) ms.add(i.readUTF());
        g.setMetrics(ms);
        for (int j = 0; j < d; j++) g.last[j] = i.readDouble();
        if (version >= 2) {
            g.ewma = i.readDouble();
            int nt = i.readInt();
            if (nt < 0 || nt > 1000) throw new IOException("bad tail length " + nt);
            VaeModel.need(i, 8L * nt * d, "tail");
            g.tail = new double[nt][d];
            for (double[] row : g.tail) for (int j = 0; j < d; j++) row[j] = i.readDouble();
        }
        if (version >= 3) {
            int nr = i.readInt();
            if (nr != 0 && nr != d) throw new IOException("bad run count " + nr);
            g.runs = new int[nr];
            for (int j = 0; j < nr; j++) g.runs[j] = i.readInt();
        }
        int kind = i.readByte();
        if (kind == 1) {
            g.model = shared; // null: option 'model' was removed since, see the end
        } else if (kind == 2) {
            int len = i.readInt();
            if (len < 1 || len > 1_000_000_000) throw new IOException("bad model length " + len);
            VaeModel.need(i, len, "model");
            byte[] b = new byte[len];
            i.readFully(b);
            g.model = VaeModel.fromBytes(b);
        } else if (kind != 0) {
            throw new IOException("bad model kind " + kind);
        }
        if (kind == 2 && !g.model.metrics().equals(ms)) throw new IOException("model metrics differ from the group's");
        readRows(i, g.buffer, version);
        if (version >= 4) {
            g.anomalousRun = i.readLong();
            if (g.anomalousRun < 0) throw new IOException("bad anomalous run " + g.anomalousRun);
            g.relearnings = i.readLong();
            if (g.relearnings < 0) throw new IOException("bad relearning count " + g.relearnings);
            readRows(i, g.recent, version);
        }
        // option 'model' changed since the snapshot (Kapacitor sends it at every start, so refusing it would fail them
        // all): a group of the old pretrained model, or one still warming up, takes the task's model now; without
        // one, it warms up afresh. Its rows and scoring inputs were of the old model and are dropped.
        if (kind == 1 && shared == null) {
            g.warmUpAfresh();
            g.optionModelChanged = true;
        } else if ((kind == 1 && !shared.metrics().equals(ms)) || (kind == 0 && shared != null)) {
            g.model = shared;
            g.setMetrics(shared.metrics());
            g.restart();
            g.sinceUpdate = 0;
            g.optionModelChanged = true;
        }
        return g;
    }

    /**
     * Rows are kept as floats, but a row holding a value beyond float range (3.4e38), which would come back infinite
     * (and make the normaliser of a training on it, and so the model, NaN), is kept as doubles: its length is
     * written negated, as -1 - length (snapshot version 5).
     */
    private static void writeRows(DataOutputStream o, ArrayDeque<double[]> rows) throws IOException {
        o.writeInt(rows.size());
        for (double[] row : rows) {
            boolean wide = false;
            for (double v : row) wide |= Math.abs(v) > Float.MAX_VALUE;
            o.writeInt(wide ? -1 - row.length : row.length);
            for (double v : row) {
                if (wide) o.writeDouble(v);
                else o.writeFloat((float) v);
            }
        }
    }

    private static void readRows(DataInputStream i, ArrayDeque<double[]> rows, int version) throws IOException {
        int nb = i.readInt();
        if (nb < 0 || nb > VaeDetector.MAX_BUFFER) throw new IOException("bad buffer size " + nb);
        for (int k = 0; k < nb; k++) {
            int len = i.readInt();
            boolean wide = len < 0 && version >= 5;
            if (wide) len = -1 - len;
            if (len < 0 || len > VaeDetector.MAX_METRICS) throw new IOException("bad row length " + len);
            VaeModel.need(i, (wide ? 8L : 4L) * len, "row");
            double[] row = new double[len];
            for (int j = 0; j < len; j++) row[j] = wide ? i.readDouble() : i.readFloat();
            rows.addLast(row);
        }
    }
}
