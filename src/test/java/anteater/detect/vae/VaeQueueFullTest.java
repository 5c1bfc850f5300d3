package anteater.detect.vae;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import anteater.detect.Options;
import anteater.detect.Verdict;
import anteater.detect.Window;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** more warming-up groups than the training queue holds (64 + 1). */
class VaeQueueFullTest {
    static Window window(String host, int w, double[][] x) {
        Window win = new Window("node", "host=" + host, Map.of("host", host), false, 20);
        long t = 0;
        for (int i = 0; i < 20; i++) {
            t = (w * 20L + i) * Synthetic.STEP;
            win.notePoint(t);
            for (int j = 0; j < Synthetic.D; j++) win.add(Synthetic.METRICS.get(j), t, x[(w * 20 + i) % x.length][j]);
        }
        win.end(null, null, null, false, t);
        return win;
    }

    @Test
    void queuedTrainingsHoldNoMoreRowsThanTheBudget() throws Exception {
        // every group's first training is handed a copy of its rows while its buffer keeps them; 64 could queue at
        // once, up to 8 MB of rows each. Now the rows of trainings not yet ended are bounded, and groups wait in turn
        VaeDetector d = VaeDetector.create(VaeDetectorTest.onlineOptions(1, 0));
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        List<String> trained = java.util.Collections.synchronizedList(new ArrayList<>());
        VaeDetector.Trainer real = d.fit;
        d.fit = (rows, metrics, c) -> {
            trained.add(rows.length + "x" + metrics.size());
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return real.train(rows, metrics, c);
        };
        double[][] x = Synthetic.rows(2000, 3);
        d.rowBudget = 2 * 20 * Synthetic.D; // two groups' warm-up rows (one window of 20 steps each)
        List<Verdict> out = new ArrayList<>();
        for (int g = 0; g < 5; g++) d.process(window("h" + g, 0, x), out);
        int queued = 0;
        for (int g = 0; g < 5; g++) if (d.pending("host=h" + g) != null) queued++;
        assertEquals(2, queued, "trainings handed rows: within the budget of two groups' rows");
        release.countDown();
        for (int w = 1; w < 6; w++) {
            assertTrue(d.awaitTraining(120_000));
            for (int g = 0; g < 5; g++) d.process(window("h" + g, w, x), out);
        }
        assertTrue(d.awaitTraining(120_000));
        for (int g = 0; g < 5; g++) d.process(window("h" + g, 6, x), out);
        for (int g = 0; g < 5; g++) assertTrue(d.model("host=h" + g) != null, "group h" + g + " trained in its turn");
        d.close();
    }

    @Test
    void aFullTrainingQueueIsNotLoggedAndRebuiltAtEveryWindow() throws Exception {
        // long trainings, so the queue stays full during the test
        VaeDetector d = VaeDetector.create(Options.of("detector", "vae", "hidden", "16", "latent", 3L, "epochs", 10000L,
                "warmup", 1L, "updateInterval", 0L));
        double[][] x = Synthetic.rows(2000, 3);
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        int groups = 100, windows = 20;
        try {
            List<Verdict> out = new ArrayList<>();
            for (int w = 0; w < windows; w++) for (int g = 0; g < groups; g++) d.process(window("h" + g, w, x), out);
        } finally {
            System.setErr(err);
            d.close();
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        long full = log.lines().filter(l -> l.contains("training queue full")).count();
        long warm = log.lines().filter(l -> l.contains("warm-up done")).count();
        System.err.println("windows " + groups * windows + ": 'training queue full' lines " + full + ", 'warm-up done' lines " + warm);
        assertTrue(full >= 1, "the training queue was never full: the case under test did not happen");
        assertTrue(full <= groups, "queue-full warnings: " + full);
        assertTrue(warm <= groups, "warm-up-done lines (each also copies the group's rows): " + warm);
    }
}
