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
        JsonNode root = new ObjectMapper().readTree(wfile.toFile());
        List<Labelled> out = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) keys.add(it.next());
        keys.sort(null);
        SeriesFilter filter = SeriesFilter.of(only);
        List<String> present = new ArrayList<>();
        for (String key : keys) {
            if (Files.exists(dir.resolve(key))) present.add(key.endsWith(".csv") ? key.substring(0, key.length() - 4) : key);
        }
        filter.checkAllFound(present, dir);
        for (String key : keys) {
            String name = key.endsWith(".csv") ? key.substring(0, key.length() - 4) : key;
            if (!filter.accepts(name)) continue;
            Path csv = dir.resolve(key);
            if (!Files.exists(csv)) continue;
            List<long[]> wins = new ArrayList<>();
            for (JsonNode w : root.get(key)) wins.add(new long[] {ns(w.get(0).asText()), ns(w.get(1).asText())});
            List<Long> times = new ArrayList<>();
            List<Double> values = new ArrayList<>();
            try (BufferedReader r = Files.newBufferedReader(csv)) {
                String line = r.readLine();
                while ((line = r.readLine()) != null) {
                    if (line.isBlank()) continue;
                    int c = line.indexOf(',');
                    times.add(ns(line.substring(0, c)));
                    values.add(Double.parseDouble(line.substring(c + 1).trim()));
                }
            }
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

    static long ns(String ts) {
        LocalDateTime t = LocalDateTime.parse(ts.trim(), TS);
        return t.toEpochSecond(ZoneOffset.UTC) * 1_000_000_000L + t.getNano();
    }

}
