package anteater.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import anteater.kapacitor.PrinterWalkthrough;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A task with a bad option: `kapacitor enable` starts it, init is refused and the task fails with our message
 * (kapacitor show). Kapacitor 1.8.3 never stops the node's UDF after a failed init: the agent must end the
 * process (stdio) or connection (socket) itself, or every failed enable leaves one behind.
 */
class FailedInitIT {
    static final String TICK = """
            dbrp "printer"."autogen"
            stream
                |from()
                    .measurement('temperatures')
                |window()
                    .period(1m)
                    .every(1m)
                @anteater()
                    .detector('nosuch')
                    .field('hotend')
                |log()
            """;

    private static void defineAndEnableBad(PrinterWalkthrough w) throws Exception {
        Path tick = w.settings().workDir.resolve("bad.tick");
        Files.writeString(tick, TICK);
        w.cli().run(Duration.ofSeconds(60), "define", "bad", "-tick", tick.toString());
        w.enable("bad");
        E2e.await(Duration.ofSeconds(60), "the task to fail with the agent's message",
                () -> error(w).contains("unknown detector 'nosuch'"));
        assertTrue(error(w).contains("valid: ttest"), error(w));
    }

    @Test
    void stdioProcessExitsAfterARefusedInit() throws Exception {
        PrinterWalkthrough.Settings s = E2e.settings("badinit");
        try (PrinterWalkthrough w = new PrinterWalkthrough(s)) {
            w.start();
            defineAndEnableBad(w);
            // without the fix the agent JVM stays, answering keepalives, until kapacitord exits
            E2e.await(Duration.ofSeconds(60), "the agent process of the failed task to exit",
                    () -> E2e.liveChildren(w.kapacitord()) == 0);
            assertTrue(w.kapacitord().isAlive());
        }
    }

    @Test
    void socketConnectionClosesAfterARefusedInit() throws Exception {
        PrinterWalkthrough.Settings s = E2e.settings("badinit-sock");
        s.socket = true;
        s.logLevel = "debug";
        try (PrinterWalkthrough w = new PrinterWalkthrough(s)) {
            w.start();
            defineAndEnableBad(w);
            // connection 1 answered info at kapacitord's start; connection 2 is the failed task's node
            E2e.await(Duration.ofSeconds(60), "the failed node's connection to close",
                    () -> serverLog(w).contains("conn-2: closed"));
            assertEquals(2, E2e.count(serverLog(w), ": connected"), serverLog(w));
            assertTrue(w.server().isAlive());
        }
    }

    private static String error(PrinterWalkthrough w) {
        try {
            return w.kapacitord().api().task("bad").path("error").asText();
        } catch (Exception e) {
            return "";
        }
    }

    private static String serverLog(PrinterWalkthrough w) {
        try {
            return Files.readString(w.server().log());
        } catch (java.io.IOException e) {
            return "";
        }
    }
}
