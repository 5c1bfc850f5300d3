package anteater.detect;

import java.util.Arrays;

/** The finite values of one field within one window, in arrival order, with their times (ns). */
public final class Series {
    private final String field;
    private long[] times;
    private double[] values;
    private int size;
    private int nonFinite;

    public Series(String field, int capacityHint) {
        this.field = field;
        int cap = Math.max(8, capacityHint);
        this.times = new long[cap];
        this.values = new double[cap];
    }

    /** Adds a value; NaN and infinities are counted and left out. */
    public void add(long timeNs, double value) {
        if (!Double.isFinite(value)) {
            nonFinite++;
            return;
        }
        if (size == values.length) {
            int cap = size * 2;
            times = Arrays.copyOf(times, cap);
            values = Arrays.copyOf(values, cap);
        }
        times[size] = timeNs;
        values[size] = value;
        size++;
    }

    public String field() { return field; }
    public int size() { return size; }
    public int nonFinite() { return nonFinite; }
    public double value(int i) { return values[i]; }
    public long time(int i) { return times[i]; }

    /** The backing value array; only the first {@link #size()} entries are meaningful. */
    public double[] valuesArray() { return values; }
    public long[] timesArray() { return times; }
}
