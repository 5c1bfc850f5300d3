package anteater.detect;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One window's tally of one field for the univariate detectors (robustz, entropy, knncad): the values scored, the
 * largest score, the values flagged after the hold-off, and the first flagged value; then the window's verdict
 * (tags plus {@code field=<name>}; anomaly_score, threshold, is_anomaly, anomaly_count, total_count) and, when
 * something was flagged, its {@link Anomaly}.
 */
final class FieldTally {
    int scored;
    int flagged;
    double max;
    double firstValue = Double.NaN;
    double firstScore;
    /** Whether the last value noted was flagged. */
    boolean justFlagged;

    /**
     * Notes one scored value. An anomalous value is flagged unless the field is quiet (held off after an earlier
     * flag); a flag makes the field quiet for {@code holdoff} values. Returns the field's new quiet count.
     */
    long note(long quiet, boolean anomalous, long holdoff, double score, double value) {
        scored++;
        max = Math.max(max, score);
        justFlagged = false;
        if (quiet > 0) return quiet - 1;
        if (!anomalous) return 0;
        justFlagged = true;
        if (flagged++ == 0) {
            firstValue = value;
            firstScore = score;
        }
        return holdoff;
    }

    /**
     * The window's verdict for the field, or null when no value was scored. {@code extra} fields follow the common
     * ones; {@code description} (read only when something was flagged) and {@code contribution}, a format of the
     * largest score, describe the anomaly.
     */
    Verdict verdict(Window w, String detector, String field, double threshold, Map<String, Object> extra, Series s,
                    java.util.function.Supplier<String> description, String contribution) {
        if (scored == 0) return null;
        boolean anomalous = flagged > 0;
        Map<String, String> tags = new LinkedHashMap<>(w.tags());
        tags.put("field", field);
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("anomaly_score", max);
        f.put("threshold", threshold);
        f.put("is_anomaly", anomalous);
        f.put("anomaly_count", (long) flagged);
        f.put("total_count", (long) scored);
        f.putAll(extra);
        Anomaly a = null;
        if (anomalous) {
            // stamped with the window's tmax like every detector's event (docs/kafka.md): Timestamp - duration is
            // then the window's start, which RCA (Onset, Correlation) relies on
            a = new Anomaly(detector, w.name(), w.tags(), w.tmax(), TTestDetector.spanSeconds(w), field, max, flagged, scored,
                    List.of(new Contribution(field, max, String.format(Locale.ROOT, contribution, max))), description.get(),
                    Arrays.copyOf(s.valuesArray(), s.size()));
        }
        return new Verdict(w.name(), w.tmax(), tags, f, a);
    }
}
