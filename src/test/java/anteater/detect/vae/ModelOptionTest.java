package anteater.detect.vae;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import anteater.detect.OptionException;
import anteater.detect.Options;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Option 'model' naming a missing file or a directory says so: before, both gave "cannot read VAE model 'P': P"
 * (the exception's message is the bare path), as did a file the agent may not read; a text file shorter than the
 * magic, or an empty file, was called a truncated model.
 */
class ModelOptionTest {

    static String refusal(String path) {
        OptionException e = assertThrows(OptionException.class,
                () -> VaeDetector.create(Options.of("detector", "vae", "model", path)).close());
        return e.getMessage();
    }

    @Test
    void missingFileAndDirectoryAreNamedAsSuch(@TempDir Path dir) throws Exception {
        String missing = refusal(dir.resolve("nope.vae").toString());
        assertTrue(missing.startsWith("option 'model': cannot read VAE model '") && missing.contains("nope.vae': no such file"), missing);
        String d = refusal(dir.toString());
        assertTrue(d.startsWith("option 'model': cannot read VAE model '") && d.contains("': it is a directory"), d);
        Path junk = Files.writeString(dir.resolve("junk.vae"), "hello");
        String j = refusal(junk.toString());
        assertTrue(j.contains("not an anteater VAE model (bad magic)"), j);
        String empty = refusal(Files.createFile(dir.resolve("empty.vae")).toString());
        assertTrue(empty.contains("not an anteater VAE model (the file is empty)"), empty);
    }

    @Test
    void aModelFileThatScoresNaNIsRefusedByName(@TempDir Path dir) throws Exception {
        // written by versions whose train did not check its scores: init failed with "init failed:
        // java.lang.IllegalArgumentException: POT needs at least one finite score", naming neither option nor file
        VaeModel m = VaeRestoreOptionsTest.pretrained(Synthetic.METRICS);
        double[] nan = new double[10];
        java.util.Arrays.fill(nan, Double.NaN);
        Path file = dir.resolve("nan.vae");
        try (java.io.OutputStream os = Files.newOutputStream(file)) {
            new VaeModel(m.metrics(), m.normaliser(), m.lags(), m.network(), nan, m.config(), m.caps()).write(os);
        }
        String e = refusal(file.toString());
        assertTrue(e.startsWith("option 'model': VAE model '") && e.contains("scores its own training rows as NaN")
                && e.contains("retrain it"), e);
    }
}
