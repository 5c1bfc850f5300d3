package anteater.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Training rows for {@code train} from a file: CSV (header = metric ids; a {@code time} or {@code timestamp}
 * column is dropped), InfluxDB line protocol, or Prometheus {@code query_range} JSON. Line protocol and
 * Prometheus rows are the distinct timestamps in order, gaps forward-filled (cells before a metric's first value
 * take its first value). Metric ids: the field name, or {@code <measurement>.<field>} when several measurements
 * are present; for Prometheus the metric name, with its labels when a name has several series.
 */
public final class TrainingData {
    public record Table(List<String> metrics, double[][] rows) {
    }

    private TrainingData() {
    }

    public static Table read(Path p) throws IOException {
        String n = p.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        if (n.endsWith(".json") || n.endsWith(".json.gz")) return prometheus(p);
        if (n.endsWith(".csv") || n.endsWith(".csv.gz")) return csv(p);
        return lineProtocol(p);
    }

    static Table csv(Path p) throws IOException {
        List<String> header = new ArrayList<>();
        double[][] rows = SmdLoader.readCsv(p, header);
        int drop = -1;
        for (int j = 0; j < header.size(); j++) {
            String h = header.get(j).trim().toLowerCase(java.util.Locale.ROOT);
            if (h.equals("time") || h.equals("timestamp")) drop = j;
        }
        if (drop >= 0) {
            header.remove(drop);
            for (int i = 0; i < rows.length; i++) {
                double[] r = new double[rows[i].length - 1];
                for (int j = 0, k = 0; j < rows[i].length; j++) if (j != drop) r[k++] = rows[i][j];
                rows[i] = r;
            }
        }
        return new Table(header, fillNaN(rows));
    }

    static Table lineProtocol(Path p) throws IOException {
        // time -> (measurement, field) -> value
        TreeMap<Long, Map<String, Double>> byTime = new TreeMap<>();
        Map<String, String[]> ids = new LinkedHashMap<>();
        Set<String> measurements = new HashSet<>();
        try (BufferedReader r = SmdLoader.open(p)) {
            String line;
            int ln = 0;
            while ((line = r.readLine()) != null) {
                ln++;
                line = line.trim();
                if (line.isEmpty() || line.startsWith("#")) continue;
                String[] parts = splitUnescaped(line, ' ');
                if (parts.length < 2) throw new IOException(p + ":" + ln + ": not line protocol (measurement,tags fields [time])");
                String measurement = splitUnescaped(parts[0], ',')[0];
                long t = parts.length > 2 ? Long.parseLong(parts[2]) : ln;
                measurements.add(measurement);
                Map<String, Double> row = byTime.computeIfAbsent(t, k -> new LinkedHashMap<>());
                for (String kv : splitUnescaped(parts[1], ',')) {
                    int eq = kv.indexOf('=');
                    if (eq <= 0) continue;
                    String f = kv.substring(0, eq), v = kv.substring(eq + 1);
                    if (v.endsWith("i") || v.endsWith("u")) v = v.substring(0, v.length() - 1);
                    double x;
                    try {
                        x = Double.parseDouble(v);
                    } catch (NumberFormatException e) {
                        continue; // strings and booleans are not metrics
                    }
                    String key = measurement + "." + f;
                    ids.putIfAbsent(key, new String[] {measurement, f});
                    row.put(key, x);
                }
            }
        }
        boolean qualify = measurements.size() > 1;
        List<String> keys = new ArrayList<>(ids.keySet());
        List<String> metrics = new ArrayList<>();
        for (String k : keys) metrics.add(qualify ? k : ids.get(k)[1]);
        return new Table(metrics, rowsOf(byTime, keys));
    }

    static Table prometheus(Path p) throws IOException {
        JsonNode root;
        try (BufferedReader r = SmdLoader.open(p)) {
            root = new ObjectMapper().readTree(r);
        }
        JsonNode result = root.path("data").path("result");
        if (!result.isArray()) throw new IOException(p + ": not a Prometheus query_range answer (no data.result array)");
        Map<String, Integer> names = new LinkedHashMap<>();
        for (JsonNode s : result) names.merge(s.path("metric").path("__name__").asText("value"), 1, Integer::sum);
        TreeMap<Long, Map<String, Double>> byTime = new TreeMap<>();
        List<String> keys = new ArrayList<>();
        for (JsonNode s : result) {
            String name = s.path("metric").path("__name__").asText("value");
            String id = name;
            if (names.get(name) > 1) {
                TreeMap<String, String> labels = new TreeMap<>();
                s.path("metric").fields().forEachRemaining(e -> {
                    if (!e.getKey().equals("__name__")) labels.put(e.getKey(), e.getValue().asText());
                });
                id = name + labels.toString().replace(", ", ",");
            }
            keys.add(id);
            for (JsonNode v : s.path("values")) {
                long t = Math.round(v.get(0).asDouble() * 1000);
                double x = Double.parseDouble(v.get(1).asText());
                if (Double.isFinite(x)) byTime.computeIfAbsent(t, k -> new LinkedHashMap<>()).put(id, x);
            }
        }
        return new Table(keys, rowsOf(byTime, keys));
    }

    private static double[][] rowsOf(TreeMap<Long, Map<String, Double>> byTime, List<String> keys) {
        double[][] rows = new double[byTime.size()][keys.size()];
        int i = 0;
        for (Map<String, Double> m : byTime.values()) {
            for (int j = 0; j < keys.size(); j++) {
                Double v = m.get(keys.get(j));
                rows[i][j] = v == null ? Double.NaN : v;
            }
            i++;
        }
        return fillNaN(rows);
    }

    /** Forward fill, then back fill from the first value; a column without values becomes 0. */
    static double[][] fillNaN(double[][] rows) {
        if (rows.length == 0) return rows;
        int d = rows[0].length;
        for (int j = 0; j < d; j++) {
            double prev = Double.NaN;
            for (double[] r : rows) {
                if (Double.isNaN(r[j])) r[j] = prev;
                else prev = r[j];
            }
            double first = Double.NaN;
            for (double[] r : rows) {
                if (!Double.isNaN(r[j])) {
                    first = r[j];
                    break;
                }
            }
            for (double[] r : rows) if (Double.isNaN(r[j])) r[j] = Double.isNaN(first) ? 0 : first;
        }
        return rows;
    }

    /** Splits on sep, honouring backslash escapes and double quotes. */
    static String[] splitUnescaped(String s, char sep) {
        List<String> out = new ArrayList<>();
        StringBuilder b = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                b.append(s.charAt(++i));
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == sep && !quoted) {
                out.add(b.toString());
                b.setLength(0);
            } else {
                b.append(c);
            }
        }
        out.add(b.toString());
        return out.toArray(new String[0]);
    }

}
