package anteater.detect;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every option of {@code @anteater()}, for all detectors: Kapacitor asks for them once in {@code info}.
 * Detector-specific options are ignored by the other detectors.
 */
public final class OptionTable {
    private static final Map<String, OptionSpec> SPECS = new LinkedHashMap<>();

    static {
        // common
        add("detector", OptionKind.STRING, false, "ttest", "detector to run: " + String.join(" | ", Detectors.names()));
        add("field", OptionKind.STRING, true, null, "field to analyse; repeat for several (required by ttest, robustz, entropy and knncad; vae: not used, it models every numeric field)");
        add("maxGroups", OptionKind.INT, false, 1000L, "groups kept at most; the least recently seen group is dropped beyond");
        // ttest
        add("size", OptionKind.INT, false, 3600L, "ttest: values kept in each field's history of normal windows (> 1)");
        add("alpha", OptionKind.DOUBLE, false, 0.001, "ttest: a window with p-value <= alpha is anomalous, in (0, 1)");
        // vae
        add("model", OptionKind.STRING, false, "", "vae: path of a pretrained model (anteater.jar train); empty: learn online");
        add("hidden", OptionKind.STRING, false, "64,32", "vae: encoder layer sizes, e.g. '64,32' (decoder mirrors them)");
        add("latent", OptionKind.INT, false, 8L, "vae: latent size");
        add("epochs", OptionKind.INT, false, 30L, "vae: most training epochs (early stopping on a validation split)");
        add("learningRate", OptionKind.DOUBLE, false, 0.001, "vae: Adam learning rate, in (0, 1)");
        add("lags", OptionKind.INT, false, 10L, "vae: steps per model input (the step and the lags-1 before it)");
        add("clip", OptionKind.DOUBLE, false, 4.0, "vae: normalised values are clipped to [-clip, clip]");
        add("smooth", OptionKind.DOUBLE, false, 0.05, "vae: EWMA weight of the newest step score, in (0, 1]; 1: no smoothing");
        add("q", OptionKind.DOUBLE, false, 0.01, "vae: risk of the POT threshold (share of normal steps above it), in (0, 1)");
        add("threshold", OptionKind.STRING, false, "pot", "vae: pot | quantile (1-q quantile of training scores) | a fixed number");
        add("persist", OptionKind.INT, false, 600L, "vae: a metric above its calibration cap for more than N steps counts only up to the cap (accept a new level); 0: off");
        add("relearn", OptionKind.INT, false, 0L, "vae: after N consecutive anomalous windows, train a new model on them (accept a new normal); 0: never");
        add("ratio", OptionKind.DOUBLE, false, 0.5, "vae: a window is anomalous when this share of its steps is, in (0, 1]");
        add("warmup", OptionKind.INT, false, 100L, "vae: windows collected before the first online training (without 'model')");
        add("updateInterval", OptionKind.INT, false, 100L, "vae: fine-tune on normal windows every N windows; 0: never");
        add("step", OptionKind.DURATION, false, java.time.Duration.ZERO, "vae: step the metrics are aligned on; 0s: from the data");
        add("topMetrics", OptionKind.INT, false, 5L, "vae: metrics named behind each anomaly");
        add("trainThreads", OptionKind.INT, false, 1L, "vae: threads training this task's group models side by side, in [1, 64] (each uses one core)");
        // events (anteater.sink)
        add("topic", OptionKind.STRING, false, null, "events: topic of this task's anomaly events (default: Kafka.model_topic of the config)");
        add("entity", OptionKind.STRING, false, null, "events: entity_id template of {measurement}, {tags}, {<tag>} (default: {machine_id}_{measurement}_{tags})");
        add("suppress", OptionKind.DURATION, false, null, "events: the same group (measurement and tags) + metric is sent once per this interval of event time (default: Suppression.interval, 10m; 0s: every window)");
        add("eventType", OptionKind.STRING, false, "app", "events: event_type, app | sys");
        // robustz
        add("zHistory", OptionKind.INT, false, 1000L, "robustz: values kept per field for the median and MAD");
        add("zSmooth", OptionKind.INT, false, 1L, "robustz: the score is of the mean of the last N values");
        add("zThreshold", OptionKind.DOUBLE, false, 6.0, "robustz: a point is anomalous when its robust z-score exceeds this (below 1e6, the scores' cap)");
        add("zHoldoff", OptionKind.INT, false, 1000L, "robustz: points not flagged again after a flagged point (one alert per incident)");
        add("zMinHistory", OptionKind.INT, false, 30L, "robustz: values collected before scoring starts");
        add("zChange", OptionKind.BOOL, false, true, "robustz: also score each value's change from the previous one (the larger score counts)");
        // entropy
        add("eWindow", OptionKind.INT, false, 100L, "entropy: values in the sliding window whose histogram is compared with the known patterns");
        add("eBins", OptionKind.INT, false, 5L, "entropy: equal bins the calibration range is cut into");
        add("eAlpha", OptionKind.DOUBLE, false, 0.01, "entropy: risk of the chi-squared test that matches a window to a pattern, in [1e-12, 1)");
        add("eCalibration", OptionKind.INT, false, 300L, "entropy: first values of a field that fix its range (never refit)");
        add("eRecur", OptionKind.INT, false, 1L, "entropy: a window matching a pattern seen at most this many times is still anomalous");
        add("ePatterns", OptionKind.INT, false, 1000L, "entropy: patterns kept per field (ePatterns x eBins at most 1e6); beyond, the least matched is forgotten");
        add("eHoldoff", OptionKind.INT, false, 1000L, "entropy: values not flagged again after a flagged value (one alert per incident); 0: off");
        add("eSpike", OptionKind.DOUBLE, false, 6.0, "entropy: also flag a value whose robust z-score (or its change's) exceeds this (below 1e6); 0: off");
        // knncad
        add("kDim", OptionKind.INT, false, 19L, "knncad: values per pattern (the value and the kDim-1 before it)");
        add("kNeighbours", OptionKind.INT, false, 27L, "knncad: nearest reference patterns whose distances make a pattern's non-conformity");
        add("kTraining", OptionKind.INT, false, 600L, "knncad: reference patterns (the first ones, then sliding) and recent non-conformities kept");
        add("kThreshold", OptionKind.DOUBLE, false, 0.9965, "knncad: a value is anomalous when its conformal score (share of recent non-conformities below its own) reaches this, in (0, 1]");
        add("kHoldoff", OptionKind.INT, false, 120L, "knncad: values not flagged again after a flagged value (one alert per incident); 0: off");
    }

