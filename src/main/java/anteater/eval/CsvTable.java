package anteater.eval;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A numeric CSV with a header line of column names, read as CSV (quoted names and cells, surrounding spaces
 * trimmed, a UTF-8 byte order mark dropped). Empty cells and non-finite numbers are missing (NaN), whether
 * written as Java writes them ({@code NaN}, {@code Infinity}) or as numpy, pandas and R do ({@code nan}, {@code inf},
 * {@code -inf}, {@code Inf}); so is a number beyond the double range such as {@code 1e400}. A column of the
 * rows' time ({@link #isTimeColumn}) is dropped when asked, whatever it holds, and so are the influx CLI's series
 * columns ({@link #isSeriesColumn}) when they hold one series. A column name given twice
 * is refused; so is a cell that is not a number, with its file and line.
 */
public final class CsvTable {
    private static final CsvMapper CSV = CsvMapper.builder()
            .enable(CsvParser.Feature.WRAP_AS_ARRAY)
            .enable(CsvParser.Feature.TRIM_SPACES)
            .build();

    public final List<String> header;
    public final double[][] rows;

    private CsvTable(List<String> header, double[][] rows) {
        this.header = header;
        this.rows = rows;
    }

    /** The reader past a UTF-8 byte order mark, if the text starts with one (Windows' Notepad writes it). */
    static BufferedReader withoutBom(BufferedReader r) throws IOException {
        r.mark(1);
        if (r.read() != '\uFEFF') r.reset();
        return r;
    }

    /**
     * Whether a column is the rows' time: {@code time}, {@code timestamp}, {@code _time} (InfluxDB's CSV export),
     * {@code ts}, {@code date} or {@code datetime}, any case. Only time and timestamp were known: a {@code ts}
     * column of epoch seconds was trained on as a metric, a {@code _time} column refused as not a number.
     */
    public static boolean isTimeColumn(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "time", "timestamp", "_time", "ts", "date", "datetime" -> true;
            default -> false;
        };
    }

    /** Whether a column of an annotated CSV holds a metric: a number (double, long, unsignedLong), not its table. */
    private static boolean numericType(String type, String name) {
        return !name.equals("table") && (type.equals("double") || type.equals("long") || type.equals("unsignedLong"));
    }

    /**
     * Whether a column names the rows' series as InfluxDB 1.x's CLI writes CSV ({@code influx -format csv}): {@code name}
     * (the measurement) and, with GROUP BY a tag, {@code tags} ({@code host=web1}). Text, not metrics: one value in
     * the whole file is dropped, another one refused. They were refused as "column name is not a number: 'cpu'".
     */
    public static boolean isSeriesColumn(String name) {
        return name.equals("name") || name.equals("tags");
    }

    /**
     * Whether a cell spells a non-finite number the way other tools write one: {@code nan}, {@code inf},
     * {@code -inf}, {@code Infinity} in any case (numpy's savetxt and pandas' to_csv write {@code nan} and
     * {@code inf}, R {@code Inf}), which Java's own parser refuses but for {@code NaN} and {@code Infinity}.
     */
    static boolean nonFinite(String c) {
        String u = (c.startsWith("+") || c.startsWith("-") ? c.substring(1) : c).toLowerCase(Locale.ROOT);
        return u.equals("nan") || u.equals("inf") || u.equals("infinity");
    }

    public static CsvTable read(Path p, boolean dropTime) throws IOException {
        long next = 1; // the line the row being read starts on (a quoted cell may hold line breaks)
        try (BufferedReader r = withoutBom(SmdLoader.open(p));
             MappingIterator<String[]> it = CSV.readerFor(String[].class).with(CsvSchema.emptySchema()).readValues(r)) {
            if (!it.hasNextValue()) throw new IOException(p + ": empty file");
            String[] names = it.nextValue();
            // InfluxDB 2's annotated CSV: #group, #datatype and #default rows before the header
            String[] types = null;
            long headerLine = 1;
            while (dropTime && names.length > 0 && names[0].startsWith("#")) {
                if (names[0].equals("#datatype")) types = names;
                if (!it.hasNextValue()) throw new IOException(p + ": annotation rows only, no header");
                names = it.nextValue();
                headerLine = it.getCurrentLocation().getLineNr() - 1;
            }
            boolean annotated = types != null && types.length == names.length;
            if (annotated && List.of(names).contains("_value") && List.of(names).contains("_field")) {
                throw new IOException(p + ":" + headerLine + ": InfluxDB annotated CSV with one value a row (_field, _value): train"
                        + " needs a column per metric; pivot it in the query (|> pivot(rowKey: [\"_time\"], columnKey:"
                        + " [\"_field\"], valueColumn: \"_value\")) or export line protocol");
            }
            if (names.length == 1) {
                for (char sep : new char[] {';', '\t', '|'}) {
                    if (names[0].indexOf(sep) >= 0) {
                        throw new IOException(p + ":1: the header is one column, '" + names[0] + "': the file seems separated by "
                                + (sep == '\t' ? "tabs" : "'" + sep + "'") + ", and CSV is read with commas");
                    }
                }
            }
            List<String> header = new ArrayList<>();
            boolean[] keep = new boolean[names.length], seriesCol = new boolean[names.length];
            Set<String> seen = new HashSet<>();
            for (int j = 0; j < names.length; j++) {
                String n = names[j];
                if (annotated && !numericType(types[j], n)) {
                    // the annotation column, result, table, _start, _stop, _time: dropped; string columns (_measurement,
                    // the tags): one series only
                    seriesCol[j] = types[j].equals("string") && j > 0 && !n.equals("result");
                    continue;
                }
                if (n.isEmpty()) {
                    throw new IOException(p + ":" + headerLine + ": column " + (j + 1) + " has no name" + (j == 0
                            ? " (pandas' to_csv writes an unnamed index so: pass index=False, or name the index time)" : ""));
                }
                boolean time = isTimeColumn(n);
                // a date and a time column are both dropped; the same time column twice (time, Time) is refused
                if (!seen.add(time ? "\0" + n.toLowerCase(Locale.ROOT) : n)) {
                    throw new IOException(p + ":1: " + (time ? "more than one time column named " + n.toLowerCase(Locale.ROOT)
                            : "column '" + n + "' is named twice"));
                }
                seriesCol[j] = dropTime && isSeriesColumn(n);
                keep[j] = !(dropTime && (time || seriesCol[j]));
                if (keep[j]) header.add(n);
            }
            String[] series = new String[names.length]; // the first value of each series column, and its line
            long[] seriesLine = new long[names.length];
            List<double[]> rows = new ArrayList<>();
            next = it.getCurrentLocation().getLineNr(); // where the next row starts (after the header's newline)
            while (it.hasNextValue()) {
                long line = next;
                String[] cells = it.nextValue();
                next = it.getCurrentLocation().getLineNr();
                if (cells.length == 1 && cells[0].isEmpty()) continue; // a blank line
                // the next table of an annotated CSV: its annotations and header again
                if (annotated && (cells[0].startsWith("#") || java.util.Arrays.equals(cells, names))) continue;
                if (cells.length != names.length) {
                    throw new IOException(p + ":" + line + ": " + cells.length + " columns, header has " + names.length);
                }
                double[] row = new double[header.size()];
                for (int j = 0, k = 0; j < cells.length; j++) {
                    if (seriesCol[j]) {
                        if (series[j] == null) {
                            series[j] = cells[j];
                            seriesLine[j] = line;
                        } else if (!series[j].equals(cells[j])) {
                            throw new IOException(p + ":" + line + ": column " + names[j] + " holds another series ('" + cells[j]
                                    + "'; line " + seriesLine[j] + ": '" + series[j] + "'): a model is for one group, so export one"
                                    + " series (a WHERE on its tags, one measurement per query)");
                        }
                    }
                    if (!keep[j]) continue;
                    String c = cells[j];
                    double v;
                    try {
                        v = c.isEmpty() || nonFinite(c) ? Double.NaN : Double.parseDouble(c);
                    } catch (NumberFormatException e) {
                        throw new IOException(p + ":" + line + ": column " + names[j] + " is not a number: '" + c + "'");
                    }
                    row[k++] = Double.isFinite(v) ? v : Double.NaN;
                }
                rows.add(row);
            }
            return new CsvTable(header, rows.toArray(new double[0][]));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IOException(p + ":" + next + ": not a readable CSV file: " + e.getOriginalMessage()
                    + (e.getOriginalMessage().startsWith("Missing closing quote") ? " (a quote opens in the row that starts on this line)" : ""));
        }
    }
}
