package anteater.detect.vae;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import anteater.detect.Detector;
import anteater.detect.Detectors;
import anteater.detect.OptionException;
import anteater.detect.Options;
import anteater.detect.Verdict;
import anteater.detect.Window;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VaeDetectorTest {

    /** Step-wise inputs and scores (lags 1, no smoothing): a fault is flagged exactly where it is. */
    static Options onlineOptions(long warmup, long update) throws OptionException {
        return Options.of("detector", "vae", "hidden", "16", "latent", 3L, "epochs", 10L, "learningRate", 5e-3,
                "warmup", warmup, "updateInterval", update, "topMetrics", 3L, "lags", 1L, "smooth", 1.0, "q", 0.001);
    }

    /** The default inputs and scores: 10 lagged steps per input, log-EWMA smoothing 0.05, POT risk 0.01. */
    static Options laggedOptions(long warmup) throws OptionException {
        return Options.of("detector", "vae", "hidden", "16", "latent", 3L, "epochs", 10L, "learningRate", 5e-3,
                "warmup", warmup, "updateInterval", 0L, "topMetrics", 3L);
    }

    @Test
    void laggedSmoothedScoresFlagTheFaultAndFadeSoonAfter() throws Exception {
        double[][] x = Synthetic.rows(3400, 11);
        Synthetic.inject(x, 3200, 3240);
        List<Window> ws = Synthetic.windows(x, 20, 0);
        VaeDetector d = VaeDetector.create(laggedOptions(150));
        List<Verdict> out = new ArrayList<>();
        for (int i = 0; i < 150; i++) d.process(ws.get(i), out);
        assertTrue(d.awaitTraining(120_000), "training did not finish in 2 minutes");
        out.clear();
        for (int i = 150; i < ws.size(); i++) d.process(ws.get(i), out);
        assertEquals(10, d.model("host=a").lags());
        for (int i = 0; i < out.size(); i++) {
            int w = 150 + i;
            Object flag = out.get(i).fields().get("is_anomaly");
            if (w == 160 || w == 161) assertEquals(Boolean.TRUE, flag, "fault window " + w);
            // before the fault: nothing; after it: the lagged inputs still hold faulty steps for 9 steps and the
            // smoothed score fades within 3 windows (60 steps)
            if (w < 160 || w > 164) assertEquals(Boolean.FALSE, flag, "window " + w + " " + out.get(i).fields());
        }
        d.close();
    }

    static byte[] snapshot(Detector d) throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (DataOutputStream o = new DataOutputStream(b)) {
            d.save(o);
        }
        return b.toByteArray();
    }

    @Test
    void learnsOnlineInTheBackgroundThenFlagsAFault() throws Exception {
        double[][] x = Synthetic.rows(3400, 11);
        Synthetic.inject(x, 3200, 3240);
        List<Window> ws = Synthetic.windows(x, 20, 0);
        VaeDetector d = VaeDetector.create(onlineOptions(150, 0));
        List<Verdict> out = new ArrayList<>();
        for (int i = 0; i < 150; i++) d.process(ws.get(i), out);
        assertEquals(150, out.size());
        for (Verdict v : out) {
            assertEquals(Boolean.TRUE, v.fields().get("warming_up"));
            assertEquals(Boolean.FALSE, v.fields().get("is_anomaly"));
            assertNull(v.anomaly());
        }
        // process() returned while the model trains on another thread
        assertTrue(d.awaitTraining(120_000), "training did not finish in 2 minutes");
        out.clear();
        for (int i = 150; i < ws.size(); i++) d.process(ws.get(i), out);
        assertNotNull(d.model("host=a"), "model installed");
        assertEquals(Boolean.FALSE, out.get(0).fields().get("warming_up"));
        int flagged = 0;
        for (int i = 0; i < out.size(); i++) {
            int w = 150 + i;
            boolean fault = w == 160 || w == 161;
            if (fault) assertEquals(Boolean.TRUE, out.get(i).fields().get("is_anomaly"), "fault window " + w + " " + out.get(i).fields());
            else if (Boolean.TRUE.equals(out.get(i).fields().get("is_anomaly"))) flagged++;
        }
        assertEquals(0, flagged, "clean windows flagged");
        d.close();
    }

    @Test
    void snapshotWithATrainedModelRestoresWithoutRetraining() throws Exception {
        double[][] x = Synthetic.rows(3400, 12);
        Synthetic.inject(x, 3300, 3340);
        List<Window> ws = Synthetic.windows(x, 20, 0);
        Options o = laggedOptions(150); // lag tail and smoothing state are part of the snapshot
        VaeDetector a = VaeDetector.create(o);
        List<Verdict> out = new ArrayList<>();
        for (int i = 0; i < 150; i++) a.process(ws.get(i), out);
        assertTrue(a.awaitTraining(120_000));
        a.process(ws.get(150), out);
        assertNotNull(a.model("host=a"));
        byte[] snap = snapshot(a);
        VaeDetector b = (VaeDetector) Detectors.create(o);
        b.load(new DataInputStream(new ByteArrayInputStream(snap)));
        assertNotNull(b.model("host=a"), "restored with its model");
        assertEquals(a.threshold("host=a"), b.threshold("host=a"), 0.0);
        List<Verdict> oa = new ArrayList<>(), ob = new ArrayList<>();
        for (int i = 151; i < ws.size(); i++) {
            a.process(ws.get(i), oa);
            b.process(ws.get(i), ob);
        }
        assertFalse(b.training("host=a"), "no retraining after restore");
        assertEquals(oa.size(), ob.size());
        for (int i = 0; i < oa.size(); i++) assertEquals(oa.get(i).fields(), ob.get(i).fields(), "window " + (151 + i));
        assertTrue(oa.stream().anyMatch(v -> v.anomaly() != null), "the fault is found");
        a.close();
        b.close();
    }

    @Test
    void pretrainedModelFileAndWarmingUpSnapshot(@TempDir Path dir) throws Exception {
        VaeModel m = VaeTrainer.train(Synthetic.rows(1500, 3), Synthetic.METRICS, Synthetic.smallConfig(), VaeTrainer.SILENT);
        Path file = dir.resolve("m.vae");
        try (OutputStream os = Files.newOutputStream(file)) {
            m.write(os);
        }
        Options o = Options.of("detector", "vae", "model", file.toString(), "updateInterval", 0L);
        VaeDetector d = VaeDetector.create(o);
        List<Verdict> out = new ArrayList<>();
        List<Window> ws = Synthetic.windows(Synthetic.rows(200, 4), 20, 0);
        d.process(ws.get(0), out);
        assertEquals(Boolean.FALSE, out.get(0).fields().get("warming_up"));
        assertTrue(out.get(0).fields().containsKey("threshold"));
        byte[] snap = snapshot(d);
        VaeDetector e = VaeDetector.create(o);
        e.load(new DataInputStream(new ByteArrayInputStream(snap)));
        List<Verdict> o1 = new ArrayList<>(), o2 = new ArrayList<>();
        d.process(ws.get(1), o1);
        e.process(ws.get(1), o2);
        assertEquals(o1.get(0).fields(), o2.get(0).fields());
        // a warming-up task keeps its rows across a snapshot
        VaeDetector w = VaeDetector.create(onlineOptions(5, 0));
        w.process(ws.get(0), out);
        w.process(ws.get(1), out);
        VaeDetector w2 = VaeDetector.create(onlineOptions(5, 0));
        w2.load(new DataInputStream(new ByteArrayInputStream(snapshot(w))));
        List<Verdict> o3 = new ArrayList<>();
        w2.process(ws.get(2), o3);
        assertEquals(3L, o3.get(0).fields().get("warmup_windows"));
    }

    @Test
    void aMetricThatAppearsDuringWarmUpIsNotLearnedAsZeroBeforeIt() throws Exception {
        // metric 'mem' (about 10) is absent from the first 30 of 60 warm-up windows
        List<Window> ws = Synthetic.windows(Synthetic.rows(1400, 5), 20, 0);
        List<Window> late = new ArrayList<>();
        for (int i = 0; i < ws.size(); i++) {
            Window src = ws.get(i);
            if (i >= 30) {
                late.add(src);
                continue;
            }
            Window w = new Window("node", "host=a", java.util.Map.of("host", "a"), false, 20);
            long t = 0;
            for (int k = 0; k < 20; k++) {
                t = (i * 20L + k) * Synthetic.STEP;
                w.notePoint(t);
                for (String m : Synthetic.METRICS) {
                    if (!m.equals("mem")) w.add(m, t, src.series(m).value(k));
                }
            }
            w.end(null, null, null, false, t);
            late.add(w);
        }
        VaeDetector d = VaeDetector.create(onlineOptions(60, 0));
        List<Verdict> out = new ArrayList<>();
        for (Window w : late.subList(0, 60)) d.process(w, out);
        assertTrue(d.awaitTraining(120_000), "training did not finish in 2 minutes");
        for (Window w : late.subList(60, late.size())) d.process(w, out); // the model is installed here
        VaeModel m = d.model("host=a");
        int mem = m.metrics().indexOf("mem");
        assertTrue(mem >= 0, m.metrics().toString());
        // its cells before it appeared take its observed mean, so it is normalised as the other metrics are
        assertEquals(10, m.normaliser().mean(mem), 1.0, "mean of 'mem'");
        assertTrue(m.normaliser().scale(mem) < 5, "scale of 'mem' " + m.normaliser().scale(mem));
    }

    @Test
    void aFaultsFirstStepsAreNotLearnedAndAFineTuningInFlightSurvivesASnapshot() throws Exception {
        double[][] x = Synthetic.rows(3600, 11);
        Synthetic.inject(x, 3212, 3272); // starts 12 steps into window 160: 8 of its 20 steps are the fault's
        List<Window> ws = Synthetic.windows(x, 20, 0);
        VaeDetector d = VaeDetector.create(onlineOptions(150, 12));
        List<Verdict> out = new ArrayList<>();
        for (int i = 0; i < 150; i++) d.process(ws.get(i), out);
        assertTrue(d.awaitTraining(120_000), "training did not finish in 2 minutes");
        for (int i = 150; i < 160; i++) d.process(ws.get(i), out);
        int before = d.bufferedRows("host=a");
        out.clear();
        d.process(ws.get(160), out);
        long above = (Long) out.get(0).fields().get("anomaly_count");
        assertEquals(Boolean.FALSE, out.get(0).fields().get("is_anomaly"), "below the ratio: " + out.get(0).fields());
        assertTrue(above > 0, "some steps above the threshold: " + out.get(0).fields());
        assertEquals(before + 20 - above, d.bufferedRows("host=a"), "only the steps judged normal are kept");

        // window 161 is anomalous; 162 on: normal again, and the 12th normal window since the model submits a fine-tuning
        for (int i = 161; i < ws.size() && !d.training("host=a"); i++) d.process(ws.get(i), out);
        assertTrue(d.training("host=a"), "a fine-tuning is in flight");
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        d.save(new DataOutputStream(b));
        VaeDetector r = VaeDetector.create(onlineOptions(150, 12));
        r.load(new DataInputStream(new ByteArrayInputStream(b.toByteArray())));
        assertTrue(r.bufferedRows("host=a") >= VaeDetector.MIN_FINE_TUNE_ROWS, "the rows in flight are in the snapshot");
        assertFalse(r.training("host=a"));
        VaeModel restoredModel = r.model("host=a");
        r.process(ws.get(ws.size() - 1), new ArrayList<>());
        assertEquals(0, r.bufferedRows("host=a"), "the restored task submits the fine-tuning at its next normal window");
        assertTrue(r.awaitTraining(120_000));
        r.process(ws.get(ws.size() - 2), new ArrayList<>());
        assertTrue(r.model("host=a") != restoredModel, "and installs it");
        d.close();
        r.close();
    }

    @Test
    void refusesBadOptionsWithClearMessages() {
        OptionException e = assertThrows(OptionException.class, () -> VaeDetector.create(Options.of("detector", "vae", "q", 2.0)));
        assertTrue(e.getMessage().contains("'q'"), e.getMessage());
        e = assertThrows(OptionException.class, () -> VaeDetector.create(Options.of("detector", "vae", "hidden", "a,b")));
        assertTrue(e.getMessage().contains("'hidden'"), e.getMessage());
        for (String bad : new String[] {"64,32,", "64,,32", ",64"}) {
            e = assertThrows(OptionException.class, () -> VaeDetector.create(Options.of("detector", "vae", "hidden", bad)), bad);
            assertTrue(e.getMessage().contains("'hidden'"), e.getMessage());
        }
        e = assertThrows(OptionException.class, () -> VaeDetector.create(Options.of("detector", "vae", "threshold", "best")));
        assertTrue(e.getMessage().contains("pot, quantile or a number"), e.getMessage());
        e = assertThrows(OptionException.class, () -> VaeDetector.create(Options.of("detector", "vae", "model", "/nonexistent/m.vae")));
        assertTrue(e.getMessage().contains("cannot read VAE model"), e.getMessage());
    }

    @Test
    void aWarmUpSnapshotKeepsValuesBeyondFloatRange() throws Exception {
        // warm-up rows are saved as floats: a metric of 1e300 came back infinite, and the model trained on the restored
        // rows had an infinite normaliser and scored everything NaN
        List<Window> ws = new ArrayList<>();
        for (Window src : Synthetic.windows(Synthetic.rows(400, 9), 20, 0)) {
            Window w = new Window("node", "host=a", java.util.Map.of("host", "a"), false, 20);
            for (int k = 0; k < 20; k++) {
                long t = src.series("cpu").time(k);
                w.notePoint(t);
                for (String m : Synthetic.METRICS) w.add(m, t, src.series(m).value(k));
                w.add("huge", t, 1e300 * src.series("cpu").value(k));
            }
            w.end(null, null, null, false, src.tmax());
            ws.add(w);
        }
        Options o = onlineOptions(6, 0);
        VaeDetector a = VaeDetector.create(o);
        List<Verdict> out = new ArrayList<>();
        for (int i = 0; i < 3; i++) a.process(ws.get(i), out);
        VaeDetector b = VaeDetector.create(o);
        b.load(new DataInputStream(new ByteArrayInputStream(snapshot(a))));
        for (int i = 3; i < 6; i++) b.process(ws.get(i), out);
        assertTrue(b.awaitTraining(120_000));
        out.clear();
        b.process(ws.get(6), out);
        VaeModel m = b.model("host=a");
        assertNotNull(m, "the model trained on the restored rows is installed");
        int huge = m.metrics().indexOf("huge");
        assertEquals(1e301, m.normaliser().mean(huge), 3e300, "mean of 'huge'");
        assertTrue(Double.isFinite((Double) out.get(0).fields().get("anomaly_score")), out.get(0).fields().toString());
        a.close();
        b.close();
    }

    @Test
    void closingDuringATrainingSaysItIsDropped() throws Exception {
        // a disable or redefine while the first training runs dropped it without a line in the log
        List<Window> ws = Synthetic.windows(Synthetic.rows(3000, 11), 20, 0);
        VaeDetector d = VaeDetector.create(Options.of("detector", "vae", "hidden", "16", "latent", 3L, "epochs", 1000L,
                "warmup", 150L, "updateInterval", 0L));
        List<Verdict> out = new ArrayList<>();
        for (int i = 0; i < 150; i++) d.process(ws.get(i), out);
        assertTrue(d.training("host=a"), "the first training runs");
        java.io.PrintStream err = System.err;
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(b, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            d.close();
        } finally {
            System.setErr(err);
        }
        String log = b.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(log.contains("closed with 1 training(s) running or queued, dropped (groups [host=a])"), log);
    }
}