    private OptionTable() {
    }

    /** Adds an option; detectors call this from a static block in {@link Detectors}' registration. */
    public static synchronized void add(String name, OptionKind kind, boolean repeatable, Object def, String help) {
        SPECS.put(name, new OptionSpec(name, kind, repeatable, def, help));
    }

    public static synchronized List<OptionSpec> all() {
        return Collections.unmodifiableList(new ArrayList<>(SPECS.values()));
    }

    public static synchronized OptionSpec get(String name) {
        return SPECS.get(name);
    }

    /**
     * The detector an option belongs to (its help starts with that detector's name, e.g. "vae: ..."), or null for an
     * option every detector reads (field, maxGroups, the events options).
     */
    public static synchronized String owner(String name) {
        OptionSpec s = SPECS.get(name);
        if (s == null) return null;
        int colon = s.help().indexOf(':');
        if (colon <= 0) return null;
        String prefix = s.help().substring(0, colon);
        return Detectors.names().contains(prefix) ? prefix : null;
    }

    static Object defaultOf(String name) {
        OptionSpec s = get(name);
        if (s == null) throw new IllegalArgumentException("no such option: " + name);
        return s.defaultValue();
    }

    static Duration durationDefault(String name) {
        return (Duration) defaultOf(name);
    }
}
