package anteater.sink;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Makes a gala entity_id from a group's measurement and tags. A template mixes literal text with placeholders:
 * <ul>
 *   <li>{@code {measurement}}: the measurement (gala's entity type),</li>
 *   <li>{@code {tags}}: the values of every tag not named elsewhere in the template, ordered by tag key, joined
 *       by {@code _},</li>
 *   <li>{@code {NAME}}: the value of tag NAME (e.g. {@code {machine_id}}).</li>
 * </ul>
 * A placeholder with no value is left out together with the separator that follows it (or, at the end, the one
 * before it), so {@code {machine_id}_{measurement}_{tags}} (the default) gives {@code cpu_host1} for a group
 * without a machine_id. When every placeholder of a template is empty for a group, its entity_id is the default
 * template's ({@code unknown} if that is empty too: no measurement, no tags), never empty or the bare literal text.
 * The result is sanitised as gala does: characters outside
 * {@code [A-Za-z0-9_\-:.@()+,=;$!*'%]} become {@code :}, and at most 254 characters are kept.
 */
public final class EntityTemplate {
    public static final String DEFAULT = "{machine_id}_{measurement}_{tags}";
    static final int MAX_LENGTH = 254;
    private static final EntityTemplate DEFAULT_TEMPLATE = parse(DEFAULT);

    private final String text;
    private final List<String> tokens = new ArrayList<>(); // literal text, or "{name}"
    private final Set<String> namedTags = new HashSet<>();

    private EntityTemplate(String text) {
        this.text = text;
    }

    /** Parses a template; the message of a refusal says what is wrong and what is valid. */
    public static EntityTemplate parse(String text) throws IllegalArgumentException {
        if (text == null || text.isBlank()) text = DEFAULT;
        EntityTemplate t = new EntityTemplate(text);
        int i = 0;
        StringBuilder lit = new StringBuilder();
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '{') {
                int end = text.indexOf('}', i);
                if (end < 0) throw new IllegalArgumentException("unclosed '{' at position " + i + " in '" + text + "'");
                String name = text.substring(i + 1, end).trim();
                if (name.isEmpty() || name.indexOf('{') >= 0) {
                    throw new IllegalArgumentException("empty or nested placeholder at position " + i + " in '" + text
                            + "'; valid: {measurement}, {tags} or {<tag name>}");
                }
                if (lit.length() > 0) {
                    t.tokens.add(lit.toString());
                    lit.setLength(0);
                }
                t.tokens.add("{" + name + "}");
                if (!name.equals("measurement") && !name.equals("tags")) t.namedTags.add(name);
                i = end + 1;
            } else if (c == '}') {
                throw new IllegalArgumentException("'}' without '{' at position " + i + " in '" + text + "'");
            } else {
                lit.append(c);
                i++;
            }
        }
        if (lit.length() > 0) t.tokens.add(lit.toString());
        if (t.tokens.stream().noneMatch(EntityTemplate::isPlaceholder)) {
            throw new IllegalArgumentException("'" + text + "' has no placeholder, so every group would be one entity; "
                    + "use {measurement}, {tags} or {<tag name>}, e.g. " + DEFAULT);
        }
        return t;
    }

    private static boolean isPlaceholder(String token) {
        return token.length() > 1 && token.charAt(0) == '{' && token.charAt(token.length() - 1) == '}';
    }

    public String text() {
        return text;
    }

    /** The entity_id of a group. */
    public String render(String measurement, Map<String, String> tags) {
        List<String> parts = new ArrayList<>(tokens.size());
        List<Boolean> isValue = new ArrayList<>(tokens.size());
        boolean anyValue = false;
        for (String tok : tokens) {
            boolean ph = isPlaceholder(tok);
            String part = ph ? value(tok.substring(1, tok.length() - 1), measurement, tags) : tok;
            anyValue |= ph && !part.isEmpty();
            parts.add(part);
            isValue.add(ph);
        }
        if (!anyValue) {
            // every placeholder empty (e.g. '{host}' for a group without a host tag): the template's literal text, or
            // "", would make every such group one entity, and gala (and RCA's own reader) refuses an empty entity_id;
            // the default template names the group by its measurement and tags instead
            if (this != DEFAULT_TEMPLATE) return DEFAULT_TEMPLATE.render(measurement, tags);
            return "unknown";
        }
        // an empty placeholder goes with its separator: the literal after it, else (at the end) the one before it
        for (int k = 0; k < parts.size(); ) {
            if (!isValue.get(k) || !parts.get(k).isEmpty()) {
                k++;
                continue;
            }
            parts.remove(k);
            isValue.remove(k);
            if (k < parts.size() && !isValue.get(k)) {
                parts.remove(k);
                isValue.remove(k);
            } else if (k == parts.size() && k > 0 && !isValue.get(k - 1)) {
                parts.remove(k - 1);
                isValue.remove(k - 1);
                k--;
            }
        }
        return sanitise(String.join("", parts));
    }

    private String value(String name, String measurement, Map<String, String> tags) {
        if (name.equals("measurement")) return measurement == null ? "" : measurement;
        if (name.equals("tags")) {
            StringBuilder sb = new StringBuilder();
            for (Map.Entry<String, String> e : new TreeMap<>(tags).entrySet()) {
                if (namedTags.contains(e.getKey()) || e.getValue() == null || e.getValue().isEmpty()) continue;
                if (sb.length() > 0) sb.append('_');
                sb.append(e.getValue());
            }
            return sb.toString();
        }
        String v = tags.get(name);
        return v == null ? "" : v;
    }

    /** gala's rule: characters outside the allowed set become ':', at most 254 characters. */
    public static String sanitise(String s) {
        // by code point, as gala-spider's escape_entity_id (a Python str): a character outside the BMP (two Java
        // chars) is one ':' and counts once towards the 254
        StringBuilder sb = new StringBuilder(Math.min(s.length(), MAX_LENGTH));
        for (int i = 0; i < s.length() && sb.length() < MAX_LENGTH; ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            sb.append(cp < 128 && allowed((char) cp) ? (char) cp : ':');
        }
        return sb.toString();
    }

    private static boolean allowed(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                || "_-:.@()+,=;$!*'%".indexOf(c) >= 0;
    }

    @Override
    public String toString() {
        return text;
    }
}
