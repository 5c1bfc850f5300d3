package anteater.rca;

import static org.junit.jupiter.api.Assertions.assertFalse;

import anteater.sink.AnteaterConfig;
import anteater.sink.Sinks;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A key of the Kafka section that is none of its keys is logged once, by the config file's reading, naming the file.
 * RcaLauncher used to parse the tree again for the Kafka connection, which logged the same warning a second time
 * on every init, labelled "default config" although it came from the file (seen in kapacitord's log).
 */
class RcaLauncherConfigWarningTest {

    @Test
    void startingRcaDoesNotWarnAgainAboutTheFilesKafkaKeys(@TempDir Path dir) throws Exception {
        Path yaml = dir.resolve("anteater.yaml");
        Files.writeString(yaml, "Kafka: {server: '', bootstrap_servers: x}\n");
        String before = System.getProperty(AnteaterConfig.PROPERTY);
        System.setProperty(AnteaterConfig.PROPERTY, yaml.toString());
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try {
            Sinks.reset();
            Sinks.config(); // the file's own reading warns here, once
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            RcaLauncher.ensureStarted(); // Rca not enabled: nothing starts
        } finally {
            System.setErr(err);
            if (before == null) System.clearProperty(AnteaterConfig.PROPERTY);
            else System.setProperty(AnteaterConfig.PROPERTY, before);
            Sinks.reset();
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        assertFalse(log.contains("bootstrap_servers"), log);
        assertFalse(log.contains("default config"), log);
    }
}
