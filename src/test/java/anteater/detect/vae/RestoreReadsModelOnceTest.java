package anteater.detect.vae;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import anteater.sink.AnteaterConfig;
import anteater.sink.Sinks;
import anteater.udf.AnomalyHandler;
import anteater.udf.proto.Udf;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kapacitor starts a task with a snapshot by init then restore, milliseconds apart. The restore made its detector
 * from the options again, so the model file was read twice (its cost at every start, and a file moved away between
 * the two failed the restore) and init's lines were logged twice ("vae: model with 6 metrics" at every start).
 */
class RestoreReadsModelOnceTest {

    @AfterEach
    void clear() {
        System.clearProperty(AnteaterConfig.PROPERTY);
        Sinks.reset();
    }

    private static Udf.Option opt(String name, String value) {
        return Udf.Option.newBuilder().setName(name).addValues(Udf.OptionValue.newBuilder().setStringValue(value)).build();
    }

    @Test
    void theRestoreUsesTheModelInitRead(@TempDir Path dir) throws Exception {
        Path conf = dir.resolve("anteater.yaml");
        Files.writeString(conf, "Events:\n  file: " + dir.resolve("ev.jsonl") + "\n");
        System.setProperty(AnteaterConfig.PROPERTY, conf.toString());
        Sinks.reset();
        VaeModel m = VaeTrainer.train(Synthetic.rows(400, 3), Synthetic.METRICS, Synthetic.smallConfig(), VaeTrainer.SILENT);
        Path file = dir.resolve("model.vae");
        try (OutputStream os = Files.newOutputStream(file)) {
            m.write(os);
        }
        Udf.InitRequest init = Udf.InitRequest.newBuilder().addOptions(opt("detector", "vae"))
                .addOptions(opt("model", file.toString())).addOptions(opt("field", "cpu")).build();

        AnomalyHandler first = new AnomalyHandler();
        Udf.SnapshotResponse snap;
        try {
            assertTrue(first.init(init).getSuccess());
            snap = first.snapshot();
        } finally {
            first.close();
        }

        AnomalyHandler second = new AnomalyHandler();
        String log = ModelMismatchLogTest.stderrOf(() -> {
            try {
                Udf.InitResponse i = second.init(init);
                assertTrue(i.getSuccess(), i.getError());
                Files.delete(file); // read at init: the restore must not need it again
                Udf.RestoreResponse r = second.restore(Udf.RestoreRequest.newBuilder().setSnapshot(snap.getSnapshot()).build());
                assertTrue(r.getSuccess(), r.getError());
            } finally {
                second.close();
            }
        });
        assertEquals(1, log.lines().filter(l -> l.contains("vae: model with 6 metrics")).count(), log);
        assertEquals(1, log.lines().filter(l -> l.contains("option 'field' (cpu) is not used")).count(), log);
        assertTrue(log.contains("restored "), log);
    }
}
