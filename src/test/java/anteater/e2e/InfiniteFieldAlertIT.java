package anteater.e2e;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import anteater.kapacitor.PrinterWalkthrough;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A constant metric that moves to another constant: the t-test's t is infinite (zero variance on both sides). The
 * guide's alert writes its log through Go's JSON encoder, which refuses an infinity: kapacitord logged "failed to
 * marshal alert data json" and the critical alert never reached the log. The agent now sends the largest finite
 * double.
 */
class InfiniteFieldAlertIT {
    static final String TICK = """
            dbrp "printer"."autogen"
            stream
                |from()
                    .measurement('level')
                |window()
                    .period(10s)
                    .every(10s)
                    .align()
                @anteater()
                    .field('x')
                |alert()
                    .id('level')
                    .crit(lambda: "pvalue" < 0.001)
                    .log('%s')
            """;

    @Test
    void theAlertOfALevelShiftIsLogged() throws Exception {
        PrinterWalkthrough.Settings s = E2e.settings("inf");
        try (PrinterWalkthrough w = new PrinterWalkthrough(s)) {
            w.start();
            Path log = Files.createDirectories(w.alertDir()).resolve("level.log");
            Path tick = s.workDir.resolve("level.tick");
            Files.writeString(tick, TICK.formatted(log));
            w.cli().run(Duration.ofSeconds(60), "define", "level", "-tick", tick.toString());
            w.enable("level");
            long t0 = 1_700_000_000L; // a multiple of 10 s
            List<String> lines = new ArrayList<>();
            for (int i = 0; i < 30; i++) lines.add("level,host=a x=5 " + (t0 + i)); // three windows at 5
            for (int i = 30; i < 40; i++) lines.add("level,host=a x=6 " + (t0 + i)); // one at 6
            lines.add("level,host=a x=6 " + (t0 + 45)); // closes it
            w.write(lines);
            E2e.await(Duration.ofSeconds(60), "the alert in the log, or kapacitord refusing it",
                    () -> exists(log) || w.kapacitord().logText().contains("failed to marshal alert data json"));
            assertFalse(w.kapacitord().logText().contains("failed to marshal alert data json"), "kapacitord could not encode the alert");
            E2e.await(Duration.ofSeconds(30), "the alert in the log", () -> read(log).contains("CRITICAL"));
            assertTrue(read(log).contains("\"level\""), read(log));
        }
    }

    private static boolean exists(Path p) {
        return !read(p).isEmpty();
    }

    private static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p) : "";
        } catch (java.io.IOException e) {
            return "";
        }
    }
}
