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

    /** The fields to analyse (option 'field', repeatable): at least one, none empty. */
    public List<String> fields() throws OptionException {
        List<String> fields = getStrings("field");
        if (fields.isEmpty()) throw new OptionException("option 'field' is required: name at least one field, e.g. .field('value')");
        for (String f : fields) {
            if (f.isEmpty()) throw new OptionException("option 'field': empty field name");
        }
        return fields;
    }

    /** Option 'maxGroups': groups kept at most, at least 1. */
    public int maxGroups() throws OptionException {
        long maxGroups = getLong("maxGroups");
        if (maxGroups < 1) throw new OptionException("option 'maxGroups' must be >= 1, got " + maxGroups);
        return (int) Math.min(Integer.MAX_VALUE, maxGroups);
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
