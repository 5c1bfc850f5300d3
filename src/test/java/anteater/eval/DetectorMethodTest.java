package anteater.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import anteater.detect.Options;
import anteater.detect.vae.VaeTrainer;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DetectorMethodTest {
    static final long STEP = 60_000_000_000L;
    static final List<String> METRICS = List.of("a", "b", "c", "d");

    static double[][] rows(int n, Random r) {
        double[][] x = new double[n][METRICS.size()];
        for (int i = 0; i < n; i++) {
            double f = Math.sin(i / 17.0) + 0.2 * r.nextGaussian();
            for (int j = 0; j < x[i].length; j++) x[i][j] = 5 + (j + 1) * f + 0.05 * r.nextGaussian();
        }
        return x;
    }

    @Test
    void vaeScoresLandOnTheirOwnRowsAcrossATimeGap() throws Exception {
        Random r = new Random(3);
        double[][] train = rows(1500, r);
        double[][] test = rows(400, r);
        long[] trainTimes = new long[train.length];
        for (int i = 0; i < trainTimes.length; i++) trainTimes[i] = i * STEP;
        // the test half starts after the training rows, and has a gap of 75 missing steps after its row 100
        long[] testTimes = new long[test.length];
        for (int i = 0; i < testTimes.length; i++) testTimes[i] = (train.length + i + (i > 100 ? 75 : 0)) * STEP;
        int[] labels = new int[test.length];
        for (int i = 300; i < 320; i++) {
            labels[i] = 1;
            test[i][1] += 8; // breaks the metrics' common pattern
            test[i][3] -= 8;
        }
        Dataset d = new Dataset("gap", METRICS, train, test, labels, trainTimes, testTimes);
        Options o = Options.of("detector", "vae", "hidden", "16", "latent", 2L, "epochs", 15L, "learningRate", 5e-3,
                "lags", 1L, "smooth", 1.0, "updateInterval", 0L, "persist", 0L);
        Method.Result res = new DetectorMethod(o, 10, name -> VaeTrainer.SILENT).run(d);
        int inFault = 0, outside = 0;
        for (int i = 0; i < test.length; i++) {
            if (res.flag()[i] && labels[i] == 1) inFault++;
            if (res.flag()[i] && labels[i] == 0 && i > 1) outside++;
        }
        assertTrue(inFault >= 18, "the fault's own rows are flagged: " + inFault + " of 20");
        StringBuilder where = new StringBuilder();
        for (int i = 0; i < test.length; i++) if (res.flag()[i] && labels[i] == 0) where.append(i).append(' ');
        assertTrue(outside <= 12, "rows outside the fault flagged (noise at q 0.01 gives a few): " + where);
        int scored = 0;
        for (double s : res.score()) if (!Double.isNaN(s)) scored++;
        assertEquals(test.length, scored, "every row has a score (steps the gap adds have no row)");
    }
}
