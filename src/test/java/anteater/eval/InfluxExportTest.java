package anteater.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Line protocol as InfluxDB's export tools and Telegraf write it. */
class InfluxExportTest {

    @Test
    void theDdlOfAnInfluxInspectExportIsNotData(@TempDir Path dir) throws Exception {
        Path p = dir.resolve("export.lp");
        Files.writeString(p, "# INFLUXDB EXPORT: 1677-09-21T00:12:43Z - 2262-04-11T23:47:16Z\n# DDL\n"
                + "CREATE DATABASE telegraf WITH NAME autogen\n# DML\n# CONTEXT-DATABASE:telegraf\n"
                + "# CONTEXT-RETENTION-POLICY:autogen\n# writing tsm data\nmem,host=a used=1 1000\nmem,host=a used=2 2000\n"
                + "# writing wal data\n");
        TrainingData.Table t = TrainingData.read(p);
        assertEquals(List.of("used"), t.metrics());
        assertEquals(2, t.rows().length);
    }
}
