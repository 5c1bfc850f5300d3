package anteater.kapacitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import anteater.gen.Schedule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AlertReportTest {
    /** An OK (recovery) event as Kapacitor 1.8.3's log handler writes it (details shortened). */
    static final String OK_EVENT = "{\"id\":\"hotend\",\"message\":\"hotend is OK\",\"details\":\"\",\"time\":\"2016-01-01T01:10:00Z\","
            + "\"duration\":300000000000,\"level\":\"OK\",\"data\":{\"series\":[{\"name\":\"temperatures\",\"tags\":{\"field\":\"hotend\"},"
            + "\"columns\":[\"time\",\"history_count\",\"is_anomaly\",\"pvalue\",\"t\"],"
            + "\"values\":[[\"2016-01-01T01:10:00Z\",3600,false,0.4978984887171689,-0.67]]}]},\"previousLevel\":\"CRITICAL\",\"recoverable\":true}";
    static final long START = 1_451_606_400L;

    @TempDir
    Path dir;

    @Test
    void readsKapacitorsAlertLogLines() throws Exception {
        String crit = OK_EVENT.replace("hotend is OK", "hotend is CRITICAL").replace("\"level\":\"OK\"", "\"level\":\"CRITICAL\"")
                .replace("0.4978984887171689", "5.7e-16").replace("01:10:00Z", "01:05:00Z");
        Path log = Files.writeString(dir.resolve("hotend_failure.log"), crit + "\n" + OK_EVENT + "\n");
        List<AlertLog.Alert> a = AlertLog.read(log);
        assertEquals(2, a.size());
        assertEquals(new AlertLog.Alert("hotend", "hotend is CRITICAL", "CRITICAL", Instant.parse("2016-01-01T01:05:00Z"), 5.7e-16, "hotend"), a.get(0));
        assertTrue(a.get(0).critical());
        assertEquals("OK", a.get(1).level());
        assertFalse(a.get(1).critical());
        assertEquals(0.4978984887171689, a.get(1).pvalue());
        assertTrue(AlertLog.read(dir.resolve("missing.log")).isEmpty());
    }

    @Test
    void alertsAreInsideWhenTheirWindowOverlapsTheFault() {
        // hotend fault 1h..1h05; windows of 5 min end at the alert time
        List<Schedule.Fault> faults = List.of(new Schedule.Fault("hotend", 3600, 3900), new Schedule.Fault("bed", 28800, 29700));
        Map<String, List<AlertLog.Alert>> alerts = Map.of(
                "hotend", List.of(crit("hotend", 3600), crit("hotend", 3900), crit("hotend", 4199), crit("hotend", 4200),
                        ok("hotend", 4500), crit("hotend", 20000)),
                "air", List.of(crit("air", 100)));
        AlertReport r = AlertReport.of(alerts, faults, List.of("hotend", "bed", "air"), START, Duration.ofMinutes(5));
        AlertReport.SensorResult hot = r.sensor("hotend");
        // 3600 is the end of the window [55m, 1h): before the fault; 4200 is the window [1h05, 1h10): after it
        assertEquals(List.of(crit("hotend", 3900), crit("hotend", 4199)), hot.inside());
        assertEquals(List.of(crit("hotend", 3600), crit("hotend", 4200), crit("hotend", 20000)), hot.outside());
        assertTrue(hot.missed().isEmpty());
        assertEquals(1, r.sensor("bed").missed().size(), "no bed alert: the bed fault is missed");
        assertFalse(r.allFaultsFound());
        assertEquals(4, r.outsideCount(), "3 hotend + 1 air; the OK event is not counted");
        assertEquals(2, r.insideCount());
        String table = r.table();
        assertTrue(table.contains("hotend  2016-01-01 01:00:00 - 01:05:00"), table);
        assertTrue(table.contains("bed     2016-01-01 08:00:00 - 08:15:00            NO"), table);
        assertTrue(table.contains("air     2016-01-01 00:01:40 CRITICAL"), table);
    }

    private static AlertLog.Alert crit(String id, long sec) {
        return new AlertLog.Alert(id, id + " is CRITICAL", "CRITICAL", Instant.ofEpochSecond(START + sec), 1e-9, id);
    }

    private static AlertLog.Alert ok(String id, long sec) {
        return new AlertLog.Alert(id, id + " is OK", "OK", Instant.ofEpochSecond(START + sec), 0.5, id);
    }

    /**
     * {@code demo --hours 12}: the air fault of the default schedule starts at 12 h, the data's last second, so no
     * window holding it ever closes; it was scored as missed ("faults found: NOT ALL", exit 1).
     */
    @Test
    void aFaultAfterTheLastCompleteWindowIsNotScored() {
        List<Schedule.Fault> faults = List.of(new Schedule.Fault("hotend", 3600, 3900), new Schedule.Fault("air", 43200, 43201));
        Map<String, List<AlertLog.Alert>> alerts = Map.of("hotend", List.of(crit("hotend", 3900)));
        AlertReport r = AlertReport.of(alerts, faults, List.of("hotend", "air"), START, Duration.ofMinutes(5), 43200);
        assertTrue(r.allFaultsFound(), r.table());
        assertTrue(r.sensor("air").faults().isEmpty());
        assertTrue(r.table().contains("air fault at 2016-01-01 12:00:00 is not scored: it starts after the data's last complete"
                + " 5-minute window"), r.table());
    }

    @Test
    void eachFaultNeedsAnAlertOfItsOwnAndTheTableListsAlertsInTimeOrder() {
        List<Schedule.Fault> faults = List.of(new Schedule.Fault("hotend", 3600, 3900), new Schedule.Fault("hotend", 7200, 7500));
        // both alerts are in the first fault's windows: the second fault is missed, though hotend has inside alerts
        Map<String, List<AlertLog.Alert>> alerts = Map.of("hotend", List.of(crit("hotend", 4199), crit("hotend", 20000), crit("hotend", 3900)));
        AlertReport r = AlertReport.of(alerts, faults, List.of("hotend", "bed"), START, Duration.ofMinutes(5), 43250);
        AlertReport.SensorResult hot = r.sensor("hotend");
        assertEquals(2, hot.faults().size(), "both before the last complete window (43,200 s of 43,250)");
        assertEquals(List.of(new AlertReport.FaultWindow("hotend", Instant.ofEpochSecond(START + 7200), Instant.ofEpochSecond(START + 7500))),
                hot.missed());
        assertFalse(r.allFaultsFound());
        String table = r.table();
        assertTrue(table.contains("hotend  2016-01-01 01:00:00 - 01:05:00, 2016-01-01 02:00:00 - 02:05:00 NO     3       1"), table);
        assertTrue(table.contains("bed     -                                         -      0       0"), table);
        int a = table.indexOf("01:05:00 CRITICAL"), b = table.indexOf("01:09:59 CRITICAL"), c = table.indexOf("05:33:20 CRITICAL");
        assertTrue(a > 0 && a < b && b < c, "alerts in time order: " + table);
        assertTrue(table.contains("hotend  2016-01-01 01:09:59 CRITICAL  1.00e-09   in fault window"), table);
        assertTrue(table.contains("hotend  2016-01-01 05:33:20 CRITICAL  1.00e-09   outside (false alarm)"), table);
        // the last complete window ends at 43,200 s: a fault starting a second before it is scored, one at it is not
        List<Schedule.Fault> edge = List.of(new Schedule.Fault("air", 43199, 43230), new Schedule.Fault("bed", 43200, 43230));
        AlertReport e = AlertReport.of(Map.of(), edge, List.of("air", "bed"), START, Duration.ofMinutes(5), 43250);
        assertEquals(1, e.sensor("air").faults().size());
        assertTrue(e.sensor("bed").faults().isEmpty());
        assertEquals(1, e.sensor("air").missed().size());
        // without a duration every fault is scored
        assertEquals(1, AlertReport.of(Map.of(), edge, List.of("bed"), START, Duration.ofMinutes(5)).sensor("bed").faults().size());
    }

    @Test
    void alertLogLinesWithoutAPvalueOrValuesStillRead() throws Exception {
        String noPvalue = OK_EVENT.replace("\"pvalue\",", "\"p\",");
        String noValues = OK_EVENT.replace("[[\"2016-01-01T01:10:00Z\",3600,false,0.4978984887171689,-0.67]]", "[]");
        String noSeries = "{\"id\":\"bed\",\"message\":\"bed is OK\",\"level\":\"OK\",\"time\":\"2016-01-01T01:10:00Z\",\"data\":{}}";
        Path log = Files.writeString(dir.resolve("a.log"), noPvalue + "\n\n  \n" + noValues + "\n" + noSeries + "\n");
        List<AlertLog.Alert> a = AlertLog.read(log);
        assertEquals(3, a.size(), "blank lines skipped");
        assertTrue(Double.isNaN(a.get(0).pvalue()), "no pvalue column");
        assertTrue(Double.isNaN(a.get(1).pvalue()), "no values");
        assertEquals("hotend", a.get(1).field());
        assertTrue(Double.isNaN(a.get(2).pvalue()));
        assertEquals("", a.get(2).field(), "no series");
        assertEquals("bed", a.get(2).id());
        Files.writeString(log, OK_EVENT + "\n\n{not json\n");
        String m = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class, () -> AlertLog.read(log)).getMessage();
        assertTrue(m.startsWith(log + ":3: not a JSON alert event"), m);
    }
}
