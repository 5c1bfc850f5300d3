package anteater.detect.vae;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.variational.GaussianReconstructionDistribution;
import org.deeplearning4j.nn.conf.layers.variational.VariationalAutoencoder;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains VAEs: a full training (normaliser fitted on the rows, early stopping on the last rows held out) and
 * a fine-tuning of an existing model on new normal rows (same normaliser, never refitted).
 */
public final class VaeTrainer {
    private static final Logger LOG = LoggerFactory.getLogger(VaeTrainer.class);
    /** Smallest scale of a metric in normalised units (SMD's values are in [0, 1]). */
    public static final double MIN_SCALE = 1e-3;

    /** Told after each epoch; may stop the training by returning false. */
    public interface Progress {
        boolean epoch(int epoch, int epochs, double trainLoss, double validationLoss, boolean best);
    }

    public static final Progress SILENT = (e, n, t, v, b) -> true;

    private VaeTrainer() {
    }

    static MultiLayerNetwork build(int nIn, VaeConfig c) {
        NdRuntime.configure();
        int[] dec = new int[c.hidden().length];
        for (int i = 0; i < dec.length; i++) dec[i] = c.hidden()[dec.length - 1 - i];
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(c.seed())
                .updater(new Adam(c.learningRate()))
                .weightInit(WeightInit.XAVIER)
                .l2(1e-5)
                .list()
                .layer(0, new VariationalAutoencoder.Builder()
                        .activation(Activation.LEAKYRELU)
                        .encoderLayerSizes(c.hidden())
                        .decoderLayerSizes(dec)
                        .pzxActivationFunction(Activation.IDENTITY)
                        .reconstructionDistribution(new GaussianReconstructionDistribution(Activation.IDENTITY))
                        .nIn(nIn).nOut(c.latent())
                        .build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /**
     * Full training on raw rows [time][metric] whose columns are {@code metrics}: the last {@code validation} share
     * of the rows (in time order) is held out for early stopping, and their scores are the calibration scores
     * (scores of rows the network was not fitted on; SMD-like training data holds unlabelled anomalies, and
     * scores of fitted rows understate the spread of normal scores). With too few rows, all rows calibrate.
     */
    public static VaeModel train(double[][] raw, List<String> metrics, VaeConfig c, Progress progress) {
        if (raw.length < 2) throw new IllegalArgumentException("need at least 2 rows to train, got " + raw.length);
        Normaliser norm = Normaliser.fit(raw, c.clip(), MIN_SCALE);
        double[][] z = norm.apply(raw);
        float[][] in = VaeModel.inputs(z, null, c.lags());
        int nVal = validationRows(raw.length, c.validation());
        MultiLayerNetwork net = build(metrics.size() * c.lags(), c);
        fit(net, in, z.length - nVal, nVal, c, c.epochs(), progress);
        VaeModel m = new VaeModel(metrics, norm, c.lags(), net, new double[0], c.toString());
        double[][] contrib = new double[nVal > 0 ? nVal : z.length][metrics.size()];
        double[] cal = heldOutScores(m, z, nVal, contrib);
        return new VaeModel(metrics, norm, c.lags(), net, cal, c.toString(), caps(contrib, CAP_QUANTILE));
    }

    /** The newest rows held out of n for early stopping and calibration; 0 when a split would leave a side empty. */
    static int validationRows(int n, double share) {
        int nVal = (int) Math.round(n * share);
        return n - nVal < 1 || nVal < 1 ? 0 : nVal;
    }

    /**
     * Scores of the last nVal normalised rows z (with the rows before them as lags), or of all rows when nVal is 0:
     * the calibration scores; {@code contrib}, when not null, gets their per-metric parts.
     */
    static double[] heldOutScores(VaeModel m, double[][] z, int nVal, double[][] contrib) {
        if (nVal == 0) return m.scoreNormalised(z, null, contrib);
        int nTrain = z.length - nVal;
        return m.scoreNormalised(Arrays.copyOfRange(z, nTrain, z.length), Arrays.copyOfRange(z, 0, nTrain), contrib);
    }

    /** Quantile of each metric's contribution to the calibration scores: the caps of option {@code persist}. */
    static final double CAP_QUANTILE = 0.999;

    static double[] caps(double[][] contrib, double p) {
        int d = contrib.length == 0 ? 0 : contrib[0].length;
        double[] caps = new double[d];
        double[] col = new double[contrib.length];
        for (int j = 0; j < d; j++) {
            for (int i = 0; i < contrib.length; i++) col[i] = contrib[i][j];
            Arrays.sort(col);
            caps[j] = anteater.detect.Pot.quantileSorted(col, p);
        }
        return caps;
    }

    /**
     * Fine-tunes a copy of the model on raw rows judged normal (in time order). As in {@link #train}, the last
     * {@code validation} share of the rows is held out: it stops the fitting early, and its scores under the new
     * network join the calibration, whose oldest scores make room for them (the calibration keeps its length).
     * Scores of the rows just fitted would understate the spread of normal scores and pull the threshold down
     * (measured on SMD, eval with updateInterval 100: calibrating on the fitted rows gave mean F1 0.151, this 0.282).
     * The random generator is seeded with the config's seed, so a fine-tuning is reproducible.
     */
    public static VaeModel fineTune(VaeModel base, double[][] raw, VaeConfig c, int epochs) {
        double[][] z = base.normaliser().apply(raw);
        float[][] in = VaeModel.inputs(z, null, base.lags());
        int nVal = validationRows(raw.length, c.validation());
        MultiLayerNetwork net = tunableCopy(base, c.learningRate() * FINE_TUNE_LR_SHARE);
        // the VAE draws its latent noise from ND4J's per-thread generator while fitting; a cloned network does not
        // seed it (init does, for a full training), so seed it here: the same base and rows give the same network
        Nd4j.getRandom().setSeed(c.seed());
        fit(net, in, z.length - nVal, nVal, c, epochs, SILENT);
        VaeModel m = new VaeModel(base.metrics(), base.normaliser(), base.lags(), net, new double[0], base.config());
        double[] fresh = heldOutScores(m, z, nVal, null);
        return new VaeModel(base.metrics(), base.normaliser(), base.lags(), net, slide(base.calibration(), fresh), base.config(),
                base.caps());
    }

    /**
     * A fine-tuning's learning rate, as a share of the option's: a fitted network moved at the full rate for a few
     * epochs on a thousand rows drifts from what it learnt (SMD eval, updateInterval 100: mean F1 0.298 at the full
     * rate, 0.399 at 0.3, 0.403 at 0.1, 0.395 at 0.03; on the tuning machines 0.333, 0.388, 0.402, 0.396).
     */
    static final double FINE_TUNE_LR_SHARE = 0.1;

    /**
     * A copy of the model's network (parameters and optimiser state) that learns at {@code learningRate}. Not
     * {@code clone()} then {@code setLearningRate}: a clone shares its layers' updater settings with the original,
     * so that changed the learning rate of the model in use too. The configuration is copied through its JSON.
     */
    static MultiLayerNetwork tunableCopy(VaeModel base, double learningRate) {
        MultiLayerNetwork src = base.copyNetwork(); // a private copy: its parameter array becomes the new network's
        MultiLayerNetwork net = new MultiLayerNetwork(MultiLayerConfiguration.fromJson(src.getLayerWiseConfigurations().toJson()));
        net.init(src.params(), false);
        INDArray from = src.getUpdater() == null ? null : src.getUpdater().getStateViewArray();
        INDArray to = net.getUpdater() == null ? null : net.getUpdater().getStateViewArray();
        if (from != null && to != null) to.assign(from);
        net.setLearningRate(learningRate);
        return net;
    }

    /** The calibration after new scores: old's most recent scores then fresh, as long as the longer of the two. */
    static double[] slide(double[] old, double[] fresh) {
        int keep = Math.max(old.length, fresh.length);
        int fromOld = keep - fresh.length;
        double[] out = new double[keep];
        System.arraycopy(old, old.length - fromOld, out, 0, fromOld);
        System.arraycopy(fresh, 0, out, fromOld, fresh.length);
        return out;
    }

    /** Trains on rows [0, nTrain), validates on the next nVal rows, keeps the best parameters. */
    private static void fit(MultiLayerNetwork net, float[][] z, int nTrain, int nVal, VaeConfig c, int epochs, Progress progress) {
        INDArray all = Nd4j.create(z);
        INDArray val = nVal > 0 ? all.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(nTrain, nTrain + nVal),
                org.nd4j.linalg.indexing.NDArrayIndex.all()).dup() : null;
        Random rnd = new Random(c.seed());
        int[] order = new int[nTrain];
        for (int i = 0; i < nTrain; i++) order[i] = i;
        double best = Double.POSITIVE_INFINITY;
        INDArray bestParams = null;
        int bad = 0;
        for (int e = 1; e <= epochs; e++) {
            for (int i = nTrain - 1; i > 0; i--) {
                int k = rnd.nextInt(i + 1);
                int t = order[i];
                order[i] = order[k];
                order[k] = t;
            }
            double lossSum = 0;
            int batches = 0;
            for (int s = 0; s < nTrain; s += c.batch()) {
                // a closed task interrupts its trainer (shutdownNow): stop within a mini-batch, not after all epochs
                if (Thread.currentThread().isInterrupted()) {
                    throw new java.util.concurrent.CancellationException("training cancelled (the task closed)");
                }
                int len = Math.min(c.batch(), nTrain - s);
                float[][] b = new float[len][];
                for (int i = 0; i < len; i++) b[i] = z[order[s + i]];
                net.pretrainLayer(0, Nd4j.create(b));
                lossSum += net.getLayer(0).score();
                batches++;
            }
            double trainLoss = lossSum / Math.max(1, batches);
            double valLoss = val == null ? trainLoss : meanError(net, val);
            boolean improved = Double.isInfinite(best) ? Double.isFinite(valLoss) : valLoss < best - 1e-4 * Math.abs(best);
            if (improved) {
                best = valLoss;
                bestParams = net.params().dup();
                bad = 0;
            } else {
                bad++;
            }
            boolean go = progress.epoch(e, epochs, trainLoss, valLoss, improved);
            LOG.debug("epoch {}/{} train loss {} validation {}", e, epochs, trainLoss, valLoss);
            if (!go || (val != null && bad >= c.patience())) break;
        }
        if (bestParams != null && val != null) net.setParams(bestParams);
    }

    /** Mean squared reconstruction error per row (the score used for detection). */
    static double meanError(MultiLayerNetwork net, INDArray x) {
        org.deeplearning4j.nn.layers.variational.VariationalAutoencoder vae =
                (org.deeplearning4j.nn.layers.variational.VariationalAutoencoder) net.getLayer(0);
        INDArray rec = vae.generateAtMeanGivenZ(net.output(x, false));
        INDArray diff = rec.subi(x);
        return diff.muli(diff).sumNumber().doubleValue() / x.rows();
    }
}
