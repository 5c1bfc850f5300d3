package anteater.eval;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * Server Machine Dataset layout: {@code <name>_train.csv.gz}, {@code <name>_test.csv.gz} (header = metric ids)
 * and {@code <name>_test_label.csv.gz} (one 0/1 a line). Rows are one minute apart from a fixed start.
 */
public final class SmdLoader {
    public static final long T0_NS = 1_600_000_000_000_000_000L;
    public static final long STEP_NS = 60_000_000_000L;

    private SmdLoader() {
    }

    public static List<Dataset> load(Path dir, String only) throws IOException {
        List<String> names = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith("_train.csv.gz"))
                    .map(n -> n.substring(0, n.length() - "_train.csv.gz".length())).sorted().forEach(names::add);
        }
        if (names.isEmpty()) throw new IOException("no <name>_train.csv.gz files in " + dir);
        SeriesFilter filter = SeriesFilter.of(only);
        filter.checkAllFound(names, dir);
        List<Dataset> out = new ArrayList<>();
        for (String n : names) {
            if (!filter.accepts(n)) continue;
            List<String> header = new ArrayList<>();
            double[][] train = readCsv(dir.resolve(n + "_train.csv.gz"), header);
            List<String> h2 = new ArrayList<>();
            double[][] test = readCsv(dir.resolve(n + "_test.csv.gz"), h2);
            if (!header.equals(h2)) throw new IOException(n + ": train and test headers differ");
            Path lf = dir.resolve(n + "_test_label.csv.gz");
            int[] labels = readLabels(lf);
            if (labels.length != test.length) {
                throw new IOException(lf + ": " + labels.length + " labels for the " + test.length + " rows of "
                        + dir.resolve(n + "_test.csv.gz") + " (one label a row)");
            }
            long[] tt = new long[train.length], st = new long[test.length];
            for (int i = 0; i < tt.length; i++) tt[i] = T0_NS + i * STEP_NS;
            for (int i = 0; i < st.length; i++) st[i] = T0_NS + (tt.length + i) * STEP_NS;
            out.add(new Dataset(n, header, train, test, labels, tt, st));
        }
        return out;
    }

    static BufferedReader open(Path p) throws IOException {
        // gzip is told by its magic bytes, not the name: a gzip file named .csv (or .CSV.GZ) was read as text
        InputStream in = new java.io.BufferedInputStream(Files.newInputStream(p), 1 << 16);
        in.mark(2);
        boolean gzip = in.read() == 0x1f && in.read() == 0x8b;
        in.reset();
        if (gzip) in = new GZIPInputStream(in, 1 << 16);
        return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
    }

    /** A numeric CSV with a header line (see {@link CsvTable}); fills {@code header}. */
    public static double[][] readCsv(Path p, List<String> header) throws IOException {
        CsvTable t = CsvTable.read(p, false);
        header.addAll(t.header);
        return t.rows;
    }

    static int[] readLabels(Path p) throws IOException {
        List<Integer> l = new ArrayList<>();
        try (BufferedReader r = CsvTable.withoutBom(open(p))) {
            String line;
            int no = 0;
            while ((line = r.readLine()) != null) {
                no++;
                line = line.trim();
                if (line.isEmpty()) continue;
                double v;
                try {
                    v = Double.parseDouble(line);
                } catch (NumberFormatException e) {
                    v = Double.NaN;
                }
                // 0 or 1 only: a score (0.7) was taken as 1 and NaN as 0, silently
                if (v != 0 && v != 1) throw new IOException(p + ":" + no + ": a label must be 0 or 1, got '" + line + "'");
                l.add((int) v);
            }
        }
        return l.stream().mapToInt(Integer::intValue).toArray();
    }
}
