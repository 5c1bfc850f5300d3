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
 * on the training rows, the network, and calibration scores (training scores) from which thresholds are fitted.
 *
 * <p>Score of a row: its squared reconstruction error in normalised units, {@code sum_j (z_j - zhat_j)^2}, where
 * {@code zhat} is the decoder's mean at the encoder's mean. The per-metric terms are the contributions. Scoring
 * is deterministic (no sampling), so a restored task reproduces its outputs exactly.
 *
 * <p>File format (version 1): magic "ANTVAE", u16 version, i32 metric count, UTF metrics, normaliser,
 * i32 calibration count, float scores, UTF config text, i32 network length, network bytes (DL4J ModelSerializer).
 */
public final class VaeModel {
    static final byte[] MAGIC = "ANTVAE".getBytes(StandardCharsets.US_ASCII);
    public static final int FORMAT_VERSION = 1;

    private final List<String> metrics;
    private final Normaliser normaliser;
    private final MultiLayerNetwork net;
    private final double[] calibration;
    private final String config;

    public VaeModel(List<String> metrics, Normaliser normaliser, MultiLayerNetwork net, double[] calibration, String config) {
        if (metrics.size() != normaliser.size()) throw new IllegalArgumentException("metrics and normaliser differ in size");
        this.metrics = List.copyOf(metrics);
        this.normaliser = normaliser;
        this.net = net;
        this.calibration = calibration.clone();
        // kept at float precision, as in the file, so a reloaded model fits the same threshold
        for (int i = 0; i < this.calibration.length; i++) this.calibration[i] = (float) this.calibration[i];
        Arrays.sort(this.calibration);
        this.config = config;
    }

    public List<String> metrics() { return metrics; }
    public Normaliser normaliser() { return normaliser; }
    public MultiLayerNetwork network() { return net; }
    /** Sorted calibration scores. */
    public double[] calibration() { return calibration; }
    public String config() { return config; }
    public int size() { return metrics.size(); }

    /**
     * Scores normalised rows [time][metric]: returns the row scores, and fills {@code contrib[i][j]} (when not
     * null) with metric j's part of row i's score.
     */
    public double[] scoreNormalised(double[][] z, double[][] contrib) {
        int n = z.length, d = metrics.size();
        double[] scores = new double[n];
        if (n == 0) return scores;
        float[][] f = new float[n][d];
        for (int i = 0; i < n; i++) for (int j = 0; j < d; j++) f[i][j] = (float) z[i][j];
        INDArray x = Nd4j.create(f);
        float[][] rec = reconstruct(x);
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < d; j++) {
                double e = z[i][j] - rec[i][j];
                double c = e * e;
                s += c;
                if (contrib != null) contrib[i][j] = c;
            }
            scores[i] = s;
        }
        return scores;
    }

    /** Scores raw rows (normalising them first). */
    public double[] score(double[][] raw, double[][] contrib) {
        return scoreNormalised(normaliser.apply(raw), contrib);
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
        DataOutputStream out = new DataOutputStream(os);
        out.write(MAGIC);
        out.writeShort(FORMAT_VERSION);
        out.writeInt(metrics.size());
        for (String m : metrics) out.writeUTF(m);
        normaliser.save(out);
        out.writeInt(calibration.length);
        for (double c : calibration) out.writeFloat((float) c);
        out.writeUTF(config);
        ByteArrayOutputStream nb = new ByteArrayOutputStream();
        synchronized (net) {
            ModelSerializer.writeModel(net, nb, false);
        }
        out.writeInt(nb.size());
        nb.writeTo(out);
        out.flush();
    }

    public byte[] toBytes() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        write(b);
        return b.toByteArray();
    }

    public static VaeModel read(InputStream is) throws IOException {
        DataInputStream in = new DataInputStream(is);
        byte[] magic = new byte[MAGIC.length];
        in.readFully(magic);
        if (!Arrays.equals(magic, MAGIC)) throw new IOException("not an anteater VAE model (bad magic)");
        int version = in.readUnsignedShort();
        if (version != FORMAT_VERSION) {
            throw new IOException("VAE model format version " + version + " is not supported (this build reads " + FORMAT_VERSION + ")");
        }
        int d = in.readInt();
        if (d < 1 || d > 1_000_000) throw new IOException("bad metric count " + d);
        List<String> metrics = new ArrayList<>(d);
        for (int j = 0; j < d; j++) metrics.add(in.readUTF());
        Normaliser norm = Normaliser.load(in);
        if (norm.size() != d) throw new IOException("normaliser has " + norm.size() + " metrics, model has " + d);
        int nc = in.readInt();
        if (nc < 0 || nc > 100_000_000) throw new IOException("bad calibration count " + nc);
        double[] cal = new double[nc];
        for (int i = 0; i < nc; i++) cal[i] = in.readFloat();
        String config = in.readUTF();
        int len = in.readInt();
        if (len < 1 || len > 1_000_000_000) throw new IOException("bad network length " + len);
        byte[] nb = new byte[len];
        in.readFully(nb);
        NdThreads.configure();
        MultiLayerNetwork net = ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(nb), false);
        long nIn = net.getLayer(0).getParam("e0W").size(0);
        if (nIn != d) throw new IOException("network takes " + nIn + " inputs, model lists " + d + " metrics");
        return new VaeModel(metrics, norm, net, cal, config);
    }

    public static VaeModel fromBytes(byte[] b) throws IOException {
        return read(new ByteArrayInputStream(b));
    }
}
