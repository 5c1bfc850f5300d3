package anteater.detect.vae;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The VAE's deterministic scoring path (encoder to the latent mean, decoder to the reconstruction mean) in plain
 * Java, on a copy of the network's weights. Scoring a window through ND4J created a dozen native arrays per call;
 * their phantom-reference cleanup made every young collection take about 40 ms (measured with -Xlog:gc), which
 * was the scoring tail. Here a window allocates only small Java arrays.
 *
 * <p>Same computation as DL4J's {@code output} then {@code generateAtMeanGivenZ} for a Gaussian reconstruction with
 * identity activation: {@code h = act(h W + b)} through the encoder layers, {@code z = pzxAct(h Wmean + bmean)},
 * {@code h = act(h W + b)} through the decoder layers, {@code xhat = (h Wpxz + bpxz)[0, nIn)}. Built only when the
 * activations are piecewise linear of the form {@code max(x, a x)} (identity, ReLU, leaky ReLU), checked
 * numerically; otherwise {@link #of} returns null and the caller keeps ND4J.
 */
final class MeanPath {
    private final List<float[][]> weights = new ArrayList<>();
    private final List<float[]> biases = new ArrayList<>();
    /** Negative slope per layer; NaN = identity. */
    private final double[] slope;
    private final int nIn;

    private MeanPath(int nIn, int layers) {
        this.nIn = nIn;
        this.slope = new double[layers];
    }

    static MeanPath of(MultiLayerNetwork net) {
        synchronized (net) {
            Layer layer = net.getLayer(0);
            if (!(layer.conf().getLayer() instanceof org.deeplearning4j.nn.conf.layers.variational.VariationalAutoencoder c)) return null;
            if (!(c.getOutputDistribution() instanceof org.deeplearning4j.nn.conf.layers.variational.GaussianReconstructionDistribution g)) {
                return null;
            }
            if (!Double.isNaN(slopeOf(gaussianActivation(g))) ) return null;
            double act = slopeOf(c.getActivationFn());
            double pzx = slopeOf(c.getPzxActivationFn());
            if (act == Double.POSITIVE_INFINITY || pzx == Double.POSITIVE_INFINITY) return null;
            int enc = c.getEncoderLayerSizes().length, dec = c.getDecoderLayerSizes().length;
            MeanPath p = new MeanPath((int) c.getNIn(), enc + 1 + dec + 1);
            int k = 0;
            for (int i = 0; i < enc; i++) {
                p.add(layer, "e" + i + "W", "e" + i + "b");
                p.slope[k++] = act;
            }
            p.add(layer, "pZXMeanW", "pZXMeanb");
            p.slope[k++] = pzx;
            for (int i = 0; i < dec; i++) {
                p.add(layer, "d" + i + "W", "d" + i + "b");
                p.slope[k++] = act;
            }
            p.add(layer, "pXZW", "pXZb");
            p.slope[k] = Double.NaN;
            return p;
        }
    }

    private static IActivation gaussianActivation(org.deeplearning4j.nn.conf.layers.variational.GaussianReconstructionDistribution g) {
        try {
            java.lang.reflect.Field f = g.getClass().getDeclaredField("activationFn");
            f.setAccessible(true);
            return (IActivation) f.get(g);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /**
     * The negative slope a of an activation equal to {@code x >= 0 ? x : a x} (NaN when it is the identity),
     * or +infinity when it is not of that form (or unknown).
     */
    static double slopeOf(IActivation a) {
        if (a == null) return Double.POSITIVE_INFINITY;
        // far points too: ReLU6 (or any cap above the small ones) is ReLU from -3 to 2, and passed as it before
        double[] xs = {-1000, -3, -1, -0.25, 0, 0.5, 2, 1000};
        INDArray in = Nd4j.create(xs, new long[] {1, xs.length}, DataType.DOUBLE);
        double[] y = a.getActivation(in.dup(), false).toDoubleVector();
        double s = -y[2]; // at x = -1
        for (int i = 0; i < xs.length; i++) {
            double want = xs[i] >= 0 ? xs[i] : s * xs[i];
            if (!(Math.abs(y[i] - want) <= 1e-9 * (1 + Math.abs(want)))) return Double.POSITIVE_INFINITY;
        }
        return Math.abs(s - 1) < 1e-12 ? Double.NaN : s;
    }

    private void add(Layer layer, String w, String b) {
        INDArray wa = layer.getParam(w), ba = layer.getParam(b);
        weights.add(wa.castTo(DataType.FLOAT).toFloatMatrix());
        biases.add(ba.castTo(DataType.FLOAT).toFloatVector());
    }

    /** The reconstruction means of inputs x [row][nIn]. */
    float[][] reconstruct(float[][] x) {
        float[][] out = new float[x.length][];
        for (int r = 0; r < x.length; r++) {
            float[] h = x[r];
            for (int l = 0; l < weights.size(); l++) {
                float[][] w = weights.get(l);
                float[] b = biases.get(l);
                int nOut = b.length;
                // the last layer's output holds mean and log-variance: only the means are needed
                if (l == weights.size() - 1) nOut = nIn;
                double[] acc = new double[nOut];
                for (int j = 0; j < nOut; j++) acc[j] = b[j];
                for (int i = 0; i < h.length; i++) {
                    double hi = h[i];
                    if (hi == 0) continue;
                    float[] wi = w[i];
                    for (int j = 0; j < nOut; j++) acc[j] += hi * wi[j];
                }
                double s = slope[l];
                float[] next = new float[nOut];
                for (int j = 0; j < nOut; j++) {
                    double v = acc[j];
                    next[j] = (float) (Double.isNaN(s) || v >= 0 ? v : s * v);
                }
                h = next;
            }
            out[r] = h;
        }
        return out;
    }
}
