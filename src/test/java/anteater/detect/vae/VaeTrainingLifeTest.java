package anteater.detect.vae;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import anteater.detect.Options;
import anteater.detect.Verdict;
import anteater.detect.Window;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** A group's background training against the rest of its life: snapshots, eviction. */
class VaeTrainingLifeTest {
    static final String KEY = "host=a";

    @Test
    void aSnapshotTakenAfterTheTrainingFinishedHoldsTheModel() throws Exception {
        List<Window> ws = Synthetic.windows(Synthetic.rows(1000, 6), 20, 0);
        Options o = VaeDetectorTest.onlineOptions(30, 0);
        VaeDetector a = VaeDetector.create(o);
        List<Verdict> out = new ArrayList<>();
        for (int i = 0; i < 30; i++) a.process(ws.get(i), out);
        assertTrue(a.awaitTraining(120_000), "training finished");
        // Kapacitor stops the task (snapshot first) before another window came: the finished model must be kept
        byte[] snap = VaeDetectorTest.snapshot(a);
        VaeDetector b = VaeDetector.create(o);
        b.load(new DataInputStream(new ByteArrayInputStream(snap)));
        assertNotNull(b.model(KEY), "restored with the model trained before the snapshot");
        out.clear();
        b.process(ws.get(30), out);
        assertFalse(b.training(KEY), "no retraining after restore");
        assertFalse((Boolean) out.get(0).fields().get("warming_up"));
        a.close();
        b.close();
    }

    @Test
    void aFailedFirstTrainingIsTriedAgainLaterAndLaterNotAtEveryWindow() throws Exception {
        // a training that fails (out of memory with large legal options, say) was submitted again at every window:
        // a copy of the rows, a training and a warning per window, with no end
        List<Window> ws = Synthetic.windows(Synthetic.rows(2000, 6), 20, 0);
        VaeDetector d = VaeDetector.create(VaeDetectorTest.onlineOptions(5, 0));
        java.util.concurrent.atomic.AtomicInteger tries = new java.util.concurrent.atomic.AtomicInteger();
        List<Long> triedAt = new ArrayList<>();
        VaeDetector.Trainer real = d.fit;
        long[] window = {0};
        d.fit = (rows, metrics, c) -> {
            triedAt.add(window[0]);
            if (tries.incrementAndGet() <= 3) throw new OutOfMemoryError("Java heap space (test)");
            return real.train(rows, metrics, c);
        };
        List<Verdict> out = new ArrayList<>();
        int i = 0;
        for (; i < 80 && d.model(KEY) == null; i++) {
            window[0] = i + 1;
            d.process(ws.get(i), out);
            assertTrue(d.awaitTraining(120_000));
        }
        // warm-up 5: tried at window 5, failed; again after 5 more (10), 10 more (20), 20 more (40), which succeeds
        assertEquals(List.of(5L, 10L, 20L, 40L), triedAt, "tries");
        assertNotNull(d.model(KEY), "the fourth try trained the model");
        assertEquals(41, i, "installed at the window after the successful try");
        d.close();
    }

    /** A window of one group with 20,000 steps of the synthetic metrics. */
    static Window wide(String host) {
        double[][] x = Synthetic.rows(20_000, 8);
        Window w = new Window("node", "host=" + host, Map.of("host", host), false, x.length);
        long t = 0;
        for (int i = 0; i < x.length; i++) {
            t = i * Synthetic.STEP;
            w.notePoint(t);
            for (int j = 0; j < Synthetic.D; j++) w.add(Synthetic.METRICS.get(j), t, x[i][j]);
        }
        w.end(null, null, null, false, t);
        return w;
    }

