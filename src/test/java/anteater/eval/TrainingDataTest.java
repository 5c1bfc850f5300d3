package anteater.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingDataTest {

    @Test
    void lineProtocolWithSeveralMeasurementsQualifiesIds(@TempDir Path dir) throws Exception {
        Path p = dir.resolve("d.lp");
        Files.writeString(p, String.join("\n",
                "cpu,host=a usage=1.5,state=\"ok\" 1000",
                "mem,host=a used=10i 1000",
                "cpu,host=a usage=2.5 2000",
                "mem,host=a used=12i 3000", ""));
        TrainingData.Table t = TrainingData.read(p);
        assertEquals(List.of("cpu.usage", "mem.used"), t.metrics());
        assertEquals(3, t.rows().length);
        assertArrayEquals(new double[] {1.5, 10}, t.rows()[0]);
        assertArrayEquals(new double[] {2.5, 10}, t.rows()[1], "forward fill");
        assertArrayEquals(new double[] {2.5, 12}, t.rows()[2]);
    }

    @Test
    void csvDropsTimeAndPrometheusJson(@TempDir Path dir) throws Exception {
        Path c = dir.resolve("d.csv");
        Files.writeString(c, "time,a,b\n1,2,3\n2,,5\n");
        TrainingData.Table t = TrainingData.read(c);
        assertEquals(List.of("a", "b"), t.metrics());
        assertArrayEquals(new double[] {2, 5}, t.rows()[1]);
        Path j = dir.resolve("q.json");
        Files.writeString(j, "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":["
                + "{\"metric\":{\"__name__\":\"up\",\"job\":\"x\"},\"values\":[[1,\"1\"],[2,\"0\"]]},"
                + "{\"metric\":{\"__name__\":\"load\"},\"values\":[[1,\"0.5\"],[2,\"0.7\"]]}]}}");
        TrainingData.Table q = TrainingData.read(j);
        assertEquals(List.of("up", "load"), q.metrics());
        assertArrayEquals(new double[] {0, 0.7}, q.rows()[1]);
    }
}
