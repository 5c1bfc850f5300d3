package anteater.cli;

import anteater.detect.OptionException;
import anteater.detect.OptionSpec;
import anteater.detect.OptionTable;
import anteater.detect.Options;
import java.time.Duration;
import java.util.List;

/** Detector options given on a command line as {@code name=value}, typed by {@link OptionTable}. */
final class OptionArgs {
    private OptionArgs() {
    }

    static Options parse(String detector, List<String> args) throws OptionException {
        Options o = new Options();
        o.add("detector", detector);
        if (args == null) return o;
        for (String a : args) {
            int eq = a.indexOf('=');
            if (eq <= 0) throw new OptionException("detector option '" + a + "' must look like name=value");
            String name = a.substring(0, eq), v = a.substring(eq + 1);
            OptionSpec s = OptionTable.get(name);
            if (s == null) {
                o.add(name, v); // reports the valid names
                continue;
            }
            try {
                o.add(name, switch (s.kind()) {
                    case BOOL -> bool(v);
                    case INT -> Long.parseLong(v);
                    case DOUBLE -> Double.parseDouble(v);
                    case STRING -> v;
                    case DURATION -> duration(v);
                });
            } catch (IllegalArgumentException | java.time.format.DateTimeParseException e) {
                throw new OptionException("option '" + name + "' takes " + switch (s.kind()) {
                    case BOOL -> "true or false";
                    case INT -> "an integer";
                    case DOUBLE -> "a number";
                    case DURATION -> "a duration (250ms, 10s, 5m, 1h, 1d, a number of seconds or PT10S)";
                    case STRING -> "a string";
                } + ", got '" + v + "'");
            }
        }
        return o;
    }

    private static boolean bool(String v) {
        String s = v.trim().toLowerCase(java.util.Locale.ROOT);
        if (s.equals("true")) return true;
        if (s.equals("false")) return false;
        throw new IllegalArgumentException("not a boolean: " + v);
    }

    /** 10s, 5m, 1h, 1d, 250ms, a number of seconds, or ISO-8601 (PT10S); anything else throws IllegalArgumentException. */
    static Duration duration(String v) {
        String s = v.trim().toLowerCase(java.util.Locale.ROOT);
        if (s.isEmpty()) throw new IllegalArgumentException("empty duration");
        if (s.startsWith("pt") || s.startsWith("p")) return Duration.parse(v.trim().toUpperCase(java.util.Locale.ROOT));
        if (s.endsWith("ms")) return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
        char u = s.charAt(s.length() - 1);
        if (!Character.isDigit(u) && "smhd".indexOf(u) < 0) throw new IllegalArgumentException("unknown unit " + u);
        long n = Long.parseLong(Character.isDigit(u) ? s : s.substring(0, s.length() - 1));
        return switch (u) {
            case 'h' -> Duration.ofHours(n);
            case 'm' -> Duration.ofMinutes(n);
            case 'd' -> Duration.ofDays(n);
            default -> Duration.ofSeconds(n);
        };
    }
}
