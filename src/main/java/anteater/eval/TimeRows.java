package anteater.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Training rows while a file is read: time -> one value per metric, the metrics numbered as they first appear.
 * A row is a {@code double[]} (NaN where a metric has no value at that time), so a value costs 8 bytes plus its
 * row's share of about 80, where a map per time with boxed values cost about 120 bytes a value (a line protocol
 * file of 7.6 million values needed more than a 512 MB heap to be read). The last value put for a metric at a
 * time wins.
 */
final class TimeRows {
    private final TreeMap<Long, double[]> byTime = new TreeMap<>();
    /** metric -> its column, in the order of first values. */
    private final Map<String, Integer> columns = new LinkedHashMap<>();

    /** The column of {@code metric}, a new one at its first value. */
    int column(String metric) {
        Integer j = columns.get(metric); // once per value read: no lambda to allocate
        if (j != null) return j;
        columns.put(metric, columns.size());
        return columns.size() - 1;
    }

    /** Puts a value in a column that {@link #column} gave. */
    void put(long time, int column, double value) {
        double[] row = byTime.get(time);
        if (row == null || row.length <= column) {
            row = widened(row, columns.size()); // as wide as the metrics known now, so the next ones rarely copy it
            byTime.put(time, row);
        }
        row[column] = value;
    }

    /** The metrics in the order of their first value. */
    List<String> metrics() {
        return new ArrayList<>(columns.keySet());
    }

    /** The rows in time order, each as wide as the metric list (NaN: no value). Empties this table. */
    double[][] rows() {
        double[][] rows = new double[byTime.size()][];
        int i = 0;
        while (!byTime.isEmpty()) rows[i++] = widened(byTime.pollFirstEntry().getValue(), columns.size());
        return rows;
    }

    /** {@code row} (null: none) at least {@code width} wide, the new cells NaN. */
    private static double[] widened(double[] row, int width) {
        int from = row == null ? 0 : row.length;
        if (from >= width) return row;
        double[] wider = row == null ? new double[width] : Arrays.copyOf(row, width);
        Arrays.fill(wider, from, width, Double.NaN);
        return wider;
    }
}
