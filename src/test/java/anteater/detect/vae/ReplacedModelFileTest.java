package anteater.detect.vae;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import anteater.detect.Options;
import anteater.detect.Verdict;
import anteater.detect.Window;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The model file a task names is trained again and replaced, then the task reloaded (kapacitor reload, disable and
 * enable, a daemon restart): the restored groups that had fine-tuned a model of their own kept it, so the new file
 * judged none of them (seen live: threshold 123.6 of the old model after the reload, the log saying 15.44 of the new
 * one), and with updateInterval 100 every group has its own model after 100 windows.
 */
class ReplacedModelFileTest {

    static VaeModel trainedOn(int seed) {
        double[][] x = Synthetic.rows(1500, seed);
        return VaeTrainer.train(x, Synthetic.METRICS, Synthetic.smallConfig(), VaeTrainer.SILENT);
    }

    /** A task on {@code m} that fine-tuned its group's model; its snapshot. */
    static byte[] fineTunedSnapshot(VaeModel m, List<Window> ws) throws Exception {
        VaeDetector a = VaeDetector.create(Options.of("detector", "vae", "updateInterval", 3L), m);
        List<Verdict> out = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            a.process(ws.get(i), out);
            assertTrue(a.awaitTraining(60_000));
        }
        a.process(ws.get(12), out); // installs the last fine-tuning
        assertNotSame(m, a.model(VaeRestoreOptionsTest.KEY), "the group fine-tuned a model of its own");
        byte[] snap = VaeDetectorTest.snapshot(a);
        a.close();
        return snap;
    }

    @Test
    void aReplacedModelFileJudgesEveryRestoredGroup() throws Exception {
        List<Window> ws = Synthetic.windows(Synthetic.rows(400, 4), 20, 0);
        VaeModel old = trainedOn(3);
        byte[] snap = fineTunedSnapshot(old, ws);

        VaeModel replaced = trainedOn(7);
        VaeDetector b = VaeDetector.create(Options.of("detector", "vae", "updateInterval", 3L), replaced);
        String log = ModelMismatchLogTest.stderrOf(() -> VaeRestoreOptionsTest.load(b, snap));
        assertSame(replaced, b.model(VaeRestoreOptionsTest.KEY), "the new file's model judges the group");
        assertTrue(log.contains("the model file differs from the one of the snapshot: 1 restored groups start from it afresh"
                + " (models they fine-tuned or relearnt are dropped)"), log);
        List<Verdict> out = new ArrayList<>();
        b.process(ws.get(13), out);
        assertEquals(Boolean.FALSE, out.get(0).fields().get("warming_up"));
        b.close();
    }

    @Test
    void theSameModelFileLeavesTheFineTunedModelsAlone() throws Exception {
        List<Window> ws = Synthetic.windows(Synthetic.rows(400, 4), 20, 0);
        VaeModel old = trainedOn(3);
        byte[] snap = fineTunedSnapshot(old, ws);

        // the unchanged file, read again at the task's start, seconds later: the network's part of a model's bytes is a
        // zip whose entries carry the time they were written, so a fingerprint of the bytes changed every 2 s
        Thread.sleep(2100);
        VaeModel same = VaeModel.fromBytes(old.toBytes());
        VaeDetector b = VaeDetector.create(Options.of("detector", "vae", "updateInterval", 3L), same);
        VaeRestoreOptionsTest.load(b, snap);
        assertNotSame(same, b.model(VaeRestoreOptionsTest.KEY), "the group keeps the model it fine-tuned");
        b.close();
    }

    @Test
    void aGroupOnTheOldFileStartsTheNewModelAfresh() throws Exception {
        // the old file of lags 10, the new one of lags 3: the group's lagged inputs and smoothing were the old model's
        List<Window> ws = Synthetic.windows(Synthetic.rows(400, 4), 20, 0);
        VaeModel old = VaeTrainer.train(Synthetic.rows(1500, 3), Synthetic.METRICS, Synthetic.smallConfig().withInput(4, 10),
                VaeTrainer.SILENT);
        Options o = Options.of("detector", "vae", "updateInterval", 0L);
        VaeDetector a = VaeDetector.create(o, old);
        List<Verdict> out = new ArrayList<>();
        for (int i = 0; i < 3; i++) a.process(ws.get(i), out);
        byte[] snap = VaeDetectorTest.snapshot(a);
        a.close();

        VaeModel replaced = VaeTrainer.train(Synthetic.rows(1500, 7), Synthetic.METRICS, Synthetic.smallConfig().withInput(4, 3),
                VaeTrainer.SILENT);
        VaeDetector restored = VaeDetector.create(o, replaced), fresh = VaeDetector.create(o, replaced);
        VaeRestoreOptionsTest.load(restored, snap);
        List<Verdict> r = new ArrayList<>(), f = new ArrayList<>();
        restored.process(ws.get(3), r);
        fresh.process(ws.get(3), f);
        assertEquals(f.get(0).fields(), r.get(0).fields(), "as a group new to the new model");
        restored.close();
        fresh.close();
    }
}
