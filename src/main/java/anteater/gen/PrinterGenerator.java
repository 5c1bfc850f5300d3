package anteater.gen;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

/**
 * The 3D printer of Kapacitor's anomaly detection guide: one point per second of measurement {@code temperatures}
 * with one field per sensor, values drawn from Normal(target + offset, sigma) as the {@link Schedule} says, as
 * InfluxDB line protocol with second precision. Deterministic for a given seed.
 */
public final class PrinterGenerator {
    /** 2016-01-01T00:00:00Z, the start of the guide's data. */
    public static final long GUIDE_START = 1_451_606_400L;
    public static final String MEASUREMENT = "temperatures";

    private final Schedule schedule;
    private final long seed;
    private final long durationSec;
    private final long startEpochSec;
    private final String printer;

    /**
     * @param durationSec   length of the data; {@code durationSec + 1} points are made (t = 0 .. durationSec) so
     *                      that the window ending at {@code durationSec} is closed by a later point
     * @param startEpochSec time of the first point, in seconds since the epoch
     * @param printer       value of the {@code printer} tag
     */
    public PrinterGenerator(Schedule schedule, long seed, long durationSec, long startEpochSec, String printer) {
        if (durationSec <= 0) throw new IllegalArgumentException("duration must be > 0 seconds, got " + durationSec);
        if (printer == null || printer.isEmpty() || !printer.matches("[A-Za-z0-9_.-]+")) {
            throw new IllegalArgumentException("printer tag must be letters, digits, '_', '.', '-', got '" + printer + "'");
        }
        this.schedule = schedule;
        this.seed = seed;
        this.durationSec = durationSec;
        this.startEpochSec = startEpochSec;
        this.printer = printer;
    }

    public long points() {
        return durationSec + 1;
    }

    public long startEpochSec() {
        return startEpochSec;
    }

    public long endEpochSec() {
        return startEpochSec + durationSec;
    }

    public Schedule schedule() {
        return schedule;
    }

    public List<Schedule.Fault> faults() {
        return schedule.faults(durationSec + 1);
    }

    /** Calls {@code out} with each line (no newline), in time order. */
    public void forEachLine(Consumer<String> out) {
        List<String> sensors = schedule.sensors();
        int n = sensors.size();
        double[] target = new double[n];
        double[] sigma = new double[n];
        double[] offset = new double[n];
        List<List<Schedule.Step>> pending = new ArrayList<>();
        int[] next = new int[n];
        for (int k = 0; k < n; k++) {
            target[k] = schedule.target(sensors.get(k));
            pending.add(schedule.steps(sensors.get(k)));
        }
        Random rnd = new Random(seed);
        String prefix = MEASUREMENT + ",printer=" + printer + " ";
        StringBuilder sb = new StringBuilder(96);
        for (long i = 0; i <= durationSec; i++) {
            sb.setLength(0);
            sb.append(prefix);
            for (int k = 0; k < n; k++) {
                List<Schedule.Step> steps = pending.get(k);
                while (next[k] < steps.size() && steps.get(next[k]).atSec() <= i) {
                    Schedule.Step s = steps.get(next[k]++);
                    sigma[k] = s.sigma();
                    offset[k] = s.offset();
                }
                double v = target[k] + offset[k] + sigma[k] * rnd.nextGaussian();
                if (k > 0) sb.append(',');
                sb.append(sensors.get(k)).append('=');
                appendFixed3(sb, v);
            }
            sb.append(' ').append(startEpochSec + i);
            out.accept(sb.toString());
        }
    }

    /** All lines, in time order. */
    public List<String> lines() {
        List<String> out = new ArrayList<>((int) Math.min(points(), Integer.MAX_VALUE - 8));
        forEachLine(out::add);
        return out;
    }

    /** Writes every line followed by a newline. */
    public void writeTo(Appendable out) throws IOException {
        try {
            forEachLine(l -> {
                try {
                    out.append(l).append('\n');
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** Three decimals, no exponent, locale-free. */
    static void appendFixed3(StringBuilder sb, double v) {
        long milli = Math.round(v * 1000.0);
        if (milli < 0) {
            sb.append('-');
            milli = -milli;
        }
        sb.append(milli / 1000).append('.');
        long frac = milli % 1000;
        if (frac < 100) sb.append('0');
        if (frac < 10) sb.append('0');
        sb.append(frac);
    }
}
