package anteater.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CSV as InfluxDB 1.x's CLI writes it (influx -format csv -execute 'SELECT ...'): a name column (the measurement) and,
 * with GROUP BY a tag, a tags column (host=web1) before the time. train refused it: "column name is not a number: 'cpu'".
 */
class InfluxCliCsvTest {

    @Test
    void theNameAndTagsColumnsOfTheInfluxCliAreNotMetrics(@TempDir Path dir) throws Exception {
        Path p = Files.writeString(dir.resolve("cpu.csv"), "name,tags,time,usage_idle,usage_user\n"
                + "cpu,host=web1,1764835200000000000,74.1,19.6\ncpu,host=web1,1764835210000000000,73.7,19.7\n");
        TrainingData.Table t = TrainingData.read(p);
        assertEquals(List.of("usage_idle", "usage_user"), t.metrics());
        assertArrayEquals(new double[] {73.7, 19.7}, t.rows()[1]);
    }

    @Test
    void severalSeriesInOneExportAreRefusedByName(@TempDir Path dir) throws Exception {
        Path p = Files.writeString(dir.resolve("fleet.csv"), "name,tags,time,usage_user\n"
                + "cpu,host=web1,1000,19.6\ncpu,host=web2,1000,25.1\n");
        IOException e = assertThrows(IOException.class, () -> TrainingData.read(p));
        assertTrue(e.getMessage().contains("fleet.csv:3: column tags holds another series ('host=web2'; line 2: 'host=web1'):"
                + " a model is for one group, so export one series"), e.getMessage());
    }
}
