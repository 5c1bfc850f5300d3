package anteater.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import anteater.kapacitor.AlertReport;
import anteater.kapacitor.PrinterWalkthrough;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** One `anteater serve --socket` JVM serves the three @anteater() nodes of the guide's task at once. */
class SocketModeIT {

    @Test
    void oneServerServesTheThreeTemperatureNodes() throws Exception {
        PrinterWalkthrough.Settings s = E2e.settings("socket");
        s.socket = true;
        s.logLevel = "debug";
        try (PrinterWalkthrough w = new PrinterWalkthrough(s)) {
            w.start();
            String conf = Files.readString(s.workDir.resolve("kapacitor.conf"));
            assertTrue(conf.contains("socket = \"" + w.socketPath() + "\""), conf);
            w.define(PrinterWalkthrough.TASK, "printer_temps.tick");
            PrinterWalkthrough.Recording rec = w.record(PrinterWalkthrough.TASK, s.generator().lines());
            PrinterWalkthrough.Replay rep = w.replay(PrinterWalkthrough.TASK, rec.id());

            AlertReport r = w.report(rep);
            System.out.print(r.table());
            assertTrue(r.allFaultsFound(), "faults missed in socket mode\n" + r.table());
            assertTrue(r.outsideCount() <= PrinterWalkthroughIT.MAX_OUTSIDE, r.table());

            // kapacitord started no agent process: all three nodes were connections to the one server
            assertEquals(0, E2e.liveChildren(w.kapacitord()), "kapacitord has child processes in socket mode");
            assertTrue(w.server().isAlive(), "the socket server must outlive the replay's connections");
            E2e.await(Duration.ofSeconds(20), "the three node connections to close",
                    () -> count(w, "closed (end of input)") >= 4);
            String log = Files.readString(w.server().log());
            // one connection for info at kapacitord's start, then one per node of the replayed task
            assertEquals(4, E2e.count(log, ": connected"), log);
            for (String field : new String[] {"hotend", "bed", "air"}) {
                assertEquals(1, E2e.count(log, "field=[" + field + "]"), "one init for " + field + ":\n" + log);
            }
            assertEquals(3, E2e.count(log, "closing after 288 windows"), log);
        }
    }

    private static int count(PrinterWalkthrough w, String needle) {
        try {
            return E2e.count(Files.readString(w.server().log()), needle);
        } catch (java.io.IOException e) {
            return 0;
        }
    }
}
