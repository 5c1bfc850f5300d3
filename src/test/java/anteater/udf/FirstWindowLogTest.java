package anteater.udf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import anteater.sink.AnteaterConfig;
import anteater.sink.Sinks;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * In socket mode one JVM logs for every task, and Kapacitor 1.8.3 does not tell it the task's name: two tasks with
 * the same options (two VAE tasks on one model, one over cpu alone, one over the join) had the same init line, and
 * every later line of theirs said only conn-2 or conn-4. The first window of a node now names what it reads.
 */
class FirstWindowLogTest {

    @AfterEach
    void clear() {
        System.clearProperty(AnteaterConfig.PROPERTY);
        Sinks.reset();
    }

    @Test
    void theFirstWindowNamesItsMeasurementGroupAndFieldsOnce(@TempDir Path dir) throws Exception {
        String log = MergedSeriesLogTest.run("robustz", 1, dir);
        String line = "first window: temperatures, group (no group-by), 2 fields (hotend, bed)";
        assertTrue(log.contains(line), log);
        assertEquals(log.indexOf(line), log.lastIndexOf(line), "once per node: " + log);
    }
}
