package anteater.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bench-vae --groups N: more groups than the training queue takes (64 waiting, plus the running ones) leaves some
 * groups' first trainings postponed to their next window, which the bench never feeds. It waited for the trainings
 * in flight only and printed "all first models" for groups that had none.
 */
class BenchVaeGroupsTest {

    static void csv(Path p, int rows, boolean labels) throws Exception {
        StringBuilder sb = new StringBuilder(labels ? "" : "a,b\n");
        for (int i = 0; i < rows; i++) sb.append(labels ? "0" : (i % 7) + "," + ((i * 3) % 5)).append('\n');
        Files.writeString(p, sb.toString());
    }

    /** The "online trainings:" line of bench-vae with {@code groups} groups of 20 rows. */
    static String onlineLine(Path dir, int groups) throws Exception {
        csv(dir.resolve("m_train.csv.gz"), 40, false);
        csv(dir.resolve("m_test.csv.gz"), 20, false);
        csv(dir.resolve("m_test_label.csv.gz"), 20, true);
        PrintStream out = System.out;
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        System.setOut(new PrintStream(b, true, StandardCharsets.UTF_8));
        String[] r;
        try {
            r = TrainErrorsTest.run("bench-vae", "--data", dir.toString(), "--machine", "m", "--windows", "10",
                    "--groups", String.valueOf(groups), "--group-rows", "20", "-o", "epochs=1", "-o", "hidden=4", "-o", "latent=2",
                    "-o", "lags=1");
        } finally {
            System.setOut(out);
        }
        String text = b.toString(StandardCharsets.UTF_8);
        assertEquals("0", r[0], r[1] + text);
        return text.lines().filter(l -> l.startsWith("online trainings:")).findFirst().orElse(text);
    }

    @Test
    void groupsWhoseTrainingWasPostponedAreNotCountedAsTrained(@TempDir Path dir) throws Exception {
        String line = onlineLine(dir, 100);
        assertFalse(line.contains("all first models"), line);
        assertTrue(line.matches(".* \\d+ of 100 first models .*postponed.*"), line);
    }

    @Test
    void fewGroupsAllGetTheirFirstModel(@TempDir Path dir) throws Exception {
        String line = onlineLine(dir, 5);
        assertTrue(line.contains("5 groups x 20 rows x 2 metrics, trainThreads 1: all first models"), line);
    }
}
