package anteater.kapacitor;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The alert messages of the shipped scripts of detectors that flag values one by one (robustz, knncad, entropy) or
 * steps (vae) say how many were flagged. They gave only the largest score and the threshold, so an operator read
 * {@code printer_vae:nil is OK: score 105.1, threshold 29.68} (69 of 300 steps above it, the verdict needs half) and
 * {@code printer_robustz:field=hotend is OK: score 16.14, threshold 6} (a holdoff) as contradictions.
 */
class ShippedTickMessagesTest {

    @Test
    void perValueDetectorsSayHowManyValuesWereFlagged() throws Exception {
        for (String name : List.of("robustz.tick", "knncad.tick", "entropy.tick", "vae.tick")) {
            String tick = Files.readString(Path.of("tick", name));
            int at = tick.indexOf(".message(");
            assertTrue(at >= 0, name + " has a message");
            String message = tick.substring(at, tick.indexOf('\n', at));
            assertTrue(message.contains("\"anomaly_count\"") && message.contains("\"total_count\""), name + ": " + message);
            assertTrue(message.contains("max score"), name + ": the score is the window's largest: " + message);
        }
    }
}
