package anteater.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * train names the metric ids of the model it writes: they are the field names the task's windows must carry
 * (a join's cpu.usage_user), and nothing else showed them (the log said "training on 40 rows x 3 metrics").
 */
class TrainMetricIdsTest {

    @Test
    void trainNamesTheModelsMetricIds(@TempDir Path dir) throws Exception {
        Path lp = dir.resolve("host.lp");
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            long t = 1000L * (i + 1);
            b.append("cpu,host=a usage_user=").append(i % 7).append(",usage_system=").append(i % 3).append(' ').append(t).append('\n');
            b.append("mem,host=a used_percent=").append(40 + i % 5).append(' ').append(t).append('\n');
        }
        Files.writeString(lp, b.toString());
        String[] r = TrainErrorsTest.run("train", "--input", lp.toString(), "--out", dir.resolve("m.vae").toString(), "-o", "epochs=1");
        assertEquals("0", r[0], r[1]);
        assertTrue(r[1].contains("metric ids (fields the task's windows must carry): cpu.usage_user, cpu.usage_system, mem.used_percent\n"),
                r[1]);
    }

    @Test
    void prometheusIdsWithLabelsAreSaidToMatchNoField(@TempDir Path dir) throws Exception {
        Path p = anteater.eval.PrometheusFleet.fleet(dir, 40);
        String[] r = TrainErrorsTest.run("train", "--input", p.toString(), "--out", dir.resolve("m.vae").toString(), "-o", "epochs=1");
        assertEquals("0", r[0], r[1]);
        assertTrue(r[1].contains("warning: 4 metric ids carry their series' labels (node_load1{instance=web1:9100,job=node}, ...):"
                + " no Kapacitor field is named so; a model is for one group: pick one series with --tag instance=<value>"), r[1]);
    }
}
