package anteater.eval;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A Prometheus {@code query_range} answer ({@code {"status":..., "data":{"resultType":"matrix","result":[{"metric":
 * {...}, "values":[[t, "v"], ...]}, ...]}}}) read series by series, as rows a distinct time. The answer is streamed, not
 * held as a JSON tree (about 400 bytes a sample: 38 series of Prometheus's 11,000 points did not fit in 64 MB), and a
 * series that {@code --tag} does not pick is skipped as it is read, so a fleet's answer can train one host's model:
 * a picked sample costs 16 bytes while the answer is read, then 8 in the rows.
 *
 * <p>Which error is reported when several apply, as with the whole tree: an error answer, then a result type other than
 * matrix, then no result array, then the selection, then the first bad sample of the first picked series that has one.
 */
final class PrometheusAnswer {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One series: its labels, its samples (times in ms on the step, values NaN when not finite), its first bad sample. */
    private static final class Series {
        final Map<String, String> labels = new LinkedHashMap<>();
        long[] times = new long[16];
        double[] values = new double[16];
        int size;
        /** Samples seen, bad ones included: the sample number of a message. */
        int seen;
        /** The first bad sample's message without the series' id ("sample 3: ..."), or null. */
        String bad;
        /** False once the labels are known and --tag leaves the series out: its samples are no longer kept. */
        boolean keep = true;

        void add(long t, double x) {
            if (size == times.length) {
                times = Arrays.copyOf(times, size * 2);
                values = Arrays.copyOf(values, size * 2);
            }
            times[size] = t;
            values[size++] = x;
        }
    }

    private final Path path;
    private final Map<String, String> select;
    private final long stepMs;
    private String status = "", errorType = "?", error = "no message", resultType;
    private boolean hasResult;
    private final List<Series> picked = new ArrayList<>();
    private final Map<String, SortedSet<String>> labelValues = new HashMap<>();

    private PrometheusAnswer(Path path, Map<String, String> select, long stepMs) {
        this.path = path;
        this.select = select;
        this.stepMs = stepMs;
    }

    /** The answer in {@code p} (gzip or not, a byte order mark allowed), its series picked by label, rows on a step (0: none). */
    static TimeRows read(Path p, Map<String, String> select, long stepMs) throws IOException {
        PrometheusAnswer a = new PrometheusAnswer(p, select, stepMs);
        try (BufferedReader r = CsvTable.withoutBom(SmdLoader.open(p)); JsonParser jp = JSON.getFactory().createParser(r)) {
            a.root(jp);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            com.fasterxml.jackson.core.JsonLocation at = e.getLocation();
            throw new IOException(p + (at == null ? "" : ":" + at.getLineNr()) + ": not valid JSON: " + e.getOriginalMessage());
        }
        return a.rows();
    }

    private void root(JsonParser jp) throws IOException {
        JsonToken t = jp.nextToken();
        if (t != JsonToken.START_OBJECT) {
            jp.skipChildren(); // still read whole: invalid JSON is reported as such
            return;
        }
        while (jp.nextToken() == JsonToken.FIELD_NAME) {
            String k = jp.currentName();
            jp.nextToken();
            switch (k) {
                case "status" -> status = text(jp, "");
                case "errorType" -> errorType = text(jp, "?");
                case "error" -> error = text(jp, "no message");
                case "data" -> data(jp);
                default -> jp.skipChildren();
            }
        }
    }

    private void data(JsonParser jp) throws IOException {
        if (jp.currentToken() != JsonToken.START_OBJECT) {
            jp.skipChildren();
            return;
        }
        while (jp.nextToken() == JsonToken.FIELD_NAME) {
            String k = jp.currentName();
            JsonToken t = jp.nextToken();
            if (k.equals("resultType")) {
                resultType = text(jp, "");
            } else if (k.equals("result") && t == JsonToken.START_ARRAY) {
                hasResult = true;
                while (jp.nextToken() != JsonToken.END_ARRAY) series(jp);
            } else {
                jp.skipChildren();
            }
        }
    }

    private void series(JsonParser jp) throws IOException {
        Series s = new Series();
        if (jp.currentToken() == JsonToken.START_OBJECT) {
            while (jp.nextToken() == JsonToken.FIELD_NAME) {
                String k = jp.currentName();
                JsonToken t = jp.nextToken();
                if (k.equals("metric") && t == JsonToken.START_OBJECT) {
                    while (jp.nextToken() == JsonToken.FIELD_NAME) {
                        String label = jp.currentName();
                        jp.nextToken();
                        s.labels.put(label, text(jp, ""));
                    }
                    s.keep = picks(s.labels, false);
                } else if (k.equals("values") && t == JsonToken.START_ARRAY) {
                    while (jp.nextToken() != JsonToken.END_ARRAY) sample(jp, s);
                } else {
                    jp.skipChildren();
                }
            }
        } else {
            jp.skipChildren(); // not a series object: a series without labels or samples, as the tree read it
        }
        if (picks(s.labels, true)) picked.add(s);
    }

    /** Whether --tag keeps a series of these labels (one without a selected label is kept); {@code note}: record them. */
    private boolean picks(Map<String, String> labels, boolean note) {
        boolean keep = true;
        for (Map.Entry<String, String> e : select.entrySet()) {
            String v = labels.get(e.getKey());
            if (v == null) continue;
            if (note) labelValues.computeIfAbsent(e.getKey(), k -> new TreeSet<>()).add(v);
            keep &= v.equals(e.getValue());
        }
        return keep;
    }

    private void sample(JsonParser jp, Series s) throws IOException {
        s.seen++;
        if (!s.keep || s.bad != null) {
            jp.skipChildren();
            return;
        }
        JsonNode v = jp.readValueAsTree(); // one small [time, "value"] pair
        if (!v.isArray() || v.size() != 2 || !v.get(0).isNumber() || !v.get(1).isValueNode()) {
            s.bad = "sample " + s.seen + ": expected [time, \"value\"], got " + v;
            return;
        }
        long t = Math.round(v.get(0).asDouble() * 1000);
        if (stepMs > 0) t = Math.floorDiv(t, stepMs) * stepMs;
        try {
            s.add(t, value(v.get(1).asText()));
        } catch (IOException e) {
            s.bad = "sample " + s.seen + ": " + e.getMessage();
        }
    }

    /** A scalar's text ({@code fallback} for null), or "" for an object or array (skipped), as JsonNode.asText. */
    private static String text(JsonParser jp, String fallback) throws IOException {
        JsonToken t = jp.currentToken();
        if (t == JsonToken.VALUE_NULL) return fallback;
        if (t.isScalarValue()) return jp.getText();
        jp.skipChildren();
        return "";
    }

    /** A Prometheus sample value: a number, NaN, or +Inf / -Inf (non-finite ones are missing). */
    private static double value(String s) throws IOException {
        switch (s) {
            case "+Inf", "Inf", "-Inf", "NaN" -> {
                return Double.NaN;
            }
            default -> {
                try {
                    return Double.parseDouble(s);
                } catch (NumberFormatException e) {
                    throw new IOException("not a Prometheus sample value: '" + s + "'");
                }
            }
        }
    }

    private TimeRows rows() throws IOException {
        if (status.equals("error")) {
            // an error answer saved as training data: say what Prometheus said, not that the array is missing
            throw new IOException(path + ": Prometheus answered status error (" + errorType + ": " + error + "), no data");
        }
        if (resultType != null && !resultType.equals("matrix")) {
            throw new IOException(path + ": a Prometheus " + resultType + " answer; train needs a query_range matrix (/api/v1/query_range)");
        }
        if (!hasResult) throw new IOException(path + ": not a Prometheus query_range answer (no data.result array)");
        TrainingData.checkSelection(path, select, labelValues, "series", "label");
        Map<String, Integer> names = new LinkedHashMap<>();
        for (Series s : picked) names.merge(name(s), 1, Integer::sum);
        TimeRows rows = new TimeRows();
        for (Series s : picked) {
            String id = name(s);
            if (names.get(id) > 1) {
                TreeMap<String, String> labels = new TreeMap<>(s.labels);
                labels.remove("__name__");
                id = id + labels.toString().replace(", ", ",");
            }
            if (s.bad != null) throw new IOException(path + ": series " + id + ", " + s.bad);
            int column = rows.column(id); // a series repeated in the answer is one column (its last value wins)
            for (int i = 0; i < s.size; i++) {
                if (Double.isFinite(s.values[i])) rows.put(s.times[i], column, s.values[i]);
            }
            s.times = null; // each series' samples freed once in the rows
            s.values = null;
        }
        return rows;
    }

    private static String name(Series s) {
        return s.labels.getOrDefault("__name__", "value");
    }
}
