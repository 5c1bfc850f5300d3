package anteater.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Line protocol as InfluxDB's export tools and Telegraf write it: headers, per-core cpu series, several disks. */
class InfluxExportTest {

    /** Two hosts, cpu-total and cpu0, disks / and /boot, mem: series sorted by key, as influx_inspect export writes them. */
    static String telegraf() {
        StringBuilder b = new StringBuilder("# INFLUXDB EXPORT: 1677-09-21T00:12:43Z - 2262-04-11T23:47:16Z\n# DDL\n"
                + "CREATE DATABASE telegraf WITH NAME autogen\n# DML\n# CONTEXT-DATABASE:telegraf\n"
                + "# CONTEXT-RETENTION-POLICY:autogen\n# writing tsm data\n");
        for (String cpu : new String[] {"cpu-total", "cpu0"}) {
            for (String h : new String[] {"web1", "web2"}) {
                for (int i = 0; i < 3; i++) b.append("cpu,cpu=").append(cpu).append(",host=").append(h)
                        .append(" usage_user=").append(i + 1).append(".5 ").append(1000 * (i + 1)).append('\n');
            }
        }
        for (String path : new String[] {"/", "/boot"}) {
            for (String h : new String[] {"web1", "web2"}) {
                for (int i = 0; i < 3; i++) b.append("disk,device=sda,host=").append(h).append(",path=").append(path)
                        .append(" used_percent=").append(path.equals("/") ? 50 + i : 12).append(' ').append(1000 * (i + 1)).append('\n');
            }
        }
        for (String h : new String[] {"web1", "web2"}) {
            for (int i = 0; i < 3; i++) b.append("mem,host=").append(h).append(" used_percent=").append(h.equals("web1") ? 40 + i : 70)
                    .append(' ').append(1000 * (i + 1)).append('\n');
        }
        return b.append("# writing wal data\n").toString();
    }

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

    @Test
    void aTagSelectsAmongTheLinesThatCarryItsKey(@TempDir Path dir) throws Exception {
        Path p = dir.resolve("telegraf.lp");
        Files.writeString(p, telegraf());
        // mem has no cpu tag and no path tag: it stays, as it would in a TICKscript's where() on cpu and disk
        TrainingData.Table t = TrainingData.read(p, Map.of("host", "web1", "cpu", "cpu-total", "path", "/"));
        assertEquals(List.of("cpu.usage_user", "disk.used_percent", "mem.used_percent"), t.metrics());
        assertEquals(3, t.rows().length);
        assertArrayEquals(new double[] {1.5, 50, 40}, t.rows()[0]);
        assertArrayEquals(new double[] {3.5, 52, 42}, t.rows()[2]);
    }

    @Test
    void severalSeriesNameTheTagThatTellsThemApart(@TempDir Path dir) throws Exception {
        Path p = dir.resolve("telegraf.lp");
        Files.writeString(p, telegraf());
        IOException e = assertThrows(IOException.class, () -> TrainingData.read(p, Map.of("host", "web1")));
        assertTrue(e.getMessage().contains("measurement 'cpu' has several series (cpu=cpu-total,host=web1; cpu=cpu0,host=web1)")
                && e.getMessage().contains("--tag cpu=cpu-total"), e.getMessage());
    }

    @Test
    void aTagThatSelectsNothingIsNamed(@TempDir Path dir) throws Exception {
        Path p = dir.resolve("telegraf.lp");
        Files.writeString(p, telegraf());
        IOException key = assertThrows(IOException.class, () -> TrainingData.read(p, Map.of("hots", "web1")));
        assertTrue(key.getMessage().contains("--tag hots=web1: no line has a tag hots"), key.getMessage());
        IOException value = assertThrows(IOException.class, () -> TrainingData.read(p, Map.of("host", "web3")));
        assertTrue(value.getMessage().contains("--tag host=web3: no line has it (host=web1, host=web2 seen)"), value.getMessage());
    }
}
