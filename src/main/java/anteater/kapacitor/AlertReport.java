package anteater.kapacitor;

import anteater.gen.Schedule;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Critical alerts of a replay scored against the fault stretches of the schedule. An alert is inside a fault when
 * its window overlapped the fault: windows end at the alert's time and last {@code period}, so that is
 * {@code start < time < end + period}. Everything else is a false alarm ("outside").
 */
public final class AlertReport {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    /** A fault stretch in absolute time. */
    public record FaultWindow(String sensor, Instant start, Instant end) {
    }

    /** One sensor's outcome. */
    public record SensorResult(String sensor, List<FaultWindow> faults, List<AlertLog.Alert> inside,
                               List<AlertLog.Alert> outside, List<FaultWindow> missed) {
    }

    private final Map<String, SensorResult> bySensor = new TreeMap<>();
    private final List<String> order = new ArrayList<>();
    private final List<FaultWindow> notScored = new ArrayList<>();
    private final Duration period;

    private AlertReport(Duration period) {
        this.period = period;
    }

    /**
     * @param alertsById alert events by alert id (the printer TICKscripts use the sensor name as the id)
     * @param faults     the schedule's faults, seconds from {@code startEpochSec}
     * @param sensors    the sensors, in table order
     * @param period     the window period of the task
     */
    public static AlertReport of(Map<String, List<AlertLog.Alert>> alertsById, List<Schedule.Fault> faults,
                                 List<String> sensors, long startEpochSec, Duration period) {
        return of(alertsById, faults, sensors, startEpochSec, period, Long.MAX_VALUE);
    }

    /**
     * As above, for data of {@code durationSec} seconds from the start: a fault that starts at or after the end of the
     * data's last complete window (a window closes at the first point of the next one) is in no window that closes, so
     * it cannot be found; it is listed as not scored instead of missed ({@code demo --hours 12}: the air fault at 12 h).
     */
    public static AlertReport of(Map<String, List<AlertLog.Alert>> alertsById, List<Schedule.Fault> faults,
                                 List<String> sensors, long startEpochSec, Duration period, long durationSec) {
        AlertReport r = new AlertReport(period);
        long periodSec = Math.max(1, period.toSeconds());
        long lastWindowEnd = durationSec == Long.MAX_VALUE ? Long.MAX_VALUE : durationSec / periodSec * periodSec;
        for (String sensor : sensors) {
            List<FaultWindow> fw = new ArrayList<>();
            for (Schedule.Fault f : faults) {
                if (f.sensor().equals(sensor)) {
                    FaultWindow w = new FaultWindow(sensor, Instant.ofEpochSecond(startEpochSec + f.startSec()),
                            Instant.ofEpochSecond(startEpochSec + f.endSec()));
                    (f.startSec() < lastWindowEnd ? fw : r.notScored).add(w);
                }
            }
            List<AlertLog.Alert> inside = new ArrayList<>();
            List<AlertLog.Alert> outside = new ArrayList<>();
            for (AlertLog.Alert a : alertsById.getOrDefault(sensor, List.of())) {
                if (!a.critical()) continue;
                (fw.stream().anyMatch(f -> r.overlaps(a.time(), f)) ? inside : outside).add(a);
            }
            List<FaultWindow> missed = fw.stream().filter(f -> inside.stream().noneMatch(a -> r.overlaps(a.time(), f))).toList();
            r.bySensor.put(sensor, new SensorResult(sensor, fw, inside, outside, missed));
            r.order.add(sensor);
        }
        return r;
    }

    boolean overlaps(Instant alertTime, FaultWindow f) {
        return alertTime.isAfter(f.start()) && alertTime.isBefore(f.end().plus(period));
    }

    public SensorResult sensor(String name) {
        return bySensor.get(name);
    }

    public List<SensorResult> sensors() {
        return order.stream().map(bySensor::get).toList();
    }

    /** Critical alerts outside every fault window, all sensors. */
    public int outsideCount() {
        return bySensor.values().stream().mapToInt(s -> s.outside().size()).sum();
    }

    public int insideCount() {
        return bySensor.values().stream().mapToInt(s -> s.inside().size()).sum();
    }

    /** True when every fault of every sensor has at least one critical alert inside it. */
    public boolean allFaultsFound() {
        return bySensor.values().stream().allMatch(s -> s.missed().isEmpty());
    }

    /** A plain-text table: one line per sensor, then one line per critical alert. */
    public String table() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-7s %-41s %-6s %-7s %-8s%n", "sensor", "fault window (UTC)", "found", "alerts", "outside"));
        for (SensorResult s : sensors()) {
            String windows = s.faults().isEmpty() ? "-" : String.join(", ", s.faults().stream()
                    .map(f -> TIME.format(f.start()) + " - " + TIME.format(f.end()).substring(11)).toList());
            String found = s.faults().isEmpty() ? "-" : s.missed().isEmpty() ? "yes" : "NO";
            sb.append(String.format(Locale.ROOT, "%-7s %-41s %-6s %-7d %-8d%n", s.sensor(), windows, found,
                    s.inside().size() + s.outside().size(), s.outside().size()));
        }
        sb.append(String.format(Locale.ROOT, "%n%-7s %-19s %-9s %-10s %s%n", "sensor", "alert time (UTC)", "level", "pvalue", "where"));
        for (SensorResult s : sensors()) {
            List<AlertLog.Alert> all = new ArrayList<>(s.inside());
            all.addAll(s.outside());
            all.sort((a, b) -> a.time().compareTo(b.time()));
            for (AlertLog.Alert a : all) {
                sb.append(String.format(Locale.ROOT, "%-7s %-19s %-9s %-10s %s%n", s.sensor(), TIME.format(a.time()), a.level(),
                        String.format(Locale.ROOT, "%.3g", a.pvalue()), s.inside().contains(a) ? "in fault window" : "outside (false alarm)"));
            }
        }
        for (FaultWindow f : notScored) {
            sb.append(String.format(Locale.ROOT, "%n%s fault at %s is not scored: it starts after the data's last complete"
                    + " %d-minute window (generate more hours)", f.sensor(), TIME.format(f.start()), period.toMinutes()));
        }
        if (!notScored.isEmpty()) sb.append(String.format(Locale.ROOT, "%n"));
        return sb.toString();
    }
}
