package anteater.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * NAB layout: {@code <folder>/<file>.csv} ({@code timestamp,value}) and {@code combined_windows.json}. NAB's
 * probation period (the first 15% of each file, at most 750 rows) is the training part; the rest is judged, labelled 1 inside a window.
 * The series name is {@code <folder>/<file stem>}.
 */
public final class NabLoader {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(NabLoader.class);
    public static final double PROBATION = 0.15;
    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss[.SSSSSS]");

    private NabLoader() {
    }

    /** A NAB series with its anomaly windows, in ns. */
    public record Labelled(Dataset data, List<long[]> windows) {
    }

    public static List<Dataset> load(Path dir, String only) throws IOException {
        List<Dataset> out = new ArrayList<>();
        for (Labelled l : loadLabelled(dir, only)) out.add(l.data());
        return out;
    }

    public static List<Labelled> loadLabelled(Path dir, String only) throws IOException {
        Path wfile = dir.resolve("combined_windows.json");
        if (!Files.exists(wfile)) throw new IOException("no combined_windows.json in " + dir);
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(wfile.toFile());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            com.fasterxml.jackson.core.JsonLocation at = e.getLocation();
            throw new IOException(wfile + (at == null ? "" : ":" + at.getLineNr()) + ": not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new IOException(wfile + ": expected an object of \"<folder>/<file>.csv\": [[start, end], ...]");
        }
        List<Labelled> out = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) keys.add(it.next());
        keys.sort(null);
        SeriesFilter filter = SeriesFilter.of(only);
        for (String key : keys) {
            // the series name becomes the output path <out>/<name>.csv: an absolute key or one with ".." would name a
            // file outside --out, such as the input file itself, which eval would then overwrite with its scores
            Path k = Path.of(key);
            if (k.isAbsolute() || k.getRoot() != null || !k.normalize().equals(k) || k.normalize().startsWith("..")
                    || key.contains("\\")) {
                throw new IOException(wfile + ": \"" + key + "\": a file must be named by a relative path inside " + dir
                        + " (such as realKnownCause/nyc_taxi.csv)");
            }
        }
        List<String> present = new ArrayList<>();
        for (String key : keys) {
            if (Files.exists(dir.resolve(key))) present.add(key.endsWith(".csv") ? key.substring(0, key.length() - 4) : key);
        }
        filter.checkAllFound(present, dir);
        // a labelled file that is not there (a partial copy of the corpus, a misspelt key) is not scored: say so, as
        // the NAB score is then over fewer files than the labels name
        List<String> absent = new ArrayList<>();
        for (String key : keys) {
            String name = key.endsWith(".csv") ? key.substring(0, key.length() - 4) : key;
            if (filter.accepts(name) && !Files.exists(dir.resolve(key))) absent.add(key);
        }
        if (!absent.isEmpty()) {
            LOG.warn("{}: {} of its {} files are not in {}, not scored: {}{}", wfile.getFileName(), absent.size(), keys.size(),
                    dir, String.join(", ", absent.subList(0, Math.min(3, absent.size()))), absent.size() > 3 ? ", ..." : "");
        }
        for (String key : keys) {
            String name = key.endsWith(".csv") ? key.substring(0, key.length() - 4) : key;
            if (!filter.accepts(name)) continue;
            Path csv = dir.resolve(key);
            if (!Files.exists(csv)) continue;
            List<long[]> wins = windows(wfile, key, root.get(key));
            List<Long> times = new ArrayList<>();
            List<Double> values = new ArrayList<>();
            readSeries(csv, times, values);
            int n = times.size();
            // NAB's probation period (min(floor(0.15 n), 750) rows): every row NAB scores is a test row
            int nTrain = NabScore.probation(n);
            double[][] train = new double[nTrain][1];
            double[][] test = new double[n - nTrain][1];
            long[] tt = new long[nTrain], st = new long[n - nTrain];
            int[] labels = new int[n - nTrain];
            for (int i = 0; i < n; i++) {
                long t = times.get(i);
                if (i < nTrain) {
                    train[i][0] = values.get(i);
                    tt[i] = t;
                } else {
                    test[i - nTrain][0] = values.get(i);
                    st[i - nTrain] = t;
                    for (long[] w : wins) if (t >= w[0] && t <= w[1]) labels[i - nTrain] = 1;
                }
            }
            out.add(new Labelled(new Dataset(name, List.of("value"), train, test, labels, tt, st), wins));
        }
        if (out.isEmpty()) throw new IOException("no NAB series found in " + dir);
        return out;
    }

    /** The labelled windows of one file: an array of [start, end] timestamp pairs, start not after end. */
    private static List<long[]> windows(Path wfile, String key, JsonNode list) throws IOException {
        String where = wfile + ": \"" + key + "\": ";
        if (!list.isArray()) throw new IOException(where + "expected a list of [start, end] windows, got " + list);
        List<long[]> wins = new ArrayList<>();
        for (JsonNode w : list) {
            if (!w.isArray() || w.size() != 2 || !w.get(0).isTextual() || !w.get(1).isTextual()) {
                throw new IOException(where + "a window must be [\"start\", \"end\"], got " + w);
            }
            long a, b;
            try {
                a = ns(w.get(0).asText());
                b = ns(w.get(1).asText());
            } catch (java.time.format.DateTimeParseException e) {
                throw new IOException(where + "bad timestamp '" + e.getParsedString() + "' (expected yyyy-MM-dd HH:mm:ss[.SSSSSS])");
            }
            if (a > b) throw new IOException(where + "window " + w + " ends before it starts");
            wins.add(new long[] {a, b});
        }
        return wins;
    }

    /** A NAB data file: a header line, then {@code timestamp,value} rows; errors name the file and line. */
    private static void readSeries(Path csv, List<Long> times, List<Double> values) throws IOException {
        // decoded as the other loaders do (SmdLoader.open): a byte that is not UTF-8 ended eval with "Input length = 1"
        try (BufferedReader r = SmdLoader.open(csv)) {
            String line = r.readLine();
            int no = 1;
            while ((line = r.readLine()) != null) {
                no++;
                if (line.isBlank()) continue;
                int c = line.indexOf(',');
                if (c < 0) throw new IOException(csv + ":" + no + ": expected timestamp,value, got '" + line + "'");
                long t;
                try {
                    t = ns(line.substring(0, c));
                } catch (java.time.format.DateTimeParseException e) {
                    throw new IOException(csv + ":" + no + ": bad timestamp '" + line.substring(0, c).trim()
                            + "' (expected yyyy-MM-dd HH:mm:ss[.SSSSSS])");
                }
                double v;
                try {
                    v = Double.parseDouble(line.substring(c + 1).trim());
                } catch (NumberFormatException e) {
                    throw new IOException(csv + ":" + no + ": value is not a number: '" + line.substring(c + 1).trim() + "'");
                }
                // rows are kept in file order even when time steps back: NAB's own machine_temperature_system_failure
                // repeats an hour (row 10151), and NAB scores it as it stands
                times.add(t);
                values.add(v);
            }
        }
        if (times.isEmpty()) throw new IOException(csv + ": no data rows");
    }

    static long ns(String ts) {
        LocalDateTime t = LocalDateTime.parse(ts.trim(), TS);
        return t.toEpochSecond(ZoneOffset.UTC) * 1_000_000_000L + t.getNano();
    }

}
