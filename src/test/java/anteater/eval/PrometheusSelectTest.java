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

/**
 * A query_range over a fleet (node_load1 of web1 and web2) trained one model of both hosts, with ids such as
 * node_load1{instance=web1:9100,job=node} that no Kapacitor field carries; --tag was refused for Prometheus. It now
 * picks series by label, as it picks line protocol series by tag.
 */
class PrometheusSelectTest {

    static Path fleet(Path dir) throws IOException {
        StringBuilder b = new StringBuilder("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[");
        String[] hosts = {"web1", "web2"};
        for (int h = 0; h < 2; h++) {
            if (h > 0) b.append(',');
            b.append("{\"metric\":{\"__name__\":\"node_load1\",\"instance\":\"").append(hosts[h]).append(":9100\",\"job\":\"node\"},")
                    .append("\"values\":[[1,\"").append(h + 1).append("\"],[2,\"").append(h + 2).append("\"]]},")
                    .append("{\"metric\":{\"__name__\":\"node_memory_MemAvailable_bytes\",\"instance\":\"").append(hosts[h])
                    .append(":9100\",\"job\":\"node\"},\"values\":[[1,\"").append(100 * (h + 1)).append("\"],[2,\"7\"]]}");
        }
        // a series without an instance label (a recording rule's): kept by --tag instance=..., as a line without the tag
        b.append(",{\"metric\":{\"__name__\":\"fleet_up\"},\"values\":[[1,\"2\"],[2,\"2\"]]}]}}");
        return Files.writeString(dir.resolve("fleet.json"), b.toString());
    }

    @Test
    void aTagPicksTheSeriesOfOneInstance(@TempDir Path dir) throws Exception {
        Path p = fleet(dir);
        TrainingData.Table t = TrainingData.read(p, Map.of("instance", "web2:9100"));
        assertEquals(List.of("node_load1", "node_memory_MemAvailable_bytes", "fleet_up"), t.metrics(),
                "one series per name left: plain names, as the fields a window carries");
        assertArrayEquals(new double[] {2, 200, 2}, t.rows()[0]);
    }

    @Test
    void aLabelThatSelectsNothingIsNamed(@TempDir Path dir) throws Exception {
        Path p = fleet(dir);
        IOException e = assertThrows(IOException.class, () -> TrainingData.read(p, Map.of("instance", "web3:9100")));
        assertTrue(e.getMessage().contains("--tag instance=web3:9100: no series has it (instance=web1:9100, instance=web2:9100 seen)"),
                e.getMessage());
        IOException k = assertThrows(IOException.class, () -> TrainingData.read(p, Map.of("host", "web1")));
        assertTrue(k.getMessage().contains("--tag host=web1: no series has a label host"), k.getMessage());
    }
}
