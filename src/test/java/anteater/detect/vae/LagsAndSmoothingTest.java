package anteater.detect.vae;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class LagsAndSmoothingTest {

    @Test
    void inputsConcatenateTheStepWithItsPredecessorsOldestFirst() {
        double[][] before = {{1, 10}, {2, 20}};
        double[][] z = {{3, 30}, {4, 40}};
        float[][] in = VaeModel.inputs(z, before, 3);
        assertArrayEquals(new float[] {1, 10, 2, 20, 3, 30}, in[0]);
        assertArrayEquals(new float[] {2, 20, 3, 30, 4, 40}, in[1]);
        // no history: the first row stands in for the missing ones
        float[][] fresh = VaeModel.inputs(z, null, 3);
        assertArrayEquals(new float[] {3, 30, 3, 30, 3, 30}, fresh[0]);
        assertArrayEquals(new float[] {3, 30, 3, 30, 4, 40}, fresh[1]);
        assertArrayEquals(new float[] {3, 30}, VaeModel.inputs(z, before, 1)[0]);
    }

    @Test
    void tailKeepsTheLastRowsAcrossWindows() {
        double[][] t = VaeDetector.tail(new double[][] {{1}, {2}}, new double[][] {{3}}, 2);
        assertEquals(2, t.length);
        assertEquals(2, t[0][0]);
        assertEquals(3, t[1][0]);
        assertEquals(0, VaeDetector.tail(t, new double[][] {{4}}, 0).length);
        assertEquals(1, VaeDetector.tail(new double[0][], new double[][] {{4}}, 5).length);
    }

    @Test
    void logEwmaSmoothing() {
        double[] s = {3, 0, 8};
        double state = ScoreSmoother.apply(s, 0.5, Double.NaN);
        // ln(1+x): 1.386294, 0, 2.197225; means 1.386294, 0.693147, 1.445186
        assertEquals(3, s[0], 1e-9);
        assertEquals(1, s[1], 1e-9);
        assertEquals(Math.expm1(0.5 * Math.log(2) + 0.5 * Math.log(9)), s[2], 1e-9);
        assertEquals(Math.log1p(s[2]), state, 1e-12);
        // carrying the state over equals smoothing in one go
        double[] a = {5, 1, 7, 2}, b = a.clone();
        ScoreSmoother.apply(a, 0.2, Double.NaN);
        double st = ScoreSmoother.apply(new double[] {b[0], b[1]}, 0.2, Double.NaN);
        double[] rest = {b[2], b[3]};
        ScoreSmoother.apply(rest, 0.2, st);
        assertEquals(a[3], rest[1], 1e-12);
        assertArrayEquals(new double[] {5, 1, 7, 2}, ScoreSmoother.smooth(b, 1.0), 0.0);
    }

    @Test
    void laggedModelRoundTripAndContributions() throws IOException {
        VaeConfig c = Synthetic.smallConfig().withInput(4, 3).withEpochs(3);
        VaeModel m = VaeTrainer.train(Synthetic.rows(600, 2), Synthetic.METRICS, c, VaeTrainer.SILENT);
        assertEquals(3, m.lags());
        // calibrated on the 20 % held out for validation
        assertEquals(120, m.calibration().length);
        VaeModel r = VaeModel.fromBytes(m.toBytes());
        assertEquals(3, r.lags());
        double[][] x = Synthetic.rows(30, 4);
        double[][] before = Synthetic.rows(5, 6);
        double[][] contrib = new double[30][Synthetic.D];
        double[] s = m.score(x, before, contrib);
        assertArrayEquals(s, r.score(x, before, null), 0.0);
        for (int i = 0; i < s.length; i++) assertEquals(s[i], java.util.Arrays.stream(contrib[i]).sum(), 1e-6 * s[i]);
        assertArrayEquals(m.calibration(), r.calibration(), 0.0);
    }

    @Test
    void plainJavaScoringPathMatchesNd4j() {
        VaeConfig c = Synthetic.smallConfig().withInput(4, 2).withEpochs(2);
        VaeModel m = VaeTrainer.train(Synthetic.rows(400, 8), Synthetic.METRICS, c, VaeTrainer.SILENT);
        MeanPath p = MeanPath.of(m.network());
        org.junit.jupiter.api.Assertions.assertNotNull(p, "leaky ReLU / identity VAE has a plain-Java path");
        double[][] z = m.normaliser().apply(Synthetic.rows(50, 9));
        float[][] in = VaeModel.inputs(z, null, 2);
        float[][] a = p.reconstruct(in), b = m.reconstructNd4j(in);
        for (int i = 0; i < in.length; i++) {
            assertEquals(in[i].length, a[i].length);
            for (int j = 0; j < a[i].length; j++) assertEquals(b[i][j], a[i][j], 1e-4 * (1 + Math.abs(b[i][j])), "row " + i + " col " + j);
        }
        assertEquals(0.01, MeanPath.slopeOf(org.nd4j.linalg.activations.Activation.LEAKYRELU.getActivationFunction()), 1e-12);
        assertTrue(Double.isNaN(MeanPath.slopeOf(org.nd4j.linalg.activations.Activation.IDENTITY.getActivationFunction())));
        assertEquals(Double.POSITIVE_INFINITY, MeanPath.slopeOf(org.nd4j.linalg.activations.Activation.TANH.getActivationFunction()));
    }
}
