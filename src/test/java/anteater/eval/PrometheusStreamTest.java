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
 * The Prometheus answer is read as a stream (it was a whole JSON tree): the same rows and the same errors as before,
 * whatever the order of the fields, and the series --tag leaves out are skipped unread.
 */
class PrometheusStreamTest {
    private static final String HEAD = "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[";

    private static Path write(Path dir, String json) throws IOException {
        return Files.writeString(dir.resolve("p.json"), json);
    }

    private static String message(Path p, Map<String, String> select) {
        return assertThrows(IOException.class, () -> TrainingData.prometheus(p, select, 0)).getMessage();
    }

    @Test
    void valuesBeforeTheLabelsGiveTheSameRows(@TempDir Path dir) throws Exception {
        TrainingData.Table t = TrainingData.prometheus(write(dir, HEAD
                + "{\"values\":[[1,\"1\"],[2,\"2\"]],\"metric\":{\"__name__\":\"load\",\"instance\":\"a\"}},"
                + "{\"values\":[[1,\"10\"],[2,\"20\"]],\"metric\":{\"__name__\":\"load\",\"instance\":\"b\"}},"
                + "{\"metric\":{\"__name__\":\"mem\",\"instance\":\"b\"},\"extra\":{\"x\":[1,2]},\"values\":[[2,\"7\"],[3,\"8\"]]}]}}"),
                Map.of("instance", "b"), 0);
        assertEquals(List.of("load", "mem"), t.metrics());
        assertEquals(3, t.rows().length);
        assertArrayEquals(new double[] {10, 7}, t.rows()[0], "mem's first value filled back");
        assertArrayEquals(new double[] {20, 7}, t.rows()[1]);
        assertArrayEquals(new double[] {20, 8}, t.rows()[2]);
    }

    @Test
    void aSeriesLeftOutIsNotReadAndAPickedOnesBadSampleIsNamed(@TempDir Path dir) throws Exception {
        String json = HEAD
                + "{\"metric\":{\"__name__\":\"load\",\"instance\":\"a\"},\"values\":[[1,\"oops\"],[2]]},"
                + "{\"metric\":{\"__name__\":\"load\",\"instance\":\"b\"},\"values\":[[1,\"1\"],[2,\"2\"]]}]}}";
        Path p = write(dir, json);
        TrainingData.Table t = TrainingData.prometheus(p, Map.of("instance", "b"), 0);
        assertEquals(List.of("load"), t.metrics());
        assertEquals(2, t.rows().length);
        // picked, its id carries its labels (two series named load), sample numbers count from 1 within the series
        assertEquals(p + ": series load{instance=a}, sample 1: not a Prometheus sample value: 'oops'", message(p, Map.of()));
        assertEquals(p + ": series load, sample 1: not a Prometheus sample value: 'oops'", message(p, Map.of("instance", "a")),
                "one series named load picked: its name alone");
        // the first bad sample of a series is the one named, in the first picked series that has one
        Path q = write(dir, HEAD
                + "{\"metric\":{\"__name__\":\"up\"},\"values\":[[1,\"1\"],[2,\"1\"],[3],[4,\"x\"]]},"
                + "{\"metric\":{\"__name__\":\"down\"},\"values\":[[1,\"y\"]]}]}}");
        assertEquals(q + ": series up, sample 3: expected [time, \"value\"], got [3]", message(q, Map.of()));
    }

    @Test
    void whichErrorIsReportedDoesNotDependOnTheFieldOrder(@TempDir Path dir) throws Exception {
        Path p = write(dir, "{\"data\":{\"result\":[]},\"errorType\":\"timeout\",\"status\":\"error\",\"error\":\"query timed out\"}");
        assertEquals(p + ": Prometheus answered status error (timeout: query timed out), no data", message(p, Map.of()));
        p = write(dir, "{\"status\":\"error\"}");
        assertEquals(p + ": Prometheus answered status error (?: no message), no data", message(p, Map.of()));
        p = write(dir, "{\"data\":{\"result\":[{\"metric\":{},\"value\":[1,\"2\"]}],\"resultType\":\"vector\"}}");
        assertEquals(p + ": a Prometheus vector answer; train needs a query_range matrix (/api/v1/query_range)", message(p, Map.of()));
        for (String notAnAnswer : new String[] {"[1,2]", "{\"data\":{\"result\":{}}}", "{\"data\":[]}", "{}", "", "7"}) {
            p = write(dir, notAnAnswer);
            assertEquals(p + ": not a Prometheus query_range answer (no data.result array)", message(p, Map.of()), notAnAnswer);
        }
        p = write(dir, "[1,2");
        assertTrue(message(p, Map.of()).startsWith(p + ":1: not valid JSON: "), message(p, Map.of()));
        p = write(dir, HEAD + "{\"metric\":{\"__name__\":\"up\",\"instance\":\"a\"},\"values\":[[1,\"1\"]]}]}}");
        assertEquals(p + ": --tag instance=b: no series has it (instance=a seen)", message(p, Map.of("instance", "b")));
        assertEquals(p + ": --tag job=b: no series has a label job", message(p, Map.of("job", "b")));
    }
}
