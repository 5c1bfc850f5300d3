package anteater.gen;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When each sensor of a simulated printer changes behaviour: target temperatures, then steps of (time, sigma,
 * offset), some of them marked as faults. The text format is described in {@code printer-schedule.txt}, the
 * default schedule (the one of Kapacitor's anomaly detection guide).
 */
public final class Schedule {
    /** From {@code atSec} on, a sensor reads Normal(target + offset, sigma). */
    public record Step(String sensor, long atSec, double sigma, double offset, boolean fault) {
    }

    /** A stretch of time during which a sensor is faulty: [startSec, endSec) from the start of the data. */
    public record Fault(String sensor, long startSec, long endSec) {
    }

    private static final String DEFAULT_RESOURCE = "/anteater/gen/printer-schedule.txt";
    private static final Pattern DURATION = Pattern.compile("(\\d+)([hms])");

    private final Map<String, Double> targets;
    private final List<Step> steps;

    private Schedule(Map<String, Double> targets, List<Step> steps) {
        this.targets = Collections.unmodifiableMap(targets);
        this.steps = List.copyOf(steps);
    }

    /** The guide's schedule: hotend bad at 1 h for 5 min, bed at 8 h for 15 min, air at 12 h for 30 min. */
    public static Schedule guide() {
        try (InputStream in = Schedule.class.getResourceAsStream(DEFAULT_RESOURCE)) {
            if (in == null) throw new IllegalStateException("resource " + DEFAULT_RESOURCE + " is missing from the jar");
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), DEFAULT_RESOURCE);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + DEFAULT_RESOURCE + ": " + e.getMessage(), e);
        }
    }

    /** The text of the guide's schedule, to print and edit. */
    public static String guideText() {
        try (InputStream in = Schedule.class.getResourceAsStream(DEFAULT_RESOURCE)) {
            if (in == null) throw new IllegalStateException("resource " + DEFAULT_RESOURCE + " is missing from the jar");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + DEFAULT_RESOURCE + ": " + e.getMessage(), e);
        }
    }

    public static Schedule read(Path file) throws IOException {
        return parse(Files.readString(file), file.toString());
    }

    /** Parses the schedule format; errors name the source, the line and what is valid. */
    public static Schedule parse(String text, String source) {
        Map<String, Double> targets = new LinkedHashMap<>();
        List<Step> steps = new ArrayList<>();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            int hash = line.indexOf('#');
            if (hash >= 0) line = line.substring(0, hash);
            line = line.strip();
            if (line.isEmpty()) continue;
            String where = source + ":" + (i + 1) + ": ";
            String[] w = line.split("\\s+");
            if (w[0].equals("target")) {
                if (w.length != 3) throw new IllegalArgumentException(where + "expected 'target SENSOR CELSIUS', got '" + line + "'");
                if (targets.containsKey(w[1])) throw new IllegalArgumentException(where + "target of '" + w[1] + "' given twice");
                targets.put(w[1], number(w[2], where, "CELSIUS"));
                continue;
            }
            if (w.length != 4 && !(w.length == 5 && w[4].equals("fault"))) {
                throw new IllegalArgumentException(where + "expected 'SENSOR AT SIGMA OFFSET [fault]', got '" + line + "'");
            }
            if (!targets.containsKey(w[0])) {
                throw new IllegalArgumentException(where + "sensor '" + w[0] + "' has no 'target' line before it (sensors: "
                        + String.join(", ", targets.keySet()) + ")");
            }
            long at = seconds(w[1], where);
            double sigma = number(w[2], where, "SIGMA");
            if (sigma < 0) throw new IllegalArgumentException(where + "SIGMA must be >= 0, got " + w[2]);
            double offset = number(w[3], where, "OFFSET");
            for (Step s : steps) {
                if (s.sensor().equals(w[0]) && s.atSec() >= at) {
                    throw new IllegalArgumentException(where + "steps of '" + w[0] + "' must be in increasing time order ("
                            + w[1] + " is not after " + s.atSec() + "s)");
                }
            }
            steps.add(new Step(w[0], at, sigma, offset, w.length == 5));
        }
        if (targets.isEmpty()) throw new IllegalArgumentException(source + ": no 'target SENSOR CELSIUS' line");
        return new Schedule(targets, steps);
    }

    /** Seconds from "3600", "1h", "1h5m", "90s", "2h30m15s". */
    public static long seconds(String s, String where) {
        if (s.matches("\\d+")) return Long.parseLong(s);
        Matcher m = DURATION.matcher(s);
        long total = 0;
        int pos = 0;
        while (m.find()) {
            if (m.start() != pos) break;
            long n = Long.parseLong(m.group(1));
            total += switch (m.group(2)) {
                case "h" -> n * 3600;
                case "m" -> n * 60;
                default -> n;
            };
            pos = m.end();
        }
        if (pos != s.length() || s.isEmpty()) {
            throw new IllegalArgumentException(where + "bad time '" + s + "': use seconds (3600) or h/m/s parts (1h5m, 90s)");
        }
        return total;
    }

    private static double number(String s, String where, String what) {
        try {
            double d = Double.parseDouble(s);
            if (!Double.isFinite(d)) throw new NumberFormatException();
            return d;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(where + what + " must be a finite number, got '" + s + "'");
        }
    }

    /** Sensor names in field order. */
    public List<String> sensors() {
        return List.copyOf(targets.keySet());
    }

    public double target(String sensor) {
        return targets.get(sensor);
    }

    public List<Step> steps() {
        return steps;
    }

    /** The steps of one sensor, in time order. */
    public List<Step> steps(String sensor) {
        return steps.stream().filter(s -> s.sensor().equals(sensor)).toList();
    }

    /** Fault stretches, each ending at the sensor's next step (or at {@code endSec}), clipped to [0, endSec). */
    public List<Fault> faults(long endSec) {
        List<Fault> out = new ArrayList<>();
        for (String sensor : sensors()) {
            List<Step> own = steps(sensor);
            for (int i = 0; i < own.size(); i++) {
                Step s = own.get(i);
                if (!s.fault() || s.atSec() >= endSec) continue;
                long end = i + 1 < own.size() ? Math.min(own.get(i + 1).atSec(), endSec) : endSec;
                out.add(new Fault(sensor, s.atSec(), end));
            }
        }
        return out;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        targets.forEach((k, v) -> sb.append(String.format(Locale.ROOT, "target %s %s%n", k, v)));
        for (Step s : steps) {
            sb.append(String.format(Locale.ROOT, "%s %d %s %s%s%n", s.sensor(), s.atSec(), s.sigma(), s.offset(),
                    s.fault() ? " fault" : ""));
        }
        return sb.toString();
    }
}
