package anteater.detect.vae;

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
        assertTrue(full <= groups, "queue-full warnings: " + full);
        assertTrue(warm <= groups, "warm-up-done lines (each also copies the group's rows): " + warm);
    }
}
