package anteater.detect.vae;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * Per-metric standardisation fitted once on training rows and never refitted: {@code (x - mean) / scale},
 * clipped to {@code [-clip, clip]}. The scale has a floor, so a metric that was constant in training still
 * maps a change to a large (clipped) value instead of infinity.
 */
public final class Normaliser {
    private final double[] mean;
    private final double[] scale;
    private final double clip;

    public Normaliser(double[] mean, double[] scale, double clip) {
        if (mean.length != scale.length) throw new IllegalArgumentException("mean and scale differ in length");
        if (!(clip > 0)) throw new IllegalArgumentException("clip must be > 0, got " + clip);
        this.mean = mean.clone();
        this.scale = scale.clone();
        this.clip = clip;
    }

    /**
     * Fits on rows [time][metric]; a metric's scale is its standard deviation, at least {@code minScale}. A metric
     * whose values are so large that their squares (or their sum) would overflow, beyond about 1e150, is fitted on
     * its values times a power of two (exact), so its scale stays finite: it was infinite, which mapped every value
     * of the metric to 0 (values near 1e308 made the mean infinite and the training fail).
     */
    public static Normaliser fit(double[][] rows, double clip, double minScale) {
        if (rows.length == 0) throw new IllegalArgumentException("no rows to fit the normaliser on");
        int d = rows[0].length;
        double[] mean = new double[d];
        double[] scale = new double[d];
        for (int j = 0; j < d; j++) {
            double max = 0;
            for (double[] r : rows) max = Math.max(max, Math.abs(r[j]));
            // 1 for every ordinary metric (results unchanged); else 2^-k, with the largest value about 1 after it
            double f = max > 1e150 && Double.isFinite(max) ? Math.scalb(1.0, -Math.getExponent(max)) : 1;
            double m = 0;
            for (double[] r : rows) m += r[j] * f;
            m /= rows.length;
            double v = 0;
            for (double[] r : rows) {
                double e = r[j] * f - m;
                v += e * e;
            }
            mean[j] = m / f;
            scale[j] = Math.max(minScale, Math.sqrt(v / Math.max(1, rows.length - 1)) / f);
        }
        return new Normaliser(mean, scale, clip);
    }

    public int size() {
        return mean.length;
    }

    public double clip() {
        return clip;
    }

    public double mean(int j) {
        return mean[j];
    }

    public double scale(int j) {
        return scale[j];
    }

    /** Normalises x into out (may be the same array). */
    public void apply(double[] x, double[] out) {
        for (int j = 0; j < mean.length; j++) {
            double z = (x[j] - mean[j]) / scale[j];
            out[j] = z > clip ? clip : (z < -clip ? -clip : z);
        }
    }

    public double[][] apply(double[][] rows) {
        double[][] out = new double[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            out[i] = new double[mean.length];
            apply(rows[i], out[i]);
        }
        return out;
    }

    public void save(DataOutputStream out) throws IOException {
        out.writeInt(mean.length);
        out.writeDouble(clip);
        for (int j = 0; j < mean.length; j++) {
            out.writeDouble(mean[j]);
            out.writeDouble(scale[j]);
        }
    }

    public static Normaliser load(DataInputStream in) throws IOException {
        int d = in.readInt();
        if (d < 1 || d > 1_000_000) throw new IOException("bad normaliser size " + d);
        VaeModel.need(in, 8 + 16L * d, "normaliser");
        double clip = in.readDouble();
        double[] m = new double[d], s = new double[d];
        for (int j = 0; j < d; j++) {
            m[j] = in.readDouble();
            s[j] = in.readDouble();
            if (!Double.isFinite(m[j]) || !(s[j] > 0)) throw new IOException("bad normaliser entry for metric " + j);
        }
        if (!(clip > 0)) throw new IOException("bad normaliser clip " + clip);
        return new Normaliser(m, s, clip);
    }
}
