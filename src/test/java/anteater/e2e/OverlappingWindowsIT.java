package anteater.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import anteater.kapacitor.PrinterWalkthrough;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Kapacitor's own overlapping windows (60 s every 10 s, 1 s points) into the VAE (warming up, so every window gives a
 * point with its step count): each window adds 10 steps, and the agent judges those 10, not the 60 the window holds
 * (61 before the fix of tmax's made-up step).
 */
class OverlappingWindowsIT {
    static final String TICK = """
            dbrp "printer"."autogen"
            stream
                |from()
                    .measurement('node')
                |window()
                    .period(60s)
                    .every(10s)
                    .align()
                @anteater()
                    .detector('vae')
                    .warmup(1000)
                    .step(1s)
                |alert()
                    .info(lambda: "total_count" > 0)
                    .log('%s')
            """;

    @Test
    void eachWindowJudgesTheStepsItAdds() throws Exception {
        PrinterWalkthrough.Settings s = E2e.settings("overlap");
        try (PrinterWalkthrough w = new PrinterWalkthrough(s)) {
            w.start();
            Path log = Files.createDirectories(w.alertDir()).resolve("overlap.log");
            Path tick = s.workDir.resolve("overlap.tick");
            Files.writeString(tick, TICK.formatted(log));
            w.cli().run(Duration.ofSeconds(60), "define", "overlap", "-tick", tick.toString());
            w.enable("overlap");
            long t0 = 1_700_000_000L; // a multiple of 10 s
            List<String> lines = new ArrayList<>();
            for (int i = 0; i < 120; i++) lines.add("node,host=a cpu=" + (50 + i % 7) + ",mem=" + (30 + i % 5) + " " + (t0 + i));
            lines.add("node,host=a cpu=50,mem=30 " + (t0 + 125)); // closes the window ending at t0 + 120
            w.write(lines);
            E2e.await(Duration.ofSeconds(90), "12 windows judged", () -> counts(log).size() >= 12);
            List<Long> counts = counts(log);
            assertEquals(12, counts.size(), counts.toString());
            assertTrue(counts.stream().allMatch(c -> c == 10), "steps judged per window: " + counts);
            assertTrue(w.kapacitord().logText().contains("windows overlap"), "the agent says what it does");
        }
    }

    /** total_count of each alert event in the log, in order. */
    private static List<Long> counts(Path log) {
        List<Long> out = new ArrayList<>();
        try {
            if (!Files.exists(log)) return out;
            ObjectMapper json = new ObjectMapper();
            for (String line : Files.readAllLines(log)) {
                if (line.isBlank()) continue;
                JsonNode series = json.readTree(line).path("data").path("series").get(0);
                JsonNode cols = series.path("columns");
                for (int i = 0; i < cols.size(); i++) {
                    if (cols.get(i).asText().equals("total_count")) out.add(series.path("values").get(0).get(i).asLong());
                }
            }
        } catch (java.io.IOException e) {
            // the log is being written: read again on the next poll
        }
        return out;
    }
}