    @Test
    void anEvictedGroupsTrainingIsCancelled() throws Exception {
        // maxGroups 1: group b drops group a, whose training (16,000 rows, up to 10,000 epochs) has just started
        VaeDetector d = VaeDetector.create(Options.of("detector", "vae", "hidden", "16", "latent", 3L, "epochs", 10_000L,
                "warmup", 1L, "updateInterval", 0L, "maxGroups", 1L));
        List<Verdict> out = new ArrayList<>();
        d.process(wide("a"), out);
        Future<VaeModel> f = d.pending(KEY);
        assertNotNull(f, "group a trains");
        Window b = new Window("node", "host=b", Map.of("host", "b"), false, 1);
        b.notePoint(0);
        b.end(null, null, null, false, 0);
        d.process(b, out); // no fields: group b has nothing to train
        assertNull(d.model(KEY), "group a was dropped");
        assertTrue(f.isCancelled(), "the dropped group's training goes on, holding the training thread");
        d.close();
    }

    @Test
    void windowsWithNoneOfTheModelsFieldsAreNotLearned() throws Exception {
        VaeModel m = VaeRestoreOptionsTest.pretrained(Synthetic.METRICS);
        VaeDetector d = VaeDetector.create(Options.of("detector", "vae", "updateInterval", 5L), m);
        List<Verdict> out = new ArrayList<>();
        List<Window> ws = Synthetic.windows(Synthetic.rows(400, 4), 20, 0);
        d.process(ws.get(0), out);
        int before = d.bufferedRows(KEY);
        assertTrue(before > 0, "rows judged normal are kept");
        // the fields were renamed: every value of these windows is made up (forward fill, training means)
        for (int k = 1; k < 20; k++) {
            Window w = new Window("node", KEY, Map.of("host", "a"), false, 20);
            long t = 0;
            for (int i = 0; i < 20; i++) {
                t = (k * 20L + i) * Synthetic.STEP;
                w.notePoint(t);
                w.add("usage_user", t, 1.0 + i);
            }
            w.end(null, null, null, false, t);
            d.process(w, out);
        }
        assertFalse(d.training(KEY), "no fine-tuning on made-up rows");
        assertEquals(before, d.bufferedRows(KEY), "made-up rows are not kept to be learned");
        d.close();
    }

    @Test
    void aTrainedModelThatScoresNaNIsAFailedTrainingNotInstalled() throws Exception {
        // a model whose normaliser is not finite (a warm-up column whose gap mean overflowed) scores every row NaN;
        // it was installed all the same (its POT threshold then threw, after the model was in place), so the group
        // wrote anomaly_score=NaN and threshold=Infinity for ever, and each fine-tuning started from it
        List<Window> ws = Synthetic.windows(Synthetic.rows(2000, 6), 20, 0);
        VaeDetector d = VaeDetector.create(VaeDetectorTest.onlineOptions(5, 0));
        VaeDetector.Trainer real = d.fit;
        java.util.concurrent.atomic.AtomicInteger tries = new java.util.concurrent.atomic.AtomicInteger();
        d.fit = (rows, metrics, c) -> {
            VaeModel m = real.train(rows, metrics, c);
            if (tries.incrementAndGet() > 1) return m;
            double[] mean = new double[m.size()], scale = new double[m.size()];
            for (int j = 0; j < mean.length; j++) {
                mean[j] = j == 0 ? Double.POSITIVE_INFINITY : m.normaliser().mean(j);
                scale[j] = j == 0 ? Double.NaN : m.normaliser().scale(j);
            }
            Normaliser bad = new Normaliser(mean, scale, m.normaliser().clip());
            VaeModel probe = new VaeModel(m.metrics(), bad, m.lags(), m.network(), new double[0], m.config());
            double[] cal = probe.score(Arrays.copyOfRange(rows, rows.length - 20, rows.length), null, null);
            return new VaeModel(m.metrics(), bad, m.lags(), m.network(), cal, m.config(), m.caps());
        };
        List<Verdict> out = new ArrayList<>();
        int i = 0;
        for (; i < 80 && d.model(KEY) == null; i++) {
            out.clear();
            d.process(ws.get(i), out);
            for (Map.Entry<String, Object> f : out.get(0).fields().entrySet()) {
                if (f.getValue() instanceof Double x) assertTrue(Double.isFinite(x), "window " + i + ": " + out.get(0).fields());
            }
            assertTrue(d.awaitTraining(120_000));
            if (i == 5) assertNull(d.model(KEY), "the NaN model is not installed");
        }
        assertEquals(2, tries.get(), "tried again after the failure");
        assertNotNull(d.model(KEY), "the second training is installed");
        out.clear();
        d.process(ws.get(i), out);
        assertTrue(Double.isFinite((Double) out.get(0).fields().get("anomaly_score")), out.get(0).fields().toString());
        assertTrue(Double.isFinite((Double) out.get(0).fields().get("threshold")), out.get(0).fields().toString());
        d.close();
    }

