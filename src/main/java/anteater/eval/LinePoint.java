package anteater.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One line of InfluxDB line protocol, {@code measurement[,tag=value...] field=value[,field=value...] [time]},
 * tokenised in that order with its escapes: {@code \,} and {@code \ } in the measurement, {@code \,} {@code \=}
 * {@code \ } in tag keys, tag values and field keys; string field values in double quotes with {@code \"} and
 * {@code \\}. Numeric fields (floats, {@code 12i}, {@code 12u}) are kept; strings and booleans are not metrics.
 *
 * @param tagMap the tag set, sorted by key
 * @param time the timestamp, null when the line has none
 */
public record LinePoint(String measurement, Map<String, String> tagMap, Map<String, Double> fields, Long time) {

    /** The tag set as {@code k=v,...} sorted by key (identifies the series), "" for none. */
    public String tags() {
        List<String> ts = new ArrayList<>();
        tagMap.forEach((k, v) -> ts.add(k + "=" + v));
        return String.join(",", ts);
    }

    public static LinePoint parse(String line) {
        Cursor c = new Cursor(line);
        String measurement = c.until(",  ".toCharArray(), false);
        if (measurement.isEmpty()) throw new IllegalArgumentException("no measurement");
        java.util.TreeMap<String, String> tags = new java.util.TreeMap<>();
        while (c.peek() == ',') {
            c.next();
            String k = c.until("= ".toCharArray(), true);
            if (c.peek() != '=') throw new IllegalArgumentException("tag '" + k + "' has no value");
            c.next();
            tags.put(k, c.until(", ".toCharArray(), true));
        }
        if (c.peek() != ' ') throw new IllegalArgumentException("no field set after the measurement and tags");
        c.skipSpaces();
        Map<String, Double> fields = new LinkedHashMap<>();
        int count = 0;
        while (true) {
            String k = c.until("=, ".toCharArray(), true);
            if (k.isEmpty() || c.peek() != '=') throw new IllegalArgumentException("field " + (count + 1) + " has no key=value");
            c.next();
            count++;
            if (c.peek() == '"') {
                c.skipQuoted(); // a string field: not a metric
            } else {
                String v = c.until(", ".toCharArray(), false);
                Double x = number(v);
                if (x != null) fields.put(k, x);
                else if (!isBool(v)) throw new IllegalArgumentException("field '" + k + "' has value '" + v + "'");
            }
            if (c.peek() != ',') break;
            c.next();
        }
        String rest = c.rest().strip();
        Long time = null;
        if (!rest.isEmpty()) {
            try {
                time = Long.parseLong(rest);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("timestamp '" + rest + "' is not an integer");
            }
        }
        return new LinePoint(measurement, tags, fields, time);
    }

    /**
     * Whether {@code train --tag} keeps the line: each of its tags named in {@code want} has the wanted value. A tag
     * the line does not carry selects nothing of it, so {@code --tag cpu=cpu-total --tag path=/} picks Telegraf's
     * total cpu and root disk and keeps mem (which has neither tag), as a TICKscript's {@code where()} on cpu and disk
     * would. Lines without all the given tags were skipped: mem was lost, and with it the join's third measurement.
     */
    public boolean selectedBy(Map<String, String> want) {
        for (Map.Entry<String, String> e : want.entrySet()) {
            String v = tagMap.get(e.getKey());
            if (v != null && !v.equals(e.getValue())) return false;
        }
        return true;
    }

    private static Double number(String v) {
        if (v.isEmpty()) return null;
        char last = v.charAt(v.length() - 1);
        String n = last == 'i' || last == 'u' ? v.substring(0, v.length() - 1) : v;
        try {
            if (last == 'u') {
                // an unsigned 64-bit integer: up to 2^64 - 1, no sign; read as a decimal, so rounded once to the nearest
                // double (halving a value above 2^63 to convert it rounded twice: 2^63 + 1025 became 2^63, not 2^63 + 2048)
                if (n.startsWith("+") || n.startsWith("-")) return null;
                Long.parseUnsignedLong(n); // the range and the digits
                return Double.parseDouble(n);
            }
            return last == 'i' ? (double) Long.parseLong(n) : Double.parseDouble(n);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static boolean isBool(String v) {
        return switch (v) {
            case "t", "T", "true", "True", "TRUE", "f", "F", "false", "False", "FALSE" -> true;
            default -> false;
        };
    }

    private static final class Cursor {
        private final String s;
        private int i;

        Cursor(String s) {
            this.s = s;
        }

        char peek() {
            return i < s.length() ? s.charAt(i) : '\0';
        }

        void next() {
            i++;
        }

        void skipSpaces() {
            while (peek() == ' ') i++;
        }

        String rest() {
            return s.substring(Math.min(i, s.length()));
        }

        /** Up to the first unescaped stop character; a backslash escapes the next character (kept when not). */
        String until(char[] stops, boolean escapesEquals) {
            StringBuilder b = new StringBuilder();
            while (i < s.length()) {
                char c = s.charAt(i);
                if (c == '\\' && i + 1 < s.length()) {
                    char n = s.charAt(i + 1);
                    if (n == ',' || n == ' ' || (escapesEquals && n == '=') || n == '\\') {
                        b.append(n);
                        i += 2;
                        continue;
                    }
                }
                for (char st : stops) if (c == st) return b.toString();
                b.append(c);
                i++;
            }
            return b.toString();
        }

        /** Past a double-quoted string starting here, whose \" and \\ are escapes (its text is not a metric: not kept). */
        void skipQuoted() {
            i++; // opening quote
            while (i < s.length()) {
                char c = s.charAt(i);
                if (c == '\\' && i + 1 < s.length() && (s.charAt(i + 1) == '"' || s.charAt(i + 1) == '\\')) {
                    i += 2;
                } else {
                    i++;
                    if (c == '"') return;
                }
            }
            throw new IllegalArgumentException("unterminated string field");
        }
    }
}
