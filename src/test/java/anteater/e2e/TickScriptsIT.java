package anteater.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import anteater.kapacitor.PrinterWalkthrough;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every TICKscript shipped in tick/ is accepted by a real kapacitord (option names and value types checked
 * against the agent's info), its task starts (every @anteater() node's init succeeds, ND4J included for the
 * VAE), and, fed live data, the VAE task trains its model online in the agent and goes on scoring.
 */
class TickScriptsIT {

    @Test
    void everyShippedTickScriptRunsInKapacitor() throws Exception {
        PrinterWalkthrough.Settings s = E2e.settings("ticks");
        s.durationSec = 8 * 3600;
        List<String> ticks = new ArrayList<>();
        try (Stream<Path> files = Files.list(E2e.repoRoot().resolve("tick"))) {
            files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tick")).sorted().forEach(ticks::add);
        }
        assertTrue(ticks.containsAll(List.of("printer_temps.tick", "ttest.tick", "vae.tick", "robustz.tick", "entropy.tick", "knncad.tick")), ticks.toString());
        try (PrinterWalkthrough w = new PrinterWalkthrough(s)) {
            w.start();
            for (String tick : ticks) {
                String task = "t_" + tick.replace(".tick", "");
                w.define(task, tick);
                w.enable(task);
                JsonNode t = w.kapacitord().api().task(task);
                assertEquals("enabled", t.path("status").asText(), tick + ": " + t);
                assertTrue(t.path("executing").asBoolean(), tick + " is not executing: " + t.path("error").asText());
                assertEquals("", t.path("error").asText(), tick);
            }
            // live data at 1 s: the VAE collects 6 windows (30 min) and trains in the background; the model is
            // installed between windows, so data keeps arriving in 5-minute slices (as live data would) until it is
            List<String> lines = s.generator().lines();
            int slice = 300;
            int at = 0;
            for (; at < 3600 && at < lines.size(); at += slice) w.write(lines.subList(at, Math.min(lines.size(), at + slice)));
            E2e.await(Duration.ofSeconds(60), "the VAE warm-up", () -> w.kapacitord().logText().contains("warm-up done"));
            while (at < lines.size() && E2e.count(w.kapacitord().logText(), "model installed") == 0) {
                w.write(lines.subList(at, Math.min(lines.size(), at + slice)));
                at += slice;
                Thread.sleep(2000);
            }
            assertTrue(E2e.count(w.kapacitord().logText(), "model installed") >= 1,
                    "the VAE task trained and installed its model within " + (at / 3600.0) + " h of data");
            String log = w.kapacitord().logText();
            assertTrue(log.contains("warm-up done"), "the VAE agent logs its warm-up");
            for (String tick : ticks) {
                JsonNode t = w.kapacitord().api().task("t_" + tick.replace(".tick", ""));
                assertTrue(t.path("executing").asBoolean(), tick + " stopped: " + t.path("error").asText());
            }
            assertFalse(log.contains("UDF process died"), "no agent died");
        }
    }
}
