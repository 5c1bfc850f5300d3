package anteater.eval;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Training rows for {@code train} from a file: CSV (header = metric ids; a {@code time} or {@code timestamp}
 * column is dropped; see {@link CsvTable}), InfluxDB line protocol (see {@link LinePoint}; one series per
 * measurement, since a model is for one group; all lines with a timestamp or none), or Prometheus
 * {@code query_range} JSON. Line protocol and
 * Prometheus rows are the distinct timestamps in order, gaps forward-filled (cells before a metric's first value
 * take its first value). Metric ids: the field name, or {@code <measurement>.<field>} when several measurements
 * are present; for Prometheus the metric name, with its labels when a name has several series. A metric without a
 * single finite value is left out (named in {@link Table#empty()}).
 */
public final class TrainingData {
    /**
     * @param empty metrics of the file without a single finite value, left out of {@code metrics}: learnt as a
     *              constant 0 they made the model flag every window once the metric reports
     */
    public record Table(List<String> metrics, double[][] rows, List<String> empty, double filledShare, boolean timed) {
        /** The table without the share of filled values (read from it). */
        public Table(List<String> metrics, double[][] rows, List<String> empty) {
            this(metrics, rows, empty, 0, false);
        }
    }

    /** The table of these columns, without the ones that hold no value (in {@link Table#empty()}), gaps filled. */
    static Table table(List<String> names, double[][] rows) {
        return table(names, rows, false);
    }

    /**
     * As {@link #table(List, double[][])}; {@code timed}: the rows are the distinct timestamps of the input's points (line
     * protocol with timestamps, Prometheus), which option step can align, not rows as the file has them (a CSV, lines
     * without timestamps).
     */
    static Table table(List<String> names, double[][] rows, boolean timed) {
        List<String> metrics = new ArrayList<>(), empty = new ArrayList<>();
        List<Integer> keep = new ArrayList<>();
        for (int j = 0; j < names.size(); j++) {
            boolean any = false;
            for (double[] r : rows) {
                if (Double.isFinite(r[j])) {
                    any = true;
                    break;
                }
            }
            if (any || rows.length == 0) {
                metrics.add(names.get(j));
                keep.add(j);
            } else {
                empty.add(names.get(j));
            }
        }
        if (!empty.isEmpty()) {
            for (int i = 0; i < rows.length; i++) {
                double[] r = new double[keep.size()];
                for (int k = 0; k < r.length; k++) r[k] = rows[i][keep.get(k)];
                rows[i] = r;
            }
        }
        long missing = 0;
        for (double[] r : rows) for (double v : r) if (Double.isNaN(v)) missing++;
        double cells = (double) rows.length * metrics.size();
        return new Table(metrics, fillNaN(rows), empty, cells == 0 ? 0 : missing / cells, timed);
    }

    private TrainingData() {
    }

    public static Table read(Path p) throws IOException {
        return read(p, Map.of());
    }

    /** As {@link #read(Path)}; line protocol keeps only the lines whose tags include every pair of {@code tags}. */
    public static Table read(Path p, Map<String, String> tags) throws IOException {
        return read(p, tags, 0);
    }

    /**
     * As {@link #read(Path, Map)}, with the rows of line protocol and Prometheus aligned on a step of {@code stepNs}
     * (0: a row per distinct time, as before): a row per step that has a value, each metric's last value of the step
     * (in file order), as the agent assembles a window's points. Measurements gathered at times a little apart (cpu at
     * :00, mem at :01) are then one row, not two rows each holding half the metrics.
     */
    public static Table read(Path p, Map<String, String> tags, long stepNs) throws IOException {
        String n = p.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        boolean json = n.endsWith(".json") || n.endsWith(".json.gz"), csv = n.endsWith(".csv") || n.endsWith(".csv.gz");
        if (stepNs > 0 && csv) throw new IOException(p + ": option 'step' aligns the timestamps of line protocol and Prometheus"
                + " JSON; a CSV's rows are taken as they are (one row a step)");
        if (!json && !csv) return lineProtocol(p, tags, stepNs);
        if (json) return prometheus(p, tags, stepNs > 0 ? Math.max(1, stepNs / 1_000_000L) : 0); // its times are in ms
        if (!tags.isEmpty()) throw new IOException(p + ": --tag selects series of line protocol (tags) and Prometheus (labels) only");
        return csv(p);
    }

    static Table csv(Path p) throws IOException {
        CsvTable t = CsvTable.read(p, true);
        return table(t.header, t.rows);
    }

    static Table lineProtocol(Path p, Map<String, String> select, long stepNs) throws IOException {
        TimeRows rows = new TimeRows(); // columns: measurement.field
        Map<String, String[]> ids = new LinkedHashMap<>();
        Map<String, LinePoint> tagSets = new LinkedHashMap<>(); // measurement -> its first line (its tag set)
        Map<String, java.util.SortedSet<String>> tagValues = new java.util.HashMap<>(); // of the --tag keys, in the file
        String conflict = null;
        int timed = 0, untimed = 0;
        // without its byte order mark, the first line's measurement was another one ("\uFEFFcpu"): a metric more
        try (BufferedReader r = CsvTable.withoutBom(SmdLoader.open(p))) {
            String line;
            int ln = 0;
            boolean ddl = false; // influx_inspect export: "# DDL", CREATE DATABASE statements, then "# DML" and the data
            while ((line = r.readLine()) != null) {
                ln++;
                String s = line.strip();
                if (s.equals("# DDL")) ddl = true;
                else if (s.equals("# DML")) ddl = false;
                if (ddl || s.isEmpty() || s.startsWith("#")) continue;
                LinePoint lp;
                try {
                    lp = LinePoint.parse(line.strip());
                } catch (IllegalArgumentException e) {
                    throw new IOException(p + ":" + ln + ": not line protocol: " + e.getMessage());
                }
                for (Map.Entry<String, String> e : lp.tagMap().entrySet()) {
                    if (select.containsKey(e.getKey())) tagValues.computeIfAbsent(e.getKey(), k -> new java.util.TreeSet<>()).add(e.getValue());
                }
                if (!select.isEmpty() && !lp.selectedBy(select)) continue;
                // a line of strings and booleans only (a log or event measurement) gives no metric: it adds no row
                // (a copy of the previous one at its own time), no series and no measurement to qualify ids by
                if (lp.fields().values().stream().noneMatch(Double::isFinite)) continue;
                LinePoint seen = tagSets.putIfAbsent(lp.measurement(), lp);
                if (seen != null && !seen.tagMap().equals(lp.tagMap())) {
                    // reported after the whole file is read: a --tag that selects nothing is the better answer then
                    if (conflict == null) {
                        conflict = p + ":" + ln + ": measurement '" + lp.measurement() + "' has several series ("
                                + (seen.tags().isEmpty() ? "no tags" : seen.tags()) + "; " + (lp.tags().isEmpty() ? "no tags" : lp.tags())
                                + "): a model is for one group, so give one series per measurement (e.g. " + pick(seen, lp) + ")";
                    }
                    continue;
                }
                if (lp.time() == null) untimed++;
                else timed++;
                if (timed > 0 && untimed > 0) {
                    throw new IOException(p + ":" + ln + ": some lines have a timestamp and some do not");
                }
                if (untimed > 0 && stepNs > 0) {
                    throw new IOException(p + ":" + ln + ": option 'step' aligns timestamps, and this line has none");
                }
                long t = lp.time() == null ? ln : stepOf(lp.time(), stepNs);
                for (Map.Entry<String, Double> f : lp.fields().entrySet()) {
                    if (!Double.isFinite(f.getValue())) continue;
                    String key = lp.measurement() + "." + f.getKey();
                    ids.putIfAbsent(key, new String[] {lp.measurement(), f.getKey()});
                    rows.put(t, rows.column(key), f.getValue());
                }
            }
        }
        checkSelection(p, select, tagValues, "line", "tag");
        if (conflict != null) throw new IOException(conflict);
        boolean qualify = tagSets.size() > 1;
        List<String> metrics = new ArrayList<>();
        for (String k : rows.metrics()) metrics.add(qualify ? k : ids.get(k)[1]);
        return table(metrics, rows.rows(), timed > 0);
    }

    /** The --tag that picks the first of two series of a measurement: a tag whose value tells them apart. */
    private static String pick(LinePoint first, LinePoint other) {
        for (Map.Entry<String, String> e : first.tagMap().entrySet()) {
            if (!e.getValue().equals(other.tagMap().get(e.getKey()))) return "--tag " + e.getKey() + "=" + e.getValue();
        }
        for (Map.Entry<String, String> e : other.tagMap().entrySet()) {
            if (!first.tagMap().containsKey(e.getKey())) return "--tag " + e.getKey() + "=" + e.getValue();
        }
        return "--tag host=<one host>"; // not reached: the two tag sets differ
    }

    /**
     * Refuses a --tag that selected nothing: a key that no line (series) carries, or a value none has, named with
     * the values seen. Before, it gave "0 rows; training needs at least 10".
     */
    static void checkSelection(Path p, Map<String, String> select, Map<String, java.util.SortedSet<String>> seenValues,
                                       String unit, String kind) throws IOException {
        for (Map.Entry<String, String> e : select.entrySet()) {
            java.util.SortedSet<String> values = seenValues.get(e.getKey());
            String tag = "--tag " + e.getKey() + "=" + e.getValue();
            if (values == null) throw new IOException(p + ": " + tag + ": no " + unit + " has a " + kind + " " + e.getKey());
            if (!values.contains(e.getValue())) {
                List<String> seen = new ArrayList<>();
                for (String v : values) {
                    if (seen.size() == 5) {
                        seen.add("...");
                        break;
                    }
                    seen.add(e.getKey() + "=" + v);
                }
                throw new IOException(p + ": " + tag + ": no " + unit + " has it (" + String.join(", ", seen) + " seen)");
            }
        }
    }

    /**
     * A Prometheus answer's series picked by label ({@code select}), as --tag picks line protocol series by tag, rows
     * aligned on a step of {@code stepMs} (0: a row per sample time).
     */
    static Table prometheus(Path p, Map<String, String> select, long stepMs) throws IOException {
        TimeRows rows = PrometheusAnswer.read(p, select, stepMs);
        return table(rows.metrics(), rows.rows(), true);
    }

    /** The start of the step that holds {@code t} (same unit), or {@code t} itself without a step. */
    private static long stepOf(long t, long step) {
        return step > 0 ? Math.floorDiv(t, step) * step : t;
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

}
