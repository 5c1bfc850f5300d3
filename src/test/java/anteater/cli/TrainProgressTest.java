package anteater.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * On a stderr that is not a terminal (here: the test JVM's, a pipe), training progress is one line per epoch;
 * before, the progress bar's carriage-return redraws went there twice a second.
 */
class TrainProgressTest {

    @Test
    void oneLinePerEpochWhenStderrIsNotATerminal() {
        // the test JVM's stderr is a pipe to surefire; the flag is given so the test never depends on it (no assumption)
        assertFalse(TrainProgress.stderrIsTerminal(), "a pipe is not a terminal");
        PrintStream err = System.err;
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        System.setErr(new PrintStream(b, true, StandardCharsets.UTF_8));
        try (TrainProgress p = new TrainProgress("train", 30, false)) {
            p.epoch(1, 30, 2.5, 3.25, true);
            p.epoch(2, 30, 2.0, 3.5, false);
        } finally {
            System.setErr(err);
        }
        String s = b.toString(StandardCharsets.UTF_8);
        assertFalse(s.contains("\r"), s);
        assertEquals("train epoch 1/30 loss 2.500 val 3.250 *\ntrain epoch 2/30 loss 2.000 val 3.500\n", s.replace(System.lineSeparator(), "\n"));
    }
}