    @Test
    void windowsWhoseValuesAreAllNaNAreNotLearned() throws Exception {
        // a source sending NaN (a failed sensor) for a while: each window is the model's fields without a finite
        // value, every row forward-filled; they were learned by the fine-tuning (and kept in the warm-up)
        VaeModel m = VaeRestoreOptionsTest.pretrained(Synthetic.METRICS);
        VaeDetector d = VaeDetector.create(Options.of("detector", "vae", "updateInterval", 5L), m);
        VaeDetector warming = VaeDetector.create(VaeDetectorTest.onlineOptions(1000, 0));
        List<Verdict> out = new ArrayList<>();
        List<Window> ws = Synthetic.windows(Synthetic.rows(400, 4), 20, 0);
        d.process(ws.get(0), out);
        warming.process(ws.get(0), out);
        int before = d.bufferedRows(KEY), warmBefore = warming.bufferedRows(KEY);
        for (int k = 1; k < 20; k++) {
            Window w = new Window("node", KEY, Map.of("host", "a"), false, 20);
            long t = 0;
            for (int i = 0; i < 20; i++) {
                t = (k * 20L + i) * Synthetic.STEP;
                w.notePoint(t);
                for (String f : Synthetic.METRICS) w.add(f, t, Double.NaN);
            }
            w.end(null, null, null, false, t);
            d.process(w, out);
            warming.process(w, out);
        }
        assertFalse(d.training(KEY), "no fine-tuning on made-up rows");
        assertEquals(before, d.bufferedRows(KEY), "made-up rows are not kept to be learned");
        assertEquals(warmBefore, warming.bufferedRows(KEY), "nor kept in the warm-up");
        d.close();
        warming.close();
    }

    @Test
    void aSnapshotHoldingAModelThatScoresNaNRestoresAndTheGroupWarmsUpAfresh() throws Exception {
        // versions before install() checked the model saved such a model in their snapshots; restoring one threw while
        // fitting its threshold (POT: no finite score), which failed the restore and, since Kapacitor keeps the
        // snapshot, every start of the task until it was deleted
        VaeModel m = VaeRestoreOptionsTest.pretrained(Synthetic.METRICS);
        double[] nan = new double[20];
        Arrays.fill(nan, Double.NaN);
        GroupState g = new GroupState();
        g.setMetrics(m.metrics());
        g.model = new VaeModel(m.metrics(), m.normaliser(), m.lags(), m.network(), nan, m.config(), m.caps());
        g.stepNs = Synthetic.STEP;
        g.windows = 200;
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        java.io.DataOutputStream o = new java.io.DataOutputStream(b);
        o.writeInt(5); // saved by those versions (6 adds the pretrained model's fingerprint)
        o.writeInt(1);
        o.writeUTF(KEY);
        g.write(o, null);
        o.flush();
        VaeDetector d = VaeDetector.create(VaeDetectorTest.onlineOptions(5, 0));
        d.load(new DataInputStream(new ByteArrayInputStream(b.toByteArray())));
        assertNull(d.model(KEY), "the NaN model is dropped");
        List<Window> ws = Synthetic.windows(Synthetic.rows(400, 4), 20, 0);
        List<Verdict> out = new ArrayList<>();
        for (int i = 0; i < 5; i++) d.process(ws.get(i), out);
        assertEquals(Boolean.TRUE, out.get(0).fields().get("warming_up"));
        assertEquals(1L, out.get(0).fields().get("warmup_windows"), "warms up afresh");
        assertTrue(d.awaitTraining(120_000));
        out.clear();
        d.process(ws.get(5), out);
        assertNotNull(d.model(KEY));
        assertTrue(Double.isFinite((Double) out.get(0).fields().get("threshold")), out.get(0).fields().toString());
        d.close();
    }
}
