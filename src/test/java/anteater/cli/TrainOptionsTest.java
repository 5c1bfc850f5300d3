package anteater.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `train` refuses every bad vae option as init does, before it reads its input or trains: q and threshold were
 * checked only after the training, and smooth, ratio, step, topMetrics, persist, relearn, warmup not at all
 * (smooth=NaN ended with "training gave no finite scores", exit 1).
 */
class TrainOptionsTest {

    @Test
    void badOptionsAreRefusedBeforeTraining(@TempDir Path dir) throws Exception {
        Path nums = dir.resolve("nums.csv");
        StringBuilder sb = new StringBuilder("a,b\n");
        for (int i = 0; i < 40; i++) sb.append(i % 7).append(',').append((i * 3) % 5).append('\n');
        Files.writeString(nums, sb.toString());
        Path out = dir.resolve("m.vae");
        String[][] cases = {
            {"smooth=0", "option 'smooth' must be in (0, 1]"},
            {"smooth=NaN", "option 'smooth' must be in (0, 1]"},
            {"ratio=1.5", "option 'ratio' must be in (0, 1]"},
            {"step=-1s", "option 'step' must be >= 0"},
            {"topMetrics=0", "option 'topMetrics' must be in [1, 1000]"},
            {"persist=-1", "option 'persist' must be in [0, 1000000]"},
            {"q=1", "option 'q' must be a risk in (0, 1)"},
            {"threshold=abc", "option 'threshold' must be pot, quantile or a number"},
        };
        for (String[] c : cases) {
            String[] r = TrainErrorsTest.run("train", "--input", nums.toString(), "--out", out.toString(),
                    "-o", "epochs=1", "-o", c[0]);
            assertEquals("2", r[0], c[0] + ": " + r[1]);
            assertTrue(r[1].startsWith("anteater train: ") && r[1].contains(c[1]), c[0] + ": " + r[1]);
            assertFalse(r[1].contains("training on"), c[0] + ": refused only after training: " + r[1]);
            assertFalse(Files.exists(out), c[0]);
        }
    }

    @Test
    void aThresholdOnTooFewCalibrationScoresIsWarnedAbout(@TempDir Path dir) throws Exception {
        // 40 rows: 8 calibration scores, no POT tail fit; 2,000 rows: 400 scores, 8 in the tail at q=0.01
        for (int rows : new int[] {40, 2000}) {
            Path nums = dir.resolve("nums" + rows + ".csv");
            StringBuilder sb = new StringBuilder("a,b\n");
            java.util.Random rnd = new java.util.Random(rows);
            for (int i = 0; i < rows; i++) sb.append(rnd.nextGaussian()).append(',').append(rnd.nextGaussian()).append('\n');
            Files.writeString(nums, sb.toString());
            Path out = dir.resolve("m" + rows + ".vae");
            String[] r = TrainErrorsTest.run("train", "--input", nums.toString(), "--out", out.toString(), "-o", "epochs=1",
                    "-o", "hidden=4", "-o", "latent=2", "-o", "lags=2");
            assertEquals("0", r[0], r[1]);
            assertEquals(rows == 40, r[1].contains("too few for a tail fit"), rows + " rows: " + r[1]);
        }
    }

    @Test
    void optionsOfTheAgentOnlyAreSaidToBeIgnored(@TempDir Path dir) throws Exception {
        Path nums = TrainOutTest.nums(dir);
        Path out = dir.resolve("m.vae");
        String[] r = TrainErrorsTest.run("train", "--input", nums.toString(), "--out", out.toString(), "-o", "epochs=1",
                "-o", "persist=5", "-o", "model=" + dir.resolve("base.vae"), "-o", "lags=3");
        assertEquals("0", r[0], r[1]);
        assertTrue(r[1].contains("anteater train: warning: option(s) persist, model do not apply to train and are ignored"), r[1]);
        assertFalse(r[1].contains("lags do not"), r[1]);
    }
}
