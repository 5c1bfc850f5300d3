package anteater.detect.vae;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.deeplearning4j.nn.layers.variational.VariationalAutoencoder;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A trained VAE with everything needed to score rows: the metric list (its input order), the normaliser fitted
 * on the training rows, the number of lagged steps per input, the network, and calibration scores (scores of
 * training rows held out from fitting, in time order) from which thresholds are fitted.
 *
 * <p>Input of a step: the normalised vectors of the step and of the {@code lags - 1} steps before it,
 * concatenated (oldest first). Score of a step: the squared reconstruction error of its input in normalised
 * units, {@code sum (z - zhat)^2}, where {@code zhat} is the decoder's mean at the encoder's mean. A metric's
 * contribution is its part of that sum over all lags. Scoring is deterministic (no sampling), so a restored task
 * reproduces its outputs exactly.
 *
 * <p>File format (version 2): magic "ANTVAE", u16 version, i32 metric count, UTF metrics, i32 lags, normaliser,
 * i32 calibration count, float scores, UTF config text, i32 network length, network bytes (DL4J ModelSerializer).
 * Version 3 adds, after the calibration scores, i32 count and float per-metric contribution caps (see
 * {@link #caps()}). Versions 2 (no caps) and 1 (no lags, calibration sorted; read as lags = 1) are still read.
 */
public final class VaeModel {
    static final byte[] MAGIC = "ANTVAE".getBytes(StandardCharsets.US_ASCII);
    /** 4: a CRC-32 of everything before it ends the file; 3: per-metric caps; 2: lags, calibration in time order. */
    public static final int FORMAT_VERSION = 4;

    private final List<String> metrics;
    private final Normaliser normaliser;
    private final int lags;
    private final MultiLayerNetwork net;
    private final double[] calibration;
    private final String config;
    /** Per-metric contribution caps (empty: none), see {@link #caps()}. */
    private final double[] caps;
    /** Plain-Java copy of the scoring path (null: score through ND4J). */
    private final MeanPath meanPath;

    public VaeModel(List<String> metrics, Normaliser normaliser, int lags, MultiLayerNetwork net, double[] calibration,
                    String config) {
        this(metrics, normaliser, lags, net, calibration, config, new double[0]);
    }

    public VaeModel(List<String> metrics, Normaliser normaliser, int lags, MultiLayerNetwork net, double[] calibration,
                    String config, double[] caps) {
        if (caps.length != 0 && caps.length != metrics.size()) throw new IllegalArgumentException("caps and metrics differ in size");
        if (metrics.size() != normaliser.size()) throw new IllegalArgumentException("metrics and normaliser differ in size");
        if (lags < 1) throw new IllegalArgumentException("lags must be >= 1, got " + lags);
        this.metrics = List.copyOf(metrics);
        this.normaliser = normaliser;
        this.lags = lags;
        this.net = net;
        this.calibration = calibration.clone();
        // kept at float precision, as in the file, so a reloaded model fits the same threshold
        for (int i = 0; i < this.calibration.length; i++) this.calibration[i] = (float) this.calibration[i];
        this.config = config;
        this.caps = caps.clone();
        for (int i = 0; i < this.caps.length; i++) this.caps[i] = (float) this.caps[i];
        this.meanPath = Boolean.getBoolean("anteater.vae.nd4jScoring") ? null : MeanPath.of(net);
    }

    public List<String> metrics() { return metrics; }
    public Normaliser normaliser() { return normaliser; }
    public int lags() { return lags; }
    public MultiLayerNetwork network() { return net; }
    /** Calibration scores in time order (unsmoothed step scores of held-out training rows). */
    public double[] calibration() { return calibration; }
    public String config() { return config; }
    /**
     * Per metric, a high quantile of its contribution to the calibration scores (option {@code persist} caps a
     * metric's contribution at it once the metric has stayed above it for that many steps); empty for model
     * files older than version 3.
     */
    public double[] caps() { return caps; }
    public int size() { return metrics.size(); }

    /** The calibration scores smoothed as the detector smooths step scores (EWMA weight alpha), sorted. */
    public double[] calibrationSorted(double alpha) {
        double[] s = ScoreSmoother.smooth(calibration, alpha);
        Arrays.sort(s);
        return s;
    }

    /**
     * Scores normalised rows [time][metric]: {@code before} holds the normalised rows preceding them (the last
     * {@code lags - 1} are used; missing ones repeat the oldest row available). Returns the step scores and fills
     * {@code contrib[i][j]} (when not null) with metric j's part of step i's score.
     */
    public double[] scoreNormalised(double[][] z, double[][] before, double[][] contrib) {
        int n = z.length, d = metrics.size();
        double[] scores = new double[n];
        if (n == 0) return scores;
        float[][] in = inputs(z, before, lags);
        float[][] rec = meanPath != null ? meanPath.reconstruct(in) : reconstruct(Nd4j.create(in));
        for (int i = 0; i < n; i++) {
            double s = 0;
            if (contrib != null) Arrays.fill(contrib[i], 0);
            for (int k = 0; k < in[i].length; k++) {
                double e = in[i][k] - rec[i][k];
                double c = e * e;
                s += c;
                if (contrib != null) contrib[i][k % d] += c;
            }
            scores[i] = s;
        }
        return scores;
    }

    /** The model inputs of rows z: each row with its lags - 1 predecessors (from before, then z), oldest first. */
    static float[][] inputs(double[][] z, double[][] before, int lags) {
        int n = z.length, d = z.length == 0 ? 0 : z[0].length;
        int nb = before == null ? 0 : before.length;
        float[][] f = new float[n][d * lags];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < lags; k++) {
                int src = i - (lags - 1 - k); // index in z; negative: in before
                double[] r;
                if (src >= 0) r = z[src];
                else if (nb + src >= 0) r = before[nb + src];
                else r = nb > 0 ? before[0] : z[0];
                for (int j = 0; j < d; j++) f[i][k * d + j] = (float) r[j];
            }
        }
        return f;
    }

    /** Scores raw rows (normalising them and the raw rows before them first). */
    public double[] score(double[][] raw, double[][] rawBefore, double[][] contrib) {
        return scoreNormalised(normaliser.apply(raw), rawBefore == null ? null : normaliser.apply(rawBefore), contrib);
    }

    /** Reconstruction means through ND4J (the reference the plain-Java path is tested against). */
    float[][] reconstructNd4j(float[][] in) {
        return reconstruct(Nd4j.create(in));
    }

    private float[][] reconstruct(INDArray x) {
        synchronized (net) {
            VariationalAutoencoder vae = (VariationalAutoencoder) net.getLayer(0);
            INDArray zMean = net.output(x, false);
            INDArray rec = vae.generateAtMeanGivenZ(zMean);
            return rec.castTo(DataType.FLOAT).toFloatMatrix();
        }
    }

    /** A copy whose network can be trained without touching this one. */
    public MultiLayerNetwork copyNetwork() {
        synchronized (net) {
            return net.clone();
        }
    }

    public void write(OutputStream os) throws IOException {
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        DataOutputStream body = new DataOutputStream(new java.util.zip.CheckedOutputStream(os, crc));
        writeBody(body);
        body.flush();
        DataOutputStream out = new DataOutputStream(os);
        out.writeInt((int) crc.getValue());
        out.flush();
    }

    private void writeBody(DataOutputStream out) throws IOException {
        out.write(MAGIC);
        out.writeShort(FORMAT_VERSION);
        out.writeInt(metrics.size());
        for (String m : metrics) out.writeUTF(m);
        out.writeInt(lags);
        normaliser.save(out);
        out.writeInt(calibration.length);
        for (double c : calibration) out.writeFloat((float) c);
        out.writeInt(caps.length);
        for (double c : caps) out.writeFloat((float) c);
        out.writeUTF(config);
        ByteArrayOutputStream nb = new ByteArrayOutputStream();
        synchronized (net) {
            ModelSerializer.writeModel(net, nb, false);
        }
        out.writeInt(nb.size());
        nb.writeTo(out);
    }

    public byte[] toBytes() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        write(b);
        return b.toByteArray();
    }

    public static VaeModel read(InputStream is) throws IOException {
        try {
            return readChecked(is);
        } catch (java.io.EOFException e) {
            throw new IOException("VAE model file ends early (truncated or not fully written)", e);
        }
    }

    private static VaeModel readChecked(InputStream is) throws IOException {
        // parsed from memory, so that every length is checked against the bytes there are before it is allocated
        byte[] all = is.readAllBytes();
        if (all.length == 0) throw new IOException("not an anteater VAE model (the file is empty)");
        // a short file that does not start like a model is not a truncated model
        if (!Arrays.equals(all, 0, Math.min(all.length, MAGIC.length), MAGIC, 0, Math.min(all.length, MAGIC.length))) {
            throw new IOException("not an anteater VAE model (bad magic)");
        }
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(all));
        byte[] magic = new byte[MAGIC.length];
        in.readFully(magic);
        if (!Arrays.equals(magic, MAGIC)) throw new IOException("not an anteater VAE model (bad magic)");
        int version = in.readUnsignedShort();
        if (version < 1 || version > FORMAT_VERSION) {
            throw new IOException("VAE model format version " + version + " is not supported (this build reads 1 to " + FORMAT_VERSION + ")");
        }
        if (version >= 4) {
            // the whole file is checked before any of it is believed (names, normaliser, network alike)
            int header = MAGIC.length + 2, body = all.length - 4;
            if (body < header) throw new java.io.EOFException();
            java.util.zip.CRC32 crc = new java.util.zip.CRC32();
            crc.update(all, 0, body);
            if ((int) crc.getValue() != java.nio.ByteBuffer.wrap(all, body, 4).getInt()) {
                throw new IOException("VAE model file is damaged or truncated (checksum mismatch)");
            }
            in = new DataInputStream(new ByteArrayInputStream(all, header, body - header));
        }
        int d = in.readInt();
        if (d < 1 || d > 1_000_000) throw new IOException("bad metric count " + d);
        need(in, 2L * d, "metric names");
        List<String> metrics = new ArrayList<>(d);
        for (int j = 0; j < d; j++) metrics.add(in.readUTF());
        int lags = version == 1 ? 1 : in.readInt();
        if (version == 1) {
            org.slf4j.LoggerFactory.getLogger(VaeModel.class).warn(
                    "VAE model file version 1: its calibration scores are sorted, not in time order, so a smoothed threshold"
                    + " (option smooth < 1) is off; retrain the model or set smooth=1");
        }
        if (lags < 1 || lags > 10_000) throw new IOException("bad lag count " + lags);
        Normaliser norm = Normaliser.load(in);
        if (norm.size() != d) throw new IOException("normaliser has " + norm.size() + " metrics, model has " + d);
        int nc = in.readInt();
        if (nc < 0 || nc > 100_000_000) throw new IOException("bad calibration count " + nc);
        need(in, 4L * nc, "calibration");
        double[] cal = new double[nc];
        for (int i = 0; i < nc; i++) cal[i] = in.readFloat();
        double[] caps = new double[0];
        if (version >= 3) {
            int nk = in.readInt();
            if (nk != 0 && nk != d) throw new IOException("bad cap count " + nk + " for " + d + " metrics");
            need(in, 4L * nk, "caps");
            caps = new double[nk];
            for (int j = 0; j < nk; j++) caps[j] = in.readFloat();
        }
        String config = in.readUTF();
        int len = in.readInt();
        if (len < 1 || len > 1_000_000_000) throw new IOException("bad network length " + len);
        need(in, len, "network");
        byte[] nb = new byte[len];
        in.readFully(nb);
        NdRuntime.configure();
        MultiLayerNetwork net = ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(nb), false);
        long nIn = net.getLayer(0).getParam("e0W").size(0);
        if (nIn != (long) d * lags) {
            throw new IOException("network takes " + nIn + " inputs, model lists " + d + " metrics x " + lags + " lags");
        }
        return new VaeModel(metrics, norm, lags, net, cal, config, caps);
    }

    /**
     * Refuses a length that the bytes left cannot hold, before anything is allocated for it: model files and
     * snapshot states are parsed from memory, so {@code available()} is exact, and a damaged or crafted length must
     * not make the agent allocate gigabytes.
     */
    static void need(DataInputStream in, long bytes, String what) throws IOException {
        if (bytes > in.available()) throw new IOException(what + " of " + bytes + " bytes, but only " + in.available() + " are left");
    }

    public static VaeModel fromBytes(byte[] b) throws IOException {
        return read(new ByteArrayInputStream(b));
    }
}
