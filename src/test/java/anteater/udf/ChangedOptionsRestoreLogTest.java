package anteater.udf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import anteater.sink.AnteaterConfig;
import anteater.sink.Sinks;
import anteater.udf.proto.Udf;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A task redefined with other options restores its snapshot: the log line said "state of matching fields is kept"
 * for every detector, but a restored VAE group keeps the network it was trained with, so new 'hidden' or 'lags'
 * do not apply to it; the operator review could not tell from the log.
 */
class ChangedOptionsRestoreLogTest {

    @AfterEach
    void clear() {
        System.clearProperty(AnteaterConfig.PROPERTY);
        Sinks.reset();
    }

    private static Udf.InitRequest init(String detector, String option, Udf.OptionValue value) {
        return Udf.InitRequest.newBuilder().addOptions(opt("detector", text(detector))).addOptions(opt("field", text("hotend")))
                .addOptions(opt(option, value)).build();
    }

    private static Udf.OptionValue text(String v) {
        return Udf.OptionValue.newBuilder().setStringValue(v).build();
    }

    private static Udf.OptionValue number(double v) {
        return Udf.OptionValue.newBuilder().setDoubleValue(v).build();
    }

    private static Udf.Option opt(String name, Udf.OptionValue value) {
        return Udf.Option.newBuilder().setName(name).addValues(value).build();
    }

    /** The restore's log line about the changed options, after a snapshot under {@code before}. */
    private static String restoreLine(Udf.InitRequest before, Udf.InitRequest after) {
        AnomalyHandler first = new AnomalyHandler();
        Udf.SnapshotResponse snap;
        try {
            Udf.InitResponse i = first.init(before);
            assertTrue(i.getSuccess(), i.getError());
            snap = first.snapshot();
        } finally {
            first.close();
        }
        PrintStream err = System.err;
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        System.setErr(new PrintStream(b, true, StandardCharsets.UTF_8));
        AnomalyHandler second = new AnomalyHandler();
        try {
            Udf.InitResponse i = second.init(after);
            assertTrue(i.getSuccess(), i.getError());
            Udf.RestoreResponse r = second.restore(Udf.RestoreRequest.newBuilder().setSnapshot(snap.getSnapshot()).build());
            assertTrue(r.getSuccess(), r.getError());
        } finally {
            second.close();
            System.setErr(err);
        }
        List<String> lines = b.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains("options changed since the snapshot")).toList();
        assertEquals(1, lines.size(), b.toString(StandardCharsets.UTF_8));
        return lines.get(0);
    }

    @Test
    void aVaeRestoreSaysItsGroupsKeepTheirNetworks(@TempDir Path dir) throws Exception {
        MissingFieldLogTest.eventsTo(dir);
        String line = restoreLine(init("vae", "hidden", text("8")), init("vae", "hidden", text("16")));
        assertTrue(line.contains("keeps the network it was trained with (its hidden, latent and lags)"), line);
        assertTrue(line.contains("hidden=[8]"), "the old options: " + line);
    }

    @Test
    void aTtestRestoreKeepsTheStateOfMatchingFields(@TempDir Path dir) throws Exception {
        MissingFieldLogTest.eventsTo(dir);
        String line = restoreLine(init("ttest", "alpha", number(0.01)), init("ttest", "alpha", number(0.05)));
        assertTrue(line.contains("state of matching fields is kept"), line);
    }
}
