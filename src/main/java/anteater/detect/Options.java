package anteater.detect;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The options one task node was initialised with, checked against {@link OptionTable}. */
public final class Options {
    private final Map<String, List<Object>> values = new LinkedHashMap<>();
    /** The init-time warnings already logged for these options (see {@link #firstTime}). */
    private final java.util.Set<String> warned = new java.util.HashSet<>();

    /**
     * True the first time it is asked for {@code warning}: a detector is created again from the same options at a
     * restore or a reset, and a warning about the options (not about the state) is logged once per task node.
     */
    boolean firstTime(String warning) {
        return warned.add(warning);
    }

    /** Builder-style: adds a value given in the script; checks name and type. */
    public Options add(String name, Object value) throws OptionException {
        OptionSpec spec = OptionTable.get(name);
        if (spec == null) {
            List<String> names = new ArrayList<>();
            for (OptionSpec s : OptionTable.all()) names.add(s.name());
            throw new OptionException("unknown option '" + name + "'; valid options: " + String.join(", ", names));
        }
        if (value == null || !spec.kind().javaType().isInstance(value)) {
            throw new OptionException("option '" + name + "' takes one " + spec.kind() + " value, got "
                    + (value == null ? "none" : value.getClass().getSimpleName()));
        }
        List<Object> list = values.computeIfAbsent(name, k -> new ArrayList<>());
        if (!spec.repeatable() && !list.isEmpty()) {
            throw new OptionException("option '" + name + "' may be given only once");
        }
        list.add(value);
        return this;
    }

    /** Convenience for tests and the CLI: {@code Options.of("field", "x", "size", 10L)}. */
    public static Options of(Object... pairs) throws OptionException {
        Options o = new Options();
        for (int i = 0; i < pairs.length; i += 2) o.add((String) pairs[i], pairs[i + 1]);
        return o;
    }

    /** The names given, in order. */
    public java.util.Set<String> names() {
        return java.util.Collections.unmodifiableSet(values.keySet());
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    private Object one(String name) {
        List<Object> l = values.get(name);
        return l == null ? OptionTable.defaultOf(name) : l.get(0);
    }

    public String getString(String name) { return (String) one(name); }
    public long getLong(String name) { return (Long) one(name); }
    public int getInt(String name) { return (int) Math.min(Integer.MAX_VALUE, Math.max(Integer.MIN_VALUE, getLong(name))); }
    public double getDouble(String name) { return (Double) one(name); }
    public boolean getBool(String name) { return (Boolean) one(name); }
    public Duration getDuration(String name) { return (Duration) one(name); }

    @SuppressWarnings("unchecked")
    public List<String> getStrings(String name) {
        List<Object> l = values.get(name);
        if (l == null) {
            Object d = OptionTable.defaultOf(name);
            return d == null ? List.of() : List.of((String) d);
        }
        return (List<String>) (List<?>) Collections.unmodifiableList(l);
    }

    /** The fields to analyse (option 'field', repeatable): at least one, none empty, none twice. */
    public List<String> fields() throws OptionException {
        List<String> fields = getStrings("field");
        if (fields.isEmpty()) throw new OptionException("option 'field' is required: name at least one field, e.g. .field('value')");
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (String f : fields) {
            if (f.isEmpty()) throw new OptionException("option 'field': empty field name");
            // twice would judge each value twice: two verdicts with the same tags and time, and a double history
            if (!seen.add(f)) throw new OptionException("option 'field': '" + f + "' is named twice");
        }
        return fields;
    }

    /** Option 'maxGroups': groups kept at most, at least 1. */
    public int maxGroups() throws OptionException {
        return intAtLeast("maxGroups", 1, "", "");
    }

    /**
     * An integer option in [min, max], else an error naming the option and the range. {@code unit} (what it counts,
     * e.g. "windows") and {@code hint} (e.g. "0: off") may be empty.
     */
    public int intIn(String name, int min, int max, String unit, String hint) throws OptionException {
        long v = getLong(name);
        if (v < min || v > max) throw outside(name, "in [" + min + ", " + max + "]", unit, hint, v);
        return (int) v;
    }

    /** An integer option of at least {@code min}, with no upper bound: values beyond an int are taken as the largest int. */
    public int intAtLeast(String name, int min, String unit, String hint) throws OptionException {
        long v = getLong(name);
        if (v < min) throw outside(name, ">= " + min, unit, hint, v);
        return (int) Math.min(Integer.MAX_VALUE, v);
    }

    /**
     * A number option between {@code lo} and {@code hi}, each end open or closed; with {@code hi} infinite, a finite
     * number beyond {@code lo}.
     */
    public double doubleIn(String name, double lo, boolean loOpen, double hi, boolean hiOpen, String hint)
            throws OptionException {
        double v = getDouble(name);
        boolean above = loOpen ? v > lo : v >= lo;
        boolean below = Double.isInfinite(hi) ? Double.isFinite(v) : (hiOpen ? v < hi : v <= hi);
        if (!(above && below)) {
            String range = Double.isInfinite(hi)
                    ? "a number " + (loOpen ? "> " : ">= ") + number(lo)
                    : "in " + (loOpen ? "(" : "[") + number(lo) + ", " + number(hi) + (hiOpen ? ")" : "]");
            throw outside(name, range, "", hint, v);
        }
        return v;
    }

    private static String number(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }

    private static OptionException outside(String name, String range, String unit, String hint, Object got) {
        return new OptionException("option '" + name + "' must be " + range + (unit.isEmpty() ? "" : " " + unit)
                + (hint.isEmpty() ? "" : " (" + hint + ")") + ", got " + got);
    }

    /** A stable text of every given option, for snapshot fingerprints and logs. */
    public String canonical() {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, List<Object>> e : new TreeMap<>(values).entrySet()) {
            if (sb.length() > 0) sb.append(' ');
            sb.append(e.getKey()).append('=').append(e.getValue());
        }
        return sb.toString();
    }

    public String detector() {
        return getString("detector");
    }
}
