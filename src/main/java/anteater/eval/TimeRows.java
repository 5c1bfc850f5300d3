package anteater.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
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
    private final Map<String, Integer> index = new HashMap<>();
    private final List<String> metrics = new ArrayList<>();

    /** The column of {@code metric}, a new one at its first value. */
    int column(String metric) {
        Integer j = index.get(metric);
        if (j != null) return j;
        index.put(metric, metrics.size());
        metrics.add(metric);
        return metrics.size() - 1;
    }

    void put(long time, int column, double value) {
        double[] row = byTime.get(time);
        if (row == null || row.length <= column) {
            int n = Math.max(column + 1, metrics.size());
            double[] wider = row == null ? new double[n] : Arrays.copyOf(row, n);
            Arrays.fill(wider, row == null ? 0 : row.length, n, Double.NaN);
            byTime.put(time, wider);
            row = wider;
        }
        row[column] = value;
    }

    /** The metrics in the order of their first value. */
    List<String> metrics() {
        return metrics;
    }

    /** The rows in time order, each as wide as the metric list (NaN: no value). Empties this table. */
    double[][] rows() {
        double[][] rows = new double[byTime.size()][];
        int d = metrics.size();
        int i = 0;
        while (!byTime.isEmpty()) {
            double[] row = byTime.pollFirstEntry().getValue();
            if (row.length < d) {
                int from = row.length;
                row = Arrays.copyOf(row, d);
                Arrays.fill(row, from, d, Double.NaN);
            }
            rows[i++] = row;
        }
        return rows;
    }
}
