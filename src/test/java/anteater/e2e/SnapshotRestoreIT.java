package anteater.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import anteater.gen.Schedule;
import anteater.kapacitor.AlertLog;
import anteater.kapacitor.PrinterWalkthrough;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Snapshot and restore through Kapacitor: a live task (tick/ttest.tick, one node, three fields) learns 30 min of
 * normal temperatures, Kapacitor snapshots it every second, kapacitord restarts, the agent gets its snapshot back
 * and the very first window after the restart, a hotend fault, is already judged (an alert), where a fresh agent
 * would only have seeded its history with it.
 */
class SnapshotRestoreIT {
    static final String TASK = "printer_ttest";
    static final String SCHEDULE = """
            target hotend 220
            target bed     90
            target air     70
            hotend 0    0.5  0
            hotend 30m  3.0 -1.5 fault
            hotend 35m  0.5  0
            bed    0    1.0  0
            air    0    3.0  0
            """;

    @Test
    void detectionContinuesAfterRestartWithoutRelearning() throws Exception {
        PrinterWalkthrough.Settings s = E2e.settings("snapshot");
        s.snapshotInterval = "1s";
        s.logLevel = "debug";
        s.schedule = Schedule.parse(SCHEDULE, "SnapshotRestoreIT");
        s.durationSec = 45 * 60;
        List<String> lines = s.generator().lines();
        try (PrinterWalkthrough w = new PrinterWalkthrough(s)) {
            w.start();
            w.define(TASK, "ttest.tick");
            w.enable(TASK);

            // 0..30:00: six windows of normal data; the first seeds, the next five give 3 points each
            w.write(lines.subList(0, 30 * 60 + 1));
            E2e.await(Duration.ofSeconds(60), "15 points out of the agent before the restart",
                    () -> E2e.udfEmitted(w.kapacitord(), TASK) == 15);
            int snapshots = E2e.count(w.kapacitord().logText(), "AnomalyHandler - snapshot ");
            E2e.await(Duration.ofSeconds(30), "two snapshots taken after the last window",
                    () -> E2e.count(w.kapacitord().logText(), "AnomalyHandler - snapshot ") >= snapshots + 2);
            assertTrue(alerts(w).stream().noneMatch(AlertLog.Alert::critical), "no alert on normal data: " + alerts(w));

            int logBefore = w.kapacitord().logText().length();
            w.restart();
            E2e.await(Duration.ofSeconds(60), "the agent to log that it restored its snapshot",
                    () -> w.kapacitord().logText().substring(logBefore).contains("AnomalyHandler - restored "));

            // 30:01..45:00: the hotend fault fills the first window after the restart
            w.write(lines.subList(30 * 60 + 1, lines.size()));
            // two windows close (the third would need a point after 45:00): 2 x 3 fields with the restored
            // history; a fresh agent would only seed on the first and emit 3
            E2e.await(Duration.ofSeconds(60), "6 points out of the restored agent",
                    () -> E2e.udfEmitted(w.kapacitord(), TASK) >= 6);
            assertEquals(6, E2e.udfEmitted(w.kapacitord(), TASK));
            // the alert node downstream writes its log after the agent emitted: wait for the alert, then check it
            E2e.await(Duration.ofSeconds(60), "a critical alert after the restart",
                    () -> alerts(w).stream().anyMatch(AlertLog.Alert::critical));

            Instant faultStart = Instant.ofEpochSecond(s.startEpochSec + 30 * 60);
            List<AlertLog.Alert> crit = alerts(w).stream().filter(AlertLog.Alert::critical).toList();
            assertEquals(1, crit.size(), "one critical alert, for the first window after the restart: " + alerts(w));
            AlertLog.Alert a = crit.get(0);
            // tick/ttest.tick's id and message: task and group (every group-by tag), and the figures behind the verdict
            assertEquals(TASK + ":field=hotend", a.id());
            assertTrue(a.message().matches(TASK + ":field=hotend is CRITICAL: window mean \\d+\\.\\d\\d, history mean \\d+\\.\\d\\d, p \\S+"),
                    a.message());
            assertTrue(a.time().isAfter(faultStart) && !a.time().isAfter(faultStart.plus(Duration.ofMinutes(5)).plusSeconds(1)),
                    "the alert belongs to the first window after the restart (fault from " + faultStart + "): " + a);
        }
    }

    private static List<AlertLog.Alert> alerts(PrinterWalkthrough w) {
        try {
            return AlertLog.read(w.alertDir().resolve("ttest.log"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
