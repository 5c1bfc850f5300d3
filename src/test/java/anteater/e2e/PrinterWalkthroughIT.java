package anteater.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import anteater.kapacitor.AlertLog;
import anteater.kapacitor.AlertReport;
import anteater.kapacitor.PrinterWalkthrough;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The guide's walkthrough in kapacitord 1.8.3 with one agent JVM per @anteater() node (stdio): define the task,
 * record 24 h of printer data written to /kapacitor/v1/write, replay it with the fast clock at recording time.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PrinterWalkthroughIT {
    /** The guide expects "some false positives"; 3 sensors x 288 windows at alpha 0.001 make about 1. */
    static final int MAX_OUTSIDE = 5;

    PrinterWalkthrough w;
    PrinterWalkthrough.Recording recording;
    PrinterWalkthrough.Replay first;

    @BeforeAll
    void recordAndReplay() throws Exception {
        w = new PrinterWalkthrough(E2e.settings("walkthrough"));
        w.start();
        w.define(PrinterWalkthrough.TASK, "printer_temps.tick");
        recording = w.record(PrinterWalkthrough.TASK, w.settings().generator().lines());
        first = w.replay(PrinterWalkthrough.TASK, recording.id());
    }

    @AfterAll
    void stop() {
        if (w != null) w.close();
    }

    @Test
    @Order(1)
    void everyPointWrittenIsRecorded() throws Exception {
        assertEquals(24 * 3600 + 1, recording.pointsWritten());
        assertEquals(recording.pointsWritten(), recording.pointsRecorded());
        String list = w.cli().run(Duration.ofSeconds(30), "list", "recordings", recording.id());
        assertTrue(list.contains(recording.id()) && list.contains("finished"), "kapacitor list recordings: " + list);
    }

    @Test
    @Order(2)
    void criticalAlertsInsideEachFaultWindow() {
        AlertReport r = w.report(first);
        System.out.print(r.table());
        System.out.println("critical alerts outside the fault windows: " + r.outsideCount()
                + "; replay wall time " + first.wall().toMillis() + " ms");
        for (String sensor : List.of("hotend", "bed", "air")) {
            AlertReport.SensorResult s = r.sensor(sensor);
            assertEquals(1, s.faults().size(), sensor + " has one fault in the guide's schedule");
            assertTrue(s.missed().isEmpty(), sensor + ": no critical alert inside its fault window "
                    + s.faults() + "; alerts: " + first.alerts().get(sensor) + "\n" + r.table());
        }
        // each alert log holds only its own sensor's alerts
        for (Map.Entry<String, List<AlertLog.Alert>> e : first.alerts().entrySet()) {
            for (AlertLog.Alert a : e.getValue()) assertEquals(e.getKey(), a.field(), "alert " + a);
        }
        assertTrue(r.outsideCount() <= MAX_OUTSIDE, r.outsideCount() + " critical alerts outside the fault windows (at most "
                + MAX_OUTSIDE + " expected)\n" + r.table());
        // alerts carry the data's time (replay with -rec-time), inside the 24 h of 2016-01-01
        Instant start = Instant.ofEpochSecond(w.settings().startEpochSec);
        first.alerts().values().stream().flatMap(List::stream).forEach(a ->
                assertFalse(a.time().isBefore(start) || a.time().isAfter(start.plus(Duration.ofHours(24))), "alert time " + a));
    }

    @Test
    @Order(3)
    void anomalyEventsInGalaJsonForEachFault() throws Exception {
        // ANTEATER_EVENTS_FILE of kapacitor.conf.example: no Kafka configured, so the events go to that file. The
        // agents write it on their own threads and flush it when they close, which may come after the replay ended
        E2e.await(Duration.ofSeconds(60), "the replay's agent JVMs to exit (and flush their events)",
                () -> E2e.liveChildren(w.kapacitord()) == 0);
        List<String> lines = java.nio.file.Files.readAllLines(w.eventsFile());
        assertFalse(lines.isEmpty(), "no anomaly event in " + w.eventsFile());
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        AlertReport r = w.report(first);
        for (String sensor : List.of("hotend", "bed", "air")) {
            AlertReport.FaultWindow f = r.sensor(sensor).faults().get(0);
            boolean found = false;
            for (String l : lines) {
                com.fasterxml.jackson.databind.JsonNode e = json.readTree(l);
                Instant t = Instant.ofEpochMilli(e.path("Timestamp").asLong());
                if (e.path("Resource").path("metric_id").asText().equals(sensor) && e.path("is_anomaly").asBoolean()
                        && t.isAfter(f.start()) && t.isBefore(f.end().plus(PrinterWalkthrough.PERIOD))) {
                    found = true;
                }
            }
            assertTrue(found, "no anomaly event for " + sensor + " in its fault window " + f + ":\n" + String.join("\n", lines));
        }
    }

    @Test
    @Order(4)
    void agentsExitWhenTheReplayEnds() throws Exception {
        E2e.await(Duration.ofSeconds(60), "the replay's agent JVMs to exit", () -> E2e.liveChildren(w.kapacitord()) == 0);
        String log = w.kapacitord().logText();
        assertEquals(3, E2e.count(log, "AnomalyHandler - closing after 288 windows"),
                "each of the 3 agents saw the 288 windows of 24 h and closed; log:\n" + log);
        assertFalse(log.contains("lvl=error"), "kapacitord logged errors:\n" + log);
    }

    @Test
    @Order(5)
    void replayingTheSameRecordingAgainGivesTheSameAlerts() throws Exception {
        PrinterWalkthrough.Replay second = w.replay(PrinterWalkthrough.TASK, recording.id());
        assertTrue(first.criticalCount() >= 3, "first replay raised " + first.criticalCount() + " critical alerts");
        assertEquals(first.alerts(), second.alerts(), "two replays of one recording differ");
    }
}
