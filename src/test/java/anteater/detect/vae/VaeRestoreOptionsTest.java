package anteater.detect.vae;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import anteater.detect.Options;
import anteater.detect.Verdict;
import anteater.detect.Window;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Snapshots restored into a task whose option 'model' changed since (set, removed, or another model). */
class VaeRestoreOptionsTest {
    static final String KEY = "host=a";

    static VaeModel pretrained(List<String> metrics) {
        double[][] x = Synthetic.rows(1500, 3);
        double[][] cols = new double[x.length][metrics.size()];
        for (int i = 0; i < x.length; i++) for (int j = 0; j < metrics.size(); j++) cols[i][j] = x[i][j];
        return VaeTrainer.train(cols, metrics, Synthetic.smallConfig(), VaeTrainer.SILENT);
    }

    static Options pretrainedOptions() throws Exception {
        return Options.of("detector", "vae", "updateInterval", 0L);
    }

    static void load(VaeDetector d, byte[] snap) throws Exception {
        d.load(new DataInputStream(new ByteArrayInputStream(snap)));
    }

    @Test
    void aWarmingUpGroupRestoredIntoATaskWithAModelUsesIt() throws Exception {
        List<Window> ws = Synthetic.windows(Synthetic.rows(400, 4), 20, 0);
        VaeDetector online = VaeDetector.create(VaeDetectorTest.onlineOptions(50, 0));
        List<Verdict> out = new ArrayList<>();
        for (int i = 0; i < 3; i++) online.process(ws.get(i), out);
        byte[] snap = VaeDetectorTest.snapshot(online);
        online.close();

        VaeModel m = pretrained(Synthetic.METRICS);
        VaeDetector d = VaeDetector.create(pretrainedOptions(), m);
        load(d, snap);
        out.clear();
        d.process(ws.get(3), out);
        assertEquals(Boolean.FALSE, out.get(0).fields().get("warming_up"), "the task's model judges: " + out.get(0).fields());
        assertSame(m, d.model(KEY));
        assertFalse(d.training(KEY), "no training of its own");
        d.close();
    }

    @Test
    void aGroupOnThePretrainedModelRestoredIntoATaskWithoutOneWarmsUp() throws Exception {
        List<Window> ws = Synthetic.windows(Synthetic.rows(400, 4), 20, 0);
        VaeDetector a = VaeDetector.create(pretrainedOptions(), pretrained(Synthetic.METRICS));
        List<Verdict> out = new ArrayList<>();
        for (int i = 0; i < 3; i++) a.process(ws.get(i), out);
        byte[] snap = VaeDetectorTest.snapshot(a);
        a.close();

        // option 'model' removed: the restore must not fail (Kapacitor would send this snapshot at every start)
        VaeDetector b = VaeDetector.create(VaeDetectorTest.onlineOptions(5, 0));
        load(b, snap);
        out.clear();
        b.process(ws.get(3), out);
        assertEquals(Boolean.TRUE, out.get(0).fields().get("warming_up"), out.get(0).fields().toString());
        assertEquals(1L, out.get(0).fields().get("warmup_windows"), "its warm-up starts afresh");
        b.close();
    }

    @Test
    void aGroupRestoredIntoATaskWhoseModelHasOtherMetricsUsesTheNewModel() throws Exception {
        List<Window> ws = Synthetic.windows(Synthetic.rows(400, 4), 20, 0);
        VaeDetector a = VaeDetector.create(pretrainedOptions(), pretrained(Synthetic.METRICS));
        List<Verdict> out = new ArrayList<>();
        for (int i = 0; i < 3; i++) a.process(ws.get(i), out);
        byte[] snap = VaeDetectorTest.snapshot(a);
        a.close();

        // the model file was retrained without 'mem'
        VaeModel m = pretrained(Synthetic.METRICS.subList(0, Synthetic.D - 1));
        VaeDetector b = VaeDetector.create(pretrainedOptions(), m);
        load(b, snap);
        out.clear();
        b.process(ws.get(3), out);
        assertSame(m, b.model(KEY));
        assertEquals(Boolean.FALSE, out.get(0).fields().get("warming_up"));
        assertNotNull(out.get(0).fields().get("threshold"));
        assertTrue(((Double) out.get(0).fields().get("threshold")) < Double.POSITIVE_INFINITY);
        b.close();
    }

    @Test
    void aStepOptionSetSinceTheSnapshotApplies() throws Exception {
        // 10 s data: the snapshot's group inferred a 10 s step; the task is then redefined with step 20s
        List<Window> ws = Synthetic.windows(Synthetic.rows(400, 4), 20, 0);
        VaeDetector a = VaeDetector.create(VaeDetectorTest.onlineOptions(50, 0));
        List<Verdict> out = new ArrayList<>();
        a.process(ws.get(0), out);
        assertEquals(20L, out.get(0).fields().get("total_count"));
        Options o = VaeDetectorTest.onlineOptions(50, 0);
        o.add("step", java.time.Duration.ofSeconds(20));
        VaeDetector b = VaeDetector.create(o);
        load(b, VaeDetectorTest.snapshot(a));
        out.clear();
        b.process(ws.get(1), out);
        assertEquals(10L, out.get(0).fields().get("total_count"), "20 points 10 s apart make 10 steps of 20 s");
        a.close();
        b.close();
    }

    @Test
    void rowsKeptForFineTuningAreDroppedWhenTheTaskNoLongerFineTunes() throws Exception {
        List<Window> ws = Synthetic.windows(Synthetic.rows(1000, 4), 20, 0);
        VaeDetector a = VaeDetector.create(Options.of("detector", "vae", "updateInterval", 1000L), pretrained(Synthetic.METRICS));
        List<Verdict> out = new ArrayList<>();
        for (int i = 0; i < 20; i++) a.process(ws.get(i), out);
        assertTrue(a.bufferedRows(KEY) > 0, "rows judged normal wait for the next fine-tuning");
        // redefined with updateInterval 0: those rows would never be learned, yet be held and saved in every snapshot
        VaeDetector b = VaeDetector.create(pretrainedOptions(), a.model(KEY));
        load(b, VaeDetectorTest.snapshot(a));
        assertEquals(0, b.bufferedRows(KEY));
        a.close();
        b.close();
    }
}
