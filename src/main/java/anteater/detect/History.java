package anteater.detect;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;

/** The last {@code capacity} values of one field from windows judged normal: a ring buffer that grows lazily. */
public final class History {
    private final int capacity;
    private double[] ring;
    private int start;
    private int size;
    /** Time of the newest value added from a series (in memory only: a restored history takes its next window whole). */
    private long newest = Long.MIN_VALUE;

    public History(int capacity) {
        if (capacity < 2) throw new IllegalArgumentException("capacity must be > 1");
        this.capacity = capacity;
        this.ring = new double[Math.min(capacity, 64)];
    }

    public int size() { return size; }
    public int capacity() { return capacity; }

    /** Appends values[0..n), dropping the oldest beyond capacity. */
    public void addAll(double[] values, int n) {
        int from = Math.max(0, n - capacity);
        for (int i = from; i < n; i++) add(values[i]);
    }

    /**
     * Appends the values of a window's series that are newer than every value added before from one, so that
     * overlapping windows ({@code .period(10m).every(1m)}) add each value once, not once per window that holds it.
     */
    public void addNewer(Series s) {
        int n = s.size();
        long before = newest;
        for (int i = 0; i < n; i++) newest = Math.max(newest, s.time(i));
        if (before == Long.MIN_VALUE) {
            addAll(s.valuesArray(), n);
            return;
        }
        for (int i = 0; i < n; i++) if (s.time(i) > before) add(s.value(i));
    }

    public void add(double v) {
        if (size < capacity) {
            if (size == ring.length) grow();
            ring[(start + size) % ring.length] = v;
            size++;
        } else {
            ring[start] = v;
            start = (start + 1) % ring.length;
        }
    }

    private void grow() {
        double[] next = new double[Math.min(capacity, ring.length * 2)];
        for (int i = 0; i < size; i++) next[i] = ring[(start + i) % ring.length];
        ring = next;
        start = 0;
    }

    public double get(int i) {
        return ring[(start + i) % ring.length];
    }

    /** Mean and sample variance (n - 1), two-pass for accuracy. Returns {mean, variance}. */
    public double[] meanAndVariance() {
        return Stats.meanAndVariance(i -> get(i), size);
    }

    /** Mean and sample variance of the values taken times {@code scale}. Returns {mean, variance}. */
    public double[] meanAndVariance(double scale) {
        return Stats.meanAndVariance(i -> get(i) * scale, size);
    }

    /** The largest absolute value held (0 when empty). */
    public double maxAbs() {
        double max = 0;
        for (int i = 0; i < size; i++) max = Math.max(max, Math.abs(get(i)));
        return max;
    }

    public void save(DataOutputStream out) throws IOException {
        out.writeInt(size);
        for (int i = 0; i < size; i++) out.writeDouble(get(i));
    }

    public static History load(DataInputStream in, int capacity) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > 100_000_000) throw new IOException("bad history length " + n);
        History h = new History(capacity);
        for (int i = 0; i < n; i++) h.add(in.readDouble());
        return h;
    }

    @Override
    public String toString() {
        double[] a = new double[size];
        for (int i = 0; i < size; i++) a[i] = get(i);
        return Arrays.toString(a);
    }
}
