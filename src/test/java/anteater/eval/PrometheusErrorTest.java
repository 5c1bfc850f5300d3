package anteater.eval;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A saved Prometheus error answer is refused with Prometheus's own error, and an instant-query (vector) answer
 * with what train needs; both were "not a Prometheus query_range answer (no data.result array)" or, for a vector,
 * read as a matrix without values ("0 rows").
 */
class PrometheusErrorTest {

    @Test
    void errorAndVectorAnswersAreNamed(@TempDir Path dir) throws Exception {
        Path err = Files.writeString(dir.resolve("err.json"),
                "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"1:5: parse error: unexpected\"}");
        IOException e = assertThrows(IOException.class, () -> TrainingData.read(err));
        assertTrue(e.getMessage().contains("err.json: Prometheus answered status error (bad_data: 1:5: parse error: unexpected)"),
                e.getMessage());
        Path vec = Files.writeString(dir.resolve("vec.json"), "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\","
                + "\"result\":[{\"metric\":{\"__name__\":\"up\"},\"value\":[1700000000,\"1\"]}]}}");
        e = assertThrows(IOException.class, () -> TrainingData.read(vec));
        assertTrue(e.getMessage().contains("vec.json: a Prometheus vector answer; train needs a query_range matrix"), e.getMessage());
    }

    @Test
    void anErrorWithoutItsTypeOrMessageSaysSo(@TempDir Path dir) throws Exception {
        // null, absent, or not text: the placeholders, not "null"
        for (String body : new String[] {"\"errorType\":null,\"error\":null", "", "\"errorType\":{\"a\":1},\"error\":[1]"}) {
            Path err = Files.writeString(dir.resolve("err.json"), "{\"status\":\"error\"" + (body.isEmpty() ? "" : "," + body) + "}");
            IOException e = assertThrows(IOException.class, () -> TrainingData.read(err));
            String expected = body.startsWith("\"errorType\":{") ? "status error (: )" : "status error (?: no message)";
            assertTrue(e.getMessage().endsWith(expected + ", no data"), e.getMessage());
        }
    }
}
