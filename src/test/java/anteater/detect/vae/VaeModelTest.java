package anteater.detect.vae;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import anteater.detect.Verdict;
import anteater.detect.Window;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class VaeModelTest {
    static VaeModel model;
    static int epochsRun;

    @BeforeAll
    static void train() {
        model = VaeTrainer.train(Synthetic.rows(3000, 1), Synthetic.METRICS, Synthetic.smallConfig(),
                (e, n, t, v, b) -> {
                    epochsRun = e;
                    assertTrue(Double.isFinite(t) && Double.isFinite(v), "losses must be finite");
                    return true;
                });
    }

    @Test
    void modelFileRoundTripScoresIdentically() throws IOException {
        byte[] b = model.toBytes();
        VaeModel m = VaeModel.fromBytes(b);
        assertEquals(model.metrics(), m.metrics());
        assertArrayEquals(model.calibration(), m.calibration(), 1e-4);
        double[][] x = Synthetic.rows(50, 9);
        assertArrayEquals(model.score(x, null, null), m.score(x, null, null), 0.0);
        b[0] = 'X';
        IOException e = assertThrows(IOException.class, () -> VaeModel.fromBytes(b));
        assertTrue(e.getMessage().contains("magic"), e.getMessage());
    }

    @Test
    void contributionsSumToTheScore() {
        double[][] x = Synthetic.rows(5, 3);
        double[][] c = new double[5][Synthetic.D];
        double[] s = model.score(x, null, c);
        for (int i = 0; i < 5; i++) assertEquals(s[i], java.util.Arrays.stream(c[i]).sum(), 1e-9);
    }

    @Test
    void flagsAnInjectedMultiMetricFaultAndNotACleanStretch() {
        double[][] x = Synthetic.rows(400, 5);
        Synthetic.inject(x, 200, 240);
        VaeDetector d = new VaeDetector(Synthetic.smallConfig(), new Threshold("pot", Double.NaN, 1e-3), 1.0, 0.5, 10, 0,
                0, 3, 10, model);
        List<Verdict> out = new ArrayList<>();
        List<Window> ws = Synthetic.windows(x, 20, 0);
        for (Window w : ws) d.process(w, out);
        assertEquals(20, out.size());
        for (int i = 0; i < out.size(); i++) {
            Verdict v = out.get(i);
            boolean fault = i == 10 || i == 11;
            assertEquals(fault, v.fields().get("is_anomaly"), "window " + i + ": " + v.fields());
            assertEquals(fault, v.anomaly() != null);
        }
        Verdict f = out.get(10);
        assertEquals(20L, f.fields().get("anomaly_count"));
        Set<String> top = Set.of(f.anomaly().contributions().get(0).metric(), f.anomaly().contributions().get(1).metric(),
                f.anomaly().contributions().get(2).metric());
        assertEquals(Set.of("load", "net_out", "mem"), top, "the faulty metrics lead: " + f.fields().get("top_metrics"));
        assertEquals("vae", f.anomaly().detector());
        assertEquals(java.util.Map.of("host", "a"), f.tags());
    }

    @Test
    void calibrationSlidesOverFreshScores() {
        assertArrayEquals(new double[] {3, 4, 9, 8}, VaeTrainer.slide(new double[] {1, 2, 3, 4}, new double[] {9, 8}), 0.0);
        assertArrayEquals(new double[] {7, 8, 9}, VaeTrainer.slide(new double[] {1, 2}, new double[] {7, 8, 9}), 0.0);
    }

    @Test
    void fineTuningCalibratesOnHeldOutRowsNotOnTheRowsItFitted() {
        double[][] rows = Synthetic.rows(500, 21);
        VaeModel tuned = VaeTrainer.fineTune(model, rows, Synthetic.smallConfig(), 2);
        double[] cal = tuned.calibration();
        assertEquals(model.calibration().length, cal.length, "the calibration keeps its length");
        // the newest scores are those of the last 20 % of the rows (held out from the fitting) under the new network
        int nVal = (int) Math.round(rows.length * Synthetic.smallConfig().validation());
        double[][] held = java.util.Arrays.copyOfRange(rows, rows.length - nVal, rows.length);
        double[][] before = java.util.Arrays.copyOfRange(rows, 0, rows.length - nVal);
        double[] expected = tuned.score(held, before, null);
        double[] newest = java.util.Arrays.copyOfRange(cal, cal.length - nVal, cal.length);
        assertArrayEquals(expected, newest, 1e-3);
        // and the older part is the base model's most recent calibration
        double[] base = model.calibration();
        assertArrayEquals(java.util.Arrays.copyOfRange(base, nVal, base.length),
                java.util.Arrays.copyOfRange(cal, 0, cal.length - nVal), 0.0);
    }

    @Test
    void fineTuningTheSameModelOnTheSameRowsTwiceGivesTheSameNetwork() {
        // the VAE draws latent noise from ND4J's per-thread generator while it fits; a fine-tuning that does not
        // seed it depends on whatever used that generator before (an eval run's fine-tunings were not reproducible)
        double[][] rows = Synthetic.rows(300, 23);
        VaeModel first = VaeTrainer.fineTune(model, rows, Synthetic.smallConfig(), 2);
        org.nd4j.linalg.factory.Nd4j.randn(1, 1000); // another user of the generator in between
        VaeModel second = VaeTrainer.fineTune(model, rows, Synthetic.smallConfig(), 2);
        assertTrue(first.copyNetwork().params().equals(second.copyNetwork().params()), "two fine-tunings differ");
        assertArrayEquals(first.calibration(), second.calibration(), 0.0);
    }

    @Test
    void fineTuningMovesAtATenthOfTheLearningRateAndLeavesTheBaseAlone() {
        VaeModel base = VaeTrainer.train(Synthetic.rows(300, 31), Synthetic.METRICS, Synthetic.smallConfig().withEpochs(1),
                VaeTrainer.SILENT);
        double lr = Synthetic.smallConfig().learningRate();
        assertEquals(lr, base.copyNetwork().getLearningRate(0), 1e-12);
        VaeModel tuned = VaeTrainer.fineTune(base, Synthetic.rows(300, 29), Synthetic.smallConfig(), 1);
        assertEquals(lr * 0.1, tuned.copyNetwork().getLearningRate(0), 1e-12);
        assertEquals(lr, base.copyNetwork().getLearningRate(0), 1e-12, "the base model's network is not changed");
        assertEquals(lr, base.network().getLearningRate(0), 1e-12, "the base model's network is not changed");
    }

    @Test
    void aTruncatedModelFileIsRefusedWithAMessage() throws IOException {
        byte[] b = model.toBytes();
        for (int cut : new int[] {3, 12, 40, b.length / 2, b.length - 1}) {
            IOException e = assertThrows(IOException.class, () -> VaeModel.fromBytes(java.util.Arrays.copyOf(b, cut)),
                    "cut at " + cut);
            assertTrue(e.getMessage() != null && !e.getMessage().isEmpty(), "cut at " + cut + ": " + e);
        }
        for (int cut : new int[] {4, 9, 12, b.length - 1}) {
            IOException e = assertThrows(IOException.class, () -> VaeModel.fromBytes(java.util.Arrays.copyOf(b, cut)));
            assertTrue(e.getMessage().contains("ends early") || e.getMessage().contains("truncated"), e.getMessage());
        }
    }

    @Test
    void aDamagedModelFileIsRefusedAndVersion3FilesStillLoad() throws IOException {
        byte[] b = model.toBytes();
        assertEquals(4, ((b[6] & 0xff) << 8) | (b[7] & 0xff), "format version 4");
        // one bit of a metric name (right after magic, version and the metric count)
        byte[] flipped = b.clone();
        flipped[6 + 2 + 4 + 2] ^= 0x01;
        IOException e = assertThrows(IOException.class, () -> VaeModel.fromBytes(flipped));
        assertTrue(e.getMessage().contains("checksum"), e.getMessage());
        // version 3: the same layout without the trailing checksum
        byte[] v3 = java.util.Arrays.copyOf(b, b.length - 4);
        v3[7] = 3;
        VaeModel old = VaeModel.fromBytes(v3);
        assertEquals(model.metrics(), old.metrics());
        double[][] x = Synthetic.rows(50, 9);
        assertArrayEquals(model.score(x, null, null), old.score(x, null, null), 1e-9);
    }

    @Test
    void aLengthLargerThanTheFileIsRefusedBeforeAllocating() throws IOException {
        // version 3 layout (no checksum), calibration count set to 100,000,000 (400 MB of floats) in a small file
        byte[] b = java.util.Arrays.copyOf(model.toBytes(), model.toBytes().length - 4);
        b[7] = 3;
        int off = 6 + 2 + 4;
        for (String m : model.metrics()) off += 2 + m.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        off += 4; // lags
        off += 4 + 8 + 16 * model.metrics().size(); // normaliser
        java.nio.ByteBuffer.wrap(b, off, 4).putInt(100_000_000);
        IOException e = assertThrows(IOException.class, () -> VaeModel.fromBytes(b));
        assertTrue(e.getMessage().contains("calibration of 400000000 bytes, but only"), e.getMessage());
    }

    @Test
    void aSnapshotGroupClaimingAHugeModelIsRefusedBeforeAllocating() throws IOException {
        java.io.ByteArrayOutputStream bo = new java.io.ByteArrayOutputStream();
        java.io.DataOutputStream o = new java.io.DataOutputStream(bo);
        for (int k = 0; k < 4; k++) o.writeLong(0); // step, windows, sinceUpdate, imputed
        o.writeInt(0); // no metrics
        o.writeDouble(Double.NaN); // ewma
        o.writeInt(0); // tail
        o.writeInt(0); // runs
        o.writeByte(2); // an own model follows...
        o.writeInt(999_999_999); // ...of almost 1 GB
        o.write(new byte[100]);
        IOException e = assertThrows(IOException.class, () -> GroupState.read(
                new java.io.DataInputStream(new java.io.ByteArrayInputStream(bo.toByteArray())), 4, null));
        assertTrue(e.getMessage().contains("model of 999999999 bytes, but only 100 are left"), e.getMessage());
    }
}
