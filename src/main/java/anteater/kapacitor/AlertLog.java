package anteater.kapacitor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Reads the JSON lines that an alert node's {@code .log(path)} handler appends: one event per line. */
public final class AlertLog {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One alert event: its id, message, level (OK, INFO, WARNING, CRITICAL), data time, and the point's pvalue/field. */
    public record Alert(String id, String message, String level, Instant time, double pvalue, String field) {
        public boolean critical() {
            return level.equals("CRITICAL");
        }
    }

    private AlertLog() {
    }

    /** The events of one log file, in file order; a missing file has none. */
    public static List<Alert> read(Path file) throws IOException {
        List<Alert> out = new ArrayList<>();
        if (!Files.exists(file)) return out;
        int n = 0;
        for (String line : Files.readAllLines(file)) {
            n++;
            if (line.isBlank()) continue;
            JsonNode e;
            try {
                e = JSON.readTree(line);
            } catch (IOException ex) {
                throw new IOException(file + ":" + n + ": not a JSON alert event: " + ex.getMessage(), ex);
            }
            double pvalue = Double.NaN;
            String field = "";
            JsonNode series = e.path("data").path("series");
            if (series.isArray() && series.size() > 0) {
                JsonNode s = series.get(0);
                field = s.path("tags").path("field").asText("");
                JsonNode cols = s.path("columns");
                JsonNode vals = s.path("values");
                if (vals.isArray() && vals.size() > 0) {
                    for (int i = 0; i < cols.size(); i++) {
                        if (cols.get(i).asText().equals("pvalue")) pvalue = vals.get(0).get(i).asDouble(Double.NaN);
                    }
                }
            }
            out.add(new Alert(e.path("id").asText(), e.path("message").asText(), e.path("level").asText(), Instant.parse(e.path("time").asText()),
                    pvalue, field));
        }
        return out;
    }
}
