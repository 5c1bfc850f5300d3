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
        assertTrue(log.contains("the model file differs from the one of the snapshot: 1 restored groups drop the model they"
                + " fine-tuned and use it"), log);
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

        VaeModel same = VaeModel.fromBytes(old.toBytes()); // the unchanged file, read again at the task's start
        VaeDetector b = VaeDetector.create(Options.of("detector", "vae", "updateInterval", 3L), same);
        VaeRestoreOptionsTest.load(b, snap);
        assertNotSame(same, b.model(VaeRestoreOptionsTest.KEY), "the group keeps the model it fine-tuned");
        b.close();
    }
}
