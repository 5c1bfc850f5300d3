package anteater.kapacitor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code kapacitor.conf.example} made concrete: {@code @NAME@} placeholders filled in, single settings changed by
 * section and key, and the stdio UDF block swapped for the commented socket block (between the
 * {@code ---- BEGIN socket} / {@code ---- END socket} marker comments).
 */
public final class ConfTemplate {
    private static final Pattern PLACEHOLDER = Pattern.compile("@([A-Z][A-Z_]*)@");

    private final String text;
    private final String source;
    private final Map<String, String> values = new LinkedHashMap<>();
    private final List<String[]> settings = new ArrayList<>();
    private boolean socket;

    private ConfTemplate(String text, String source) {
        this.text = text;
        this.source = source;
    }

    public static ConfTemplate read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new IOException("Kapacitor config template not found: " + file.toAbsolutePath());
        return new ConfTemplate(Files.readString(file), file.toString());
    }

    public static ConfTemplate of(String text) {
        return new ConfTemplate(text, "<text>");
    }

    /** Fills {@code @NAME@} with {@code value} (raw: quote it yourself where TOML needs quotes). */
    public ConfTemplate with(String name, String value) {
        values.put(name, value);
        return this;
    }

    /** Sets {@code key = tomlValue} in table {@code section} (e.g. "task", "udf.functions.anteater.env"). */
    public ConfTemplate set(String section, String key, String tomlValue) {
        settings.add(new String[] {section, key, tomlValue});
        return this;
    }

    /** Uses the socket block instead of the stdio block for {@code [udf.functions.anteater]}. */
    public ConfTemplate socket(Path socketPath) {
        this.socket = true;
        return with("SOCKET", socketPath.toAbsolutePath().toString());
    }

    /** The config text; fails if a placeholder is left or a setting's key is not found. */
    public String render() {
        List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
        if (socket) swapToSocket(lines);
        for (String[] s : settings) apply(lines, s[0], s[1], s[2]);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            String trimmed = line.stripLeading();
            if (!trimmed.startsWith("#")) {
                Matcher m = PLACEHOLDER.matcher(line);
                StringBuilder sb = new StringBuilder();
                while (m.find()) {
                    String v = values.get(m.group(1));
                    if (v == null) {
                        throw new IllegalStateException(source + ":" + (i + 1) + ": placeholder @" + m.group(1)
                                + "@ has no value (given: " + values.keySet() + ")");
                    }
                    m.appendReplacement(sb, Matcher.quoteReplacement(v));
                }
                m.appendTail(sb);
                line = sb.toString();
            }
            out.append(line);
            if (i + 1 < lines.size()) out.append('\n');
        }
        return out.toString();
    }

    public Path writeTo(Path file) throws IOException {
        Files.writeString(file, render());
        return file;
    }

    private void swapToSocket(List<String> lines) {
        int[] stdio = block(lines, "stdio");
        int[] sock = block(lines, "socket");
        for (int i = stdio[0] + 1; i < stdio[1]; i++) {
            String l = lines.get(i);
            if (!l.isBlank() && !l.stripLeading().startsWith("#")) lines.set(i, "#" + l);
        }
        for (int i = sock[0] + 1; i < sock[1]; i++) {
            String l = lines.get(i);
            String t = l.stripLeading();
            // uncomment "# [table]" and "#   key = value" lines; prose comments stay comments
            if (t.startsWith("# [") || t.matches("#\\s+[A-Za-z_-]+\\s*=.*")) {
                lines.set(i, l.substring(0, l.indexOf('#')) + t.substring(1).stripLeading());
            }
        }
    }

    private int[] block(List<String> lines, String name) {
        int begin = -1;
        int end = -1;
        for (int i = 0; i < lines.size(); i++) {
            String t = lines.get(i).strip();
            if (t.startsWith("# ---- BEGIN " + name)) begin = i;
            else if (t.startsWith("# ---- END " + name) && begin >= 0) {
                end = i;
                break;
            }
        }
        if (begin < 0 || end < 0) {
            throw new IllegalStateException(source + ": no '# ---- BEGIN " + name + "' ... '# ---- END " + name
                    + "' marker comments around the " + name + " UDF block");
        }
        return new int[] {begin, end};
    }

    private void apply(List<String> lines, String section, String key, String value) {
        String header = "[" + section + "]";
        String current = "";
        Pattern keyLine = Pattern.compile("^(\\s*)" + Pattern.quote(key) + "\\s*=.*$");
        for (int i = 0; i < lines.size(); i++) {
            String t = lines.get(i).strip();
            if (t.startsWith("[") && !t.startsWith("[[")) {
                current = t.substring(0, t.indexOf(']') + 1);
                continue;
            }
            if (t.startsWith("[[")) {
                current = t;
                continue;
            }
            if (current.equals(header)) {
                Matcher m = keyLine.matcher(lines.get(i));
                if (m.matches()) {
                    lines.set(i, m.group(1) + key + " = " + value);
                    return;
                }
            }
        }
        throw new IllegalStateException(source + ": no '" + key + " = ...' line in table " + header);
    }
}
