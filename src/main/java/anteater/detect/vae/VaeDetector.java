package anteater.detect.vae;

import anteater.detect.Anomaly;
import anteater.detect.Contribution;
import anteater.detect.Detector;
import anteater.detect.GroupTable;
import anteater.detect.OptionException;
import anteater.detect.Options;
import anteater.detect.Verdict;
import anteater.detect.Window;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * gala-anteater's VAE over all numeric fields of a group (one machine): each window becomes rows of metric
 * vectors (see {@link StepAssembler}), each row is scored by its reconstruction error, a row above the threshold
 * is an anomalous step, and a window is anomalous when the share of anomalous steps reaches {@code ratio}.
 *
 * <p>With option {@code model} every group uses that pretrained model. Without it each group learns online: the
 * first {@code warmup} windows are collected, a model is trained on a background thread (windows meanwhile get
 * {@code warming_up=true} and are never anomalous), and every {@code updateInterval} windows a copy is
 * fine-tuned on the windows judged normal since the last update and swapped in. Models and thresholds are
 * installed only on the calling thread, between windows.
 */
public final class VaeDetector implements Detector {
    private static final Logger LOG = LoggerFactory.getLogger(VaeDetector.class);
    /** 6: the pretrained model's fingerprint ({@link #fingerprint}); 5: wide rows as doubles; 4: relearn; 3: persist. */
    static final int STATE_VERSION = 6;
    /** Rows kept for training or fine-tuning, per group. */
    static final int MAX_BUFFER = 20_000;
    /** Values kept for training or fine-tuning, per group and buffer (8 MB): a wide group keeps fewer rows. */
    static final int MAX_BUFFER_VALUES = 1_000_000;

    /** The rows a buffer of rows of {@code width} metrics keeps at most. */
    static int maxRows(int width) {
        return Math.max(2, Math.min(MAX_BUFFER, MAX_BUFFER_VALUES / Math.max(1, width)));
    }
    /**
     * Steps in a row with no value at all that still get a (forward-filled) row: the model's lags, beyond which its
     * input no longer changes, and at least {@value #MIN_FILL_STEPS}, so that ordinary gaps are filled as they were.
     * The steps after are skipped: a window spanning a long gap is not a row a step.
     */
    static int maxFill(int lags) {
        return Math.max(lags, MIN_FILL_STEPS);
    }

    static final int MIN_FILL_STEPS = 64;

    /** Rows a fine-tuning needs at least. */
    static final int MIN_FINE_TUNE_ROWS = 64;
    static final int FINE_TUNE_EPOCHS = 3;
    static final int MAX_METRICS = 10_000;

    /** Sees every scored window's step scores (used by the evaluation). */
    public interface StepListener {
        void steps(Window w, long[] times, double[] scores, double threshold);
    }

    private final VaeConfig config;

    /** How a group's rows become a model; a test may swap it to make trainings fail. */
    interface Trainer {
        VaeModel train(double[][] rows, List<String> metrics, VaeConfig config);
    }

    Trainer fit = (rows, metrics, c) -> VaeTrainer.train(rows, metrics, c, VaeTrainer.SILENT);

    /** A failed first training is tried again after warmup x 2^(failures - 1) more windows, at most this many warm-ups. */
    static final int MAX_RETRY_WARMUPS = 16;
    private final Threshold threshold;
    private final double smooth;
    private final double ratio;
    private final int warmup;
    private final int updateInterval;
    private final long stepOption;
    private final int topMetrics;
    private int persist;
    private int relearn;
    private final VaeModel shared;
    /** {@link #fingerprint} of {@code shared}, 0 without one. */
    private final long sharedId;
    private final double sharedThreshold;
    private final GroupTable<GroupState> groups;
    private final Set<String> unknownLogged = new HashSet<>();
    private final Set<String> noMatchLogged = new HashSet<>();
    private final Set<String> missingLogged = new HashSet<>();
    private ThreadPoolExecutor trainer;
    /** Threads of {@link #trainer} (option trainThreads), and how many it has made (their names). */
    int trainThreads = 1;
    private final java.util.concurrent.atomic.AtomicInteger trainerThreadsMade = new java.util.concurrent.atomic.AtomicInteger();
    private long queueFullWarnMs = Long.MIN_VALUE / 2;
    private long postponed;
    /** Row values handed to trainings that have not ended (queued or running), and their bound. */
    private final java.util.concurrent.atomic.AtomicLong queuedValues = new java.util.concurrent.atomic.AtomicLong();
    long rowBudget = Math.max(1L << 20, Runtime.getRuntime().maxMemory() / 8 / Double.BYTES);
    /**
     * Row values all groups' buffers (warm-up or fine-tuning rows, and option relearn's) may hold together: a quarter
     * of the heap. Each group's buffers get an equal share ({@link #groupRows}), so that many groups learning at once
     * cut their rows to the newest instead of running the agent out of memory.
     */
    long bufferBudget = Math.max(1L << 20, Runtime.getRuntime().maxMemory() / 4 / Double.BYTES);
    /** The share last logged by {@link #groupRows} (values per buffer; none yet: the maximum). */
    private long loggedShare = Long.MAX_VALUE;
    /** The share at the last {@link #trimBuffers} (values per buffer; none yet: the maximum). */
    private long trimmedShare = Long.MAX_VALUE;
    private StepListener listener;

    public VaeDetector(VaeConfig config, Threshold threshold, double smooth, double ratio, int warmup, int updateInterval,
                       long stepNs, int topMetrics, int maxGroups, VaeModel pretrained) {
        this.config = config;
        this.threshold = threshold;
        this.smooth = smooth;
        this.ratio = ratio;
        this.warmup = warmup;
        this.updateInterval = updateInterval;
        this.stepOption = stepNs;
        this.topMetrics = topMetrics;
        this.shared = pretrained;
        this.sharedId = fingerprint(pretrained);
        this.sharedThreshold = pretrained == null ? Double.POSITIVE_INFINITY : thresholdOf(pretrained);
        // a dropped group's training would hold the one training thread (and its rows) for a model nobody installs
        this.groups = new GroupTable<>(maxGroups, "vae", this::dropped);
    }

    /**
     * The smallest threshold of a pot or quantile threshold, per model input (a metric at a lag): a squared error of
     * 0.001 (0.03 of the metric's training spread) in every input is no anomaly, however tight the calibration.
     * SMD thresholds are some 500 times above it (about 200 for 380 inputs).
     */
    static final double MIN_THRESHOLD_PER_INPUT = 1e-3;

    /** The smallest pot or quantile threshold of a model: {@link #MIN_THRESHOLD_PER_INPUT} per input. */
    public static double thresholdFloor(VaeModel m) {
        return MIN_THRESHOLD_PER_INPUT * m.size() * m.lags();
    }

    /** The threshold of a model's calibration scores, never under {@link #thresholdFloor}. */
    private double thresholdOf(VaeModel m) {
        return threshold.of(m.calibrationSorted(smooth), thresholdFloor(m));
    }

    public static VaeDetector create(Options o) throws OptionException {
        return create(o, null);
    }

    /** A detector of the options; {@code model}, when not null, is used instead of the option 'model'. */
    public static VaeDetector create(Options o, VaeModel model) throws OptionException {
        return create(o, model, true);
    }

    /**
     * The same options and pretrained model with empty state, for a restore or a reset: the model file is not read
     * again (it was read at init, milliseconds before Kapacitor's restore) and init's log lines are not repeated.
     */
    @Override
    public Detector emptyCopy(Options o) throws OptionException {
        return create(o, shared, false);
    }

    private static VaeDetector create(Options o, VaeModel model, boolean log) throws OptionException {
        VaeSettings s = VaeSettings.of(o);
        NdRuntime.configure();
        String path = o.getString("model");
        if (model == null && path != null && !path.isEmpty()) {
            model = VaeSettings.readModel(path);
            // its threshold could not be fitted: init failed with a bare IllegalArgumentException from POT
            String unusable = unusable(model);
            if (unusable != null) {
                throw new OptionException("option 'model': VAE model '" + path + "' cannot judge: " + unusable.replace("the trained model", "it")
                        + "; retrain it (java -jar anteater.jar train --input FILE --out MODEL)");
            }
        } else if (model == null) {
            org.nd4j.linalg.factory.Nd4j.scalar(0f); // load the native backend now, not in the first window
        }
        VaeDetector det = new VaeDetector(s.config(), s.threshold(), s.smooth(), s.ratio(), s.warmup(), s.updateInterval(),
                s.stepNs(), s.topMetrics(), s.maxGroups(), model);
        det.persist = s.persist();
        det.relearn = s.relearn();
        det.trainThreads = s.trainThreads();
        if (!log) return det;
        if (model != null) {
            LOG.info("vae: model with {} metrics ({}), threshold {} ({})", model.size(), sample(model.metrics()),
                    fmt(det.sharedThreshold), det.threshold.method());
        }
        if (o.has("field")) {
            // it was silently ignored: a task naming its fields got a model of every numeric field all the same
            LOG.warn("vae: option 'field' ({}) is not used: the VAE models every numeric field of a group{}; keep only some"
                    + " with |eval().keep(...) before the node", String.join(", ", o.getStrings("field")),
                    model != null ? " (those of model '" + path + "')" : "");
        }
        if (model != null) {
            // the model's lags and clip are fixed by its training: options saying otherwise are not applied
            if (o.has("lags") && s.config().lags() != model.lags()) {
                LOG.warn("vae: option 'lags' {} is ignored: model '{}' was trained with lags {} (it applies only to a relearnt model)",
                        s.config().lags(), path, model.lags());
            }
            if (o.has("clip") && s.config().clip() != model.normaliser().clip()) {
                LOG.warn("vae: option 'clip' {} is ignored: model '{}' was trained with clip {} (it applies only to a relearnt model)",
                        s.config().clip(), path, model.normaliser().clip());
            }
        }
        if (s.persist() > 0 && model != null && model.caps().length == 0) {
            LOG.warn("vae: option 'persist' needs a model file of version 3 (retrain it); persistent metrics are not capped");
        }
        return det;
    }

    public void setStepListener(StepListener l) {
        this.listener = l;
    }

    /** The threshold in use for a group (for tests and the evaluation); +infinity while warming up. */
    public double threshold(String groupKey) {
        GroupState g = groups.get(groupKey);
        return g == null ? sharedThreshold : g.threshold;
    }

    public VaeModel model(String groupKey) {
        GroupState g = groups.get(groupKey);
        return g == null ? shared : g.model;
    }

    /** Rows waiting to be learned by the next fine-tuning (tests). */
    int bufferedRows(String groupKey) {
        GroupState g = groups.get(groupKey);
        return g == null ? 0 : g.buffer.size();
    }

    /** A group's training in flight, or null (tests). */
    Future<VaeModel> pending(String groupKey) {
        GroupState g = groups.get(groupKey);
        return g == null ? null : g.pending;
    }

    /** Whether a group has a training in progress. */
    public boolean training(String groupKey) {
        GroupState g = groups.get(groupKey);
        return g != null && inFlight(g);
    }

    /** Whether the group's training (first, fine-tuning or relearning) is running or queued. */
    private static boolean inFlight(GroupState g) {
        return g.pending != null && !g.pending.isDone();
    }

    private void dropped(GroupState g) {
        if (g.pending == null) return;
        g.pending.cancel(true);
        g.pending = null;
        if (trainer != null) trainer.purge(); // its queue slot goes to the groups still there
    }

    private GroupState newState() {
        GroupState g = new GroupState();
        if (shared != null) {
            g.setMetrics(shared.metrics());
            g.model = shared;
            g.threshold = sharedThreshold;
        }
        return g;
    }

    @Override
    public void process(Window w, List<Verdict> out) {
        String key = w.groupKey();
        GroupState g = groups.getOrCreate(key, k -> newState());
        install(key, g);
        if (g.stepNs == 0) g.stepNs = stepOption > 0 ? stepOption : StepAssembler.inferStepNs(w);
        else if (stepOption <= 0 && !g.stepChangeLogged) noteStepChange(key, w, g);
        g.windows++;
        if (g.model == null) {
            warm(key, w, g, out);
        } else {
            judge(key, w, g, out);
        }
    }

    /**
     * The step is inferred from a group's first window and kept (its model's lags are in steps). When the points
     * come at least twice as often or half as often, say so once: slower points are forward-filled into the missing
     * steps, faster ones share a step and only the last counts.
     */
    private void noteStepChange(String key, Window w, GroupState g) {
        long now = StepAssembler.inferStepNs(w);
        if (now <= 0 || (now < 2 * g.stepNs && 2 * now > g.stepNs)) return;
        g.stepChangeLogged = true;
        LOG.warn("vae group {}: points now come every {} s but the group's step is {} s (from its first window): {}; "
                + "set option 'step' to fix it (logged once)", key, seconds(now), seconds(g.stepNs),
                now > g.stepNs ? "the missing steps are forward-filled" : "points within one step count as one");
    }

    private static String seconds(long ns) {
        return ns % 1_000_000_000L == 0 ? Long.toString(ns / 1_000_000_000L) : fmt(ns / 1e9);
    }

    /** Installs a finished training, on this (the caller's) thread. */
    private void install(String key, GroupState g) {
        if (g.pending == null || !g.pending.isDone()) return;
        Future<VaeModel> f = g.pending;
        g.pending = null;
        g.tuning = null;
        boolean relearnt = g.relearning;
        g.relearning = false;
        try {
            VaeModel m = f.get();
            if (relearnt && g.anomalousRun == 0) {
                // the group came back to normal while the new model trained: the old normal holds, keep its model
                LOG.info("vae group {}: back to normal before the relearnt model was ready; it is dropped", key);
                return;
            }
            // checked before anything of the group changes: a model that fails here is a failed training (its group
            // keeps warming up, or keeps its model), not half installed
            String unusable = unusable(m);
            if (unusable != null) throw new IllegalStateException(unusable);
            double thr = thresholdOf(m);
            boolean first = g.model == null;
            g.model = m;
            g.setMetrics(m.metrics());
            // the warm-up rows (or a relearning's) were for this training; from now on only rows judged normal are kept
            if (first || relearnt) g.restart();
            if (relearnt) g.relearnings++;
            g.threshold = thr;
            LOG.info("vae group {}: {} model installed ({} metrics, threshold {})", key,
                    first ? "new" : relearnt ? "relearnt (new normal)" : "fine-tuned", m.size(), fmt(g.threshold));
            String few = first || relearnt ? threshold.fewScores(m.calibrationSorted(smooth)) : null;
            if (few != null) LOG.warn("vae group {}: {} (raise 'warmup' or use a pretrained 'model')", key, few);
        } catch (Exception e) {
            if (relearnt) { // try again after another full run, not at every window
                g.anomalousRun = 0;
                g.recent.clear();
            }
            if (g.model == null && !relearnt) {
                // the first training: trying again at every window would copy the rows and train (and fail) again
                // each time; wait longer after each failure
                g.failures++;
                long wait = (long) Math.max(1, warmup) * Math.min(MAX_RETRY_WARMUPS, 1L << Math.min(30, g.failures - 1));
                g.retryAt = g.windows + wait;
                LOG.warn("vae group {}: training failed ({} time{}): {}; trying again after {} more windows", key,
                        g.failures, g.failures == 1 ? "" : "s", e.toString(), wait);
                return;
            }
            LOG.warn("vae group {}: training failed: {}", key, e.toString());
        }
    }

    /**
     * Why a trained model cannot judge, or null: its calibration scores (held-out training rows through its normaliser
     * and network) are not all finite, so its normaliser or network is NaN or infinite somewhere and every step it
     * scores would be too (NaN in the output points, for ever, as fine-tunings start from it).
     */
    static String unusable(VaeModel m) {
        double[] cal = m.calibration();
        if (cal.length == 0) return "the trained model has no calibration scores";
        for (double c : cal) {
            if (!Double.isFinite(c)) return "the trained model scores its own training rows as " + c + " (its normaliser or network is not finite)";
        }
        return null;
    }

    /**
     * The rows one buffer of a group of {@code width} metrics keeps at most: {@link #maxRows}, or less when the groups
     * kept now would pass {@link #bufferBudget} with that many (two buffers each); logged at the first cut and
     * whenever the share halves again.
     */
    int groupRows(int width) {
        int max = maxRows(width);
        int rows = shareRows(width);
        // each halving of the values a buffer may hold (the same for every width) cuts every group's buffers, also
        // when the group asking is not cut itself (a narrow one): a wide group that stopped sending is cut too
        long values = bufferBudget / (2L * Math.max(1, groups.size()));
        if (values <= trimmedShare / 2) {
            trimmedShare = values;
            trimBuffers();
        }
        if (rows >= max) return max;
        // the first cut, then each halving, logged (so groups of several widths log the same few lines): a few lines
        // however many groups come
        if (values <= loggedShare / 2) {
            loggedShare = values;
            // a buffer below the rows a fine-tuning (or relearning) needs never starts one: say so, or they stop unsaid
            boolean starved = rows < MIN_FINE_TUNE_ROWS && (updateInterval > 0 || relearn > 0);
            LOG.warn("vae: the rows kept for training ({} MB, a quarter of the heap) are shared by {} groups: each keeps"
                    + " at most {} rows of {} metrics (not {}), its newest{}; raise -Xmx or lower maxGroups",
                    bufferBudget * Double.BYTES >> 20, groups.size(), rows, width, max, starved ? ", fewer than the "
                    + MIN_FINE_TUNE_ROWS + " a fine-tuning or relearning needs, so no group fine-tunes or relearns" : "");
        }
        return rows;
    }

    /** The share of {@link #bufferBudget} of one buffer of a group of {@code width} metrics, at most {@link #maxRows}. */
    private int shareRows(int width) {
        long share = bufferBudget / (2L * Math.max(1, groups.size()) * Math.max(1, width));
        return (int) Math.max(2, Math.min(maxRows(width), share));
    }

    /**
     * Cuts every group's buffers to the share (their newest rows): a buffer is otherwise cut at its group's next row,
     * and a group that sends no more windows (a host gone) would keep its rows above the share for good.
     */
    private void trimBuffers() {
        for (Map.Entry<String, GroupState> e : groups.entries()) {
            GroupState g = e.getValue();
            int rows = shareRows(g.model != null ? g.model.size() : g.metrics.size());
            while (g.buffer.size() > rows) g.buffer.pollFirst();
            while (g.recent.size() > rows) g.recent.pollFirst();
        }
    }

    private void warm(String key, Window w, GroupState g, List<Verdict> out) {
        for (String f : w.allSeries().keySet()) {
            if (!g.index.containsKey(f) && g.metrics.size() < MAX_METRICS) g.addMetric(f);
        }
        double[] fill = new double[g.metrics.size()];
        Arrays.fill(fill, Double.NaN);
        StepAssembler.Rows r = StepAssembler.assemble(w, g.index, g.stepNs, g.last, fill, null, maxFill(config.lags()));
        // a window without a finite value is all forward fill: not a row to learn
        if (r.observed() > 0) {
            int max = groupRows(g.metrics.size());
            for (double[] row : r.rows()) g.keep(row, max);
        }
        if (g.windows >= warmup && g.windows >= g.retryAt && g.pending == null) submitInitial(key, g);
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("anomaly_score", 0.0);
        f.put("is_anomaly", false);
        f.put("anomaly_count", 0L);
        f.put("total_count", (long) r.rows().length);
        f.put("anomaly_ratio", 0.0);
        f.put("warming_up", true);
        f.put("warmup_windows", g.windows);
        out.add(new Verdict(w.name(), w.tmax(), new LinkedHashMap<>(w.tags()), f, null));
    }

    private void submitInitial(String key, GroupState g) {
        int d = g.metrics.size();
        if (d == 0 || g.buffer.size() < 2) {
            // else the group stays warming up with nothing said: once per group (and task run), why it waits
            if (!g.waitLogged) {
                g.waitLogged = true;
                LOG.warn("vae group {}: warm-up of {} windows done but {}; it trains once it has", key, g.windows,
                        d == 0 ? "its windows hold no numeric field"
                                : g.buffer.isEmpty() ? "its windows hold no finite value (NaN only)"
                                : "it has only " + g.buffer.size() + " row (2 needed)");
            }
            return;
        }
        long values = (long) g.buffer.size() * d;
        if (queueFull(values)) return;
        double[][] rows = new double[g.buffer.size()][];
        int i = 0;
        for (double[] r : g.buffer) {
            // rows kept before a metric first appeared are shorter: its cells there were never observed
            double[] row = Arrays.copyOf(r, d);
            Arrays.fill(row, r.length, d, Double.NaN);
            rows[i++] = row;
        }
        fillGaps(rows, d);
        List<String> metrics = List.copyOf(g.metrics);
        LOG.info("vae group {}: warm-up done ({} windows, {} rows, {} metrics), training", key, g.windows, rows.length, d);
        g.pending = submit(() -> fit.train(rows, metrics, config), values);
    }

    /**
     * Cells that were never observed (NaN) take their column's mean, or 0. When the sum of a column's values
     * overflows (values near the double limit), the mean sums each value divided by the count: the infinite (or NaN)
     * cells made the normaliser, and so every score of the model, NaN.
     */
    static void fillGaps(double[][] rows, int d) {
        for (int j = 0; j < d; j++) {
            double sum = 0;
            int n = 0;
            for (double[] r : rows) {
                if (!Double.isNaN(r[j])) {
                    sum += r[j];
                    n++;
                }
            }
            double m = n == 0 ? 0 : sum / n;
            if (!Double.isFinite(m)) {
                m = 0;
                for (double[] r : rows) if (!Double.isNaN(r[j])) m += r[j] / n;
            }
            for (double[] r : rows) if (Double.isNaN(r[j])) r[j] = m;
        }
    }

    /**
     * Queues a training on the task's training threads (option trainThreads, default one). {@code values} is the size of the rows it was handed
     * (counted until it ends or is cancelled), so that queued trainings cannot hold more than {@link #rowBudget}.
     */
    private Future<VaeModel> submit(java.util.concurrent.Callable<VaeModel> job, long values) {
        if (trainer == null) {
            trainer = new ThreadPoolExecutor(trainThreads, trainThreads, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(64), r -> {
                Thread t = new Thread(r, trainThreads == 1 ? "vae-train" : "vae-train-" + trainerThreadsMade.incrementAndGet());
                t.setDaemon(true);
                t.setPriority(Thread.MIN_PRIORITY);
                return t;
            });
        }
        java.util.concurrent.FutureTask<VaeModel> task = new java.util.concurrent.FutureTask<>(job) {
            @Override
            protected void done() { // ran, failed or cancelled (a dropped group): its rows are no longer held for it
                queuedValues.addAndGet(-values);
            }
        };
        queuedValues.addAndGet(values);
        try {
            trainer.execute(task);
            return task;
        } catch (RejectedExecutionException e) {
            queuedValues.addAndGet(-values);
            noteFull();
            return null;
        }
    }

    /**
     * Whether a training of {@code values} row values must wait: the queue has no slot, or the rows handed to
     * trainings not yet finished would pass {@link #rowBudget}. One training may always start when none is held,
     * however large, so every group gets its turn.
     */
    private boolean queueFull(long values) {
        if (trainer == null) return false;
        long held = queuedValues.get();
        if (trainer.getQueue().remainingCapacity() > 0 && (held == 0 || held + values <= rowBudget)) return false;
        noteFull();
        return true;
    }

    private void noteFull() {
        postponed++;
        long now = System.currentTimeMillis();
        if (now - queueFullWarnMs >= 60_000) {
            queueFullWarnMs = now;
            LOG.warn("vae: training queue full ({} trainings waiting, {} MB of rows); groups train in turn ({} postponed "
                    + "so far)", trainer == null ? 0 : trainer.getQueue().size(), queuedValues.get() * Double.BYTES / 1_000_000, postponed);
        }
    }

    private void judge(String key, Window w, GroupState g, List<Verdict> out) {
        VaeModel m = g.model;
        Set<String> unknown = new HashSet<>();
        double[] fill = new double[m.size()];
        for (int j = 0; j < fill.length; j++) fill[j] = m.normaliser().mean(j);
        StepAssembler.Rows r = StepAssembler.assemble(w, g.index, g.stepNs, g.last, fill, unknown, maxFill(m.lags()));
        // none matching: one line names both sides; a line per unknown field before it said less, seven times over
        if (r.known() == 0 && !w.allSeries().isEmpty()) {
            logNoMatch(key, w, m);
        } else {
            logUnknown(key, unknown);
            if (r.missing().length > 0) logMissing(key, r.missing(), m, g.last, w);
        }
        g.imputed += r.imputed();
        int n = r.rows().length, d = m.size();
        double[][] contrib = new double[n][d];
        double[] scores = m.score(r.rows(), g.tail, contrib);
        if (persist > 0 && m.caps().length == d) {
            if (g.runs.length != d) g.runs = new int[d];
            capPersistent(scores, contrib, m.caps(), g.runs, persist);
        }
        // scored at the precision of the calibration scores the threshold comes from (floats, as in the model file):
        // a constant warm-up gives one repeated calibration score, the threshold is that score rounded to float, and
        // the same rows scored in double were above it whenever the rounding went down (every window anomalous)
        for (int i = 0; i < n; i++) scores[i] = (float) scores[i];
        g.ewma = ScoreSmoother.apply(scores, smooth, g.ewma);
        g.tail = tail(g.tail, r.rows(), m.lags() - 1);
        double thr = g.threshold;
        int count = 0;
        double max = Double.NEGATIVE_INFINITY;
        for (double s : scores) {
            if (s > thr) count++;
            max = Math.max(max, s);
        }
        double share = n == 0 ? 0 : (double) count / n;
        boolean anomalous = count > 0 && share >= ratio;
        if (listener != null) listener.steps(w, r.times(), scores, thr);

        double[] per = new double[d];
        int used = 0;
        for (int i = 0; i < n; i++) {
            if (count > 0 && !(scores[i] > thr)) continue;
            for (int j = 0; j < d; j++) per[j] += contrib[i][j];
            used++;
        }
        for (int j = 0; j < d; j++) per[j] /= Math.max(1, used);
        Integer[] order = new Integer[d];
        for (int j = 0; j < d; j++) order[j] = j;
        Arrays.sort(order, (a, b) -> Double.compare(per[b], per[a]));
        int k = Math.min(topMetrics, d);
        List<Contribution> contributions = new ArrayList<>(k);
        StringBuilder top = new StringBuilder();
        for (int i = 0; i < k; i++) {
            int j = order[i];
            contributions.add(new Contribution(m.metrics().get(j), per[j],
                    String.format(Locale.ROOT, "reconstruction error %.4g", per[j])));
            if (i > 0) top.append(',');
            top.append(m.metrics().get(j)).append(':').append(fmt(per[j]));
        }
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("anomaly_score", max);
        f.put("threshold", thr);
        f.put("is_anomaly", anomalous);
        f.put("anomaly_count", (long) count);
        f.put("total_count", (long) n);
        f.put("anomaly_ratio", share);
        f.put("top_metrics", top.toString());
        f.put("imputed", (long) r.imputed());
        f.put("warming_up", false);
        if (relearn > 0) f.put("relearnings", g.relearnings);
        Anomaly a = null;
        if (anomalous) {
            int top0 = order[0];
            double[] values = new double[n];
            for (int i = 0; i < n; i++) values[i] = r.rows()[i][top0];
            String desc = String.format(Locale.ROOT,
                    "%d of %d steps of %s above the VAE threshold %.4g (max score %.4g); top metrics: %s",
                    count, n, w.tags().isEmpty() ? w.name() : w.name() + " " + w.tags(), thr, max, top);
            a = new Anomaly("vae", w.name(), w.tags(), w.tmax(), Math.max(0, (w.tmax() - w.tmin()) / 1_000_000_000L),
                    m.metrics().get(top0), max, count, n, contributions, desc, values);
            noteAnomalous(key, g, r.rows());
        } else {
            g.anomalousRun = 0;
            g.recent.clear();
        }
        // a window with none of the model's fields (renamed, say), or with no finite value of them (a source sending
        // NaN), is all made up (forward fill, training means): learning it would teach the model constant rows and
        // pull the threshold down
        if (!anomalous && updateInterval > 0 && r.observed() > 0) {
            // a window below the ratio may still hold steps above the threshold (a fault's first steps): only the
            // steps judged normal themselves are learned
            int keepRows = groupRows(m.size());
            for (int i = 0; i < n; i++) if (!(scores[i] > thr)) g.keep(r.rows()[i], keepRows);
            if (g.sinceUpdate < GroupState.FINE_TUNE_DUE) g.sinceUpdate++;
            if (g.sinceUpdate >= updateInterval && g.pending == null && g.buffer.size() >= MIN_FINE_TUNE_ROWS
                    && !queueFull((long) g.buffer.size() * m.size())) {
                double[][] rows = g.buffer.toArray(new double[0][]);
                VaeModel base = m;
                Future<VaeModel> job = submit(() -> VaeTrainer.fineTune(base, rows, config, FINE_TUNE_EPOCHS),
                        (long) rows.length * m.size());
                if (job != null) { // else the queue is full: the rows stay, and the next normal window tries again
                    g.pending = job;
                    g.tuning = rows;
                    g.sinceUpdate = 0;
                    g.buffer.clear();
                }
            }
        }
        out.add(new Verdict(w.name(), w.tmax(), new LinkedHashMap<>(w.tags()), f, a));
    }

    /**
     * Accepting a new normal, per group (option relearn): once the group has been anomalous for {@code relearn}
     * consecutive windows, a fresh model is trained in the background on the rows of those windows and replaces the
     * current one (which goes on judging until then), with a threshold from the new rows.
     */
    private void noteAnomalous(String key, GroupState g, double[][] rows) {
        if (relearn <= 0) return;
        g.anomalousRun++;
        int max = groupRows(g.model.size());
        for (double[] row : rows) GroupState.keep(g.recent, row, max);
        if (g.anomalousRun < relearn || g.pending != null || g.recent.size() < MIN_FINE_TUNE_ROWS
                || queueFull((long) g.recent.size() * g.model.size())) return;
        double[][] train = g.recent.toArray(new double[0][]);
        List<String> metrics = List.copyOf(g.model.metrics());
        LOG.info("vae group {}: anomalous for {} windows, accepting a new normal: training on their {} rows", key,
                g.anomalousRun, train.length);
        g.pending = submit(() -> fit.train(train, metrics, config), (long) train.length * metrics.size());
        g.relearning = g.pending != null;
    }

    /**
     * Accepting a new normal, per metric: once a metric's contribution has been above its cap (a high quantile of
     * its calibration contributions) for more than {@code n} consecutive steps, its contribution counts only up to
     * the cap, until it falls below the cap again. A metric that moved to a level never seen in training and
     * stays there then stops holding every later step above the threshold. {@code runs} carries the counts.
     */
    static void capPersistent(double[] scores, double[][] contrib, double[] caps, int[] runs, int n) {
        for (int i = 0; i < scores.length; i++) {
            for (int j = 0; j < caps.length; j++) {
                double c = contrib[i][j];
                if (c > caps[j]) {
                    if (runs[j] < Integer.MAX_VALUE) runs[j]++;
                } else {
                    runs[j] = 0;
                }
                if (runs[j] > n) {
                    scores[i] -= c - caps[j];
                    contrib[i][j] = caps[j];
                }
            }
        }
    }

    /** The last k rows of before ++ rows. */
    static double[][] tail(double[][] before, double[][] rows, int k) {
        if (k <= 0) return new double[0][];
        int total = before.length + rows.length, keep = Math.min(k, total);
        double[][] t = new double[keep][];
        for (int i = 0; i < keep; i++) {
            int src = total - keep + i;
            t[i] = src < before.length ? before[src] : rows[src - before.length];
        }
        return t;
    }

    private void logUnknown(String key, Set<String> unknown) {
        for (String u : unknown) {
            if (unknownLogged.size() < 1000 && unknownLogged.add(u)) {
                LOG.warn("vae group {}: field '{}' is not among the model's metrics; ignored (logged once)", key, u);
            }
        }
    }

    /**
     * Once per group: a window none of whose fields is among the model's metrics. Every value of the group is then its
     * training mean, so it can never be anomalous; before, only one line per unknown field said so, and none named
     * what the model expects.
     */
    private void logNoMatch(String key, Window w, VaeModel m) {
        if (noMatchLogged.size() >= 1000 || !noMatchLogged.add(key)) return;
        LOG.warn("vae group {}: none of the window's {} fields ({}) is among the model's {} metrics ({}); every value is"
                + " imputed with its training mean, so this group cannot be anomalous: name the fields as in the training"
                + " data (<measurement>.<field> also matches)", key, w.allSeries().size(), sample(w.allSeries().keySet()),
                m.size(), sample(m.metrics()));
    }

    /**
     * Once per group and metric: a metric of the model with no value in a window (it stopped reporting: a disk
     * removed, a collector down). Its last value, or its training mean if it never had one, stands in; before, the
     * last value did so for ever without a word and without being counted in {@code imputed}.
     */
    private void logMissing(String key, int[] missing, VaeModel m, double[] last, Window w) {
        List<Integer> fresh = new ArrayList<>();
        for (int j : missing) {
            if (missingLogged.size() < 1000 && missingLogged.add(key + '\n' + m.metrics().get(j))) fresh.add(j);
        }
        if (fresh.size() == 1) {
            int j = fresh.get(0);
            LOG.warn("vae group {}: metric '{}' has no value in this window; {} stands in until it reports again"
                    + " (counted in imputed; logged once)", key, m.metrics().get(j),
                    Double.isNaN(last[j]) ? "its training mean" : "its last value " + fmt(last[j]));
        } else if (fresh.size() > 1) {
            // one line, not one per metric: a model of several measurements over a task without the join missed
            // every metric of the other measurements, a line each per group
            List<String> names = new ArrayList<>();
            for (int j : fresh) names.add(m.metrics().get(j));
            String lacking = lackingMeasurements(m.metrics(), names, w);
            LOG.warn("vae group {}: {} of the model's {} metrics have no value in this window ({}){}", key, fresh.size(),
                    m.size(), sample(names), lacking.isEmpty()
                            ? "; their last values (or training means) stand in until they report again (counted in imputed; logged once)"
                            : ": the window has no field of measurements " + lacking + ", which the model was trained on; a task of"
                            + " several measurements joins them (docs/vae.md)");
        }
    }

    /**
     * The measurements of {@code <measurement>.<field>} ids of which the window has no field at all (neither as
     * {@code field} of a window of that name nor as a joined {@code measurement.field}), comma-separated. Only for a
     * model of several measurements (every id dotted, two prefixes at least, the window named after one of them:
     * ids as train qualifies them, windows as Kapacitor names a join): in a model of one measurement, a field named
     * {@code requests.count} is not of a measurement {@code requests}.
     */
    static String lackingMeasurements(List<String> modelIds, List<String> ids, Window w) {
        java.util.Set<String> prefixes = new java.util.HashSet<>();
        for (String id : modelIds) {
            int dot = id.indexOf('.');
            if (dot <= 0) return "";
            prefixes.add(id.substring(0, dot));
        }
        // a joined window, or one of the model's measurements alone, is named after one of them; a window of
        // statsd's requests.count and latency.p99 fields is named statsd
        if (prefixes.size() < 2 || !prefixes.contains(w.name())) return "";
        java.util.LinkedHashSet<String> lacking = new java.util.LinkedHashSet<>();
        for (String id : ids) {
            int dot = id.indexOf('.');
            if (dot <= 0) continue;
            String measurement = id.substring(0, dot);
            if (measurement.equals(w.name())) continue;
            boolean any = false;
            for (String f : w.allSeries().keySet()) any |= f.startsWith(measurement + ".");
            if (!any) lacking.add(measurement);
        }
        return String.join(", ", lacking);
    }

    private static String sample(java.util.Collection<String> names) {
        StringBuilder b = new StringBuilder();
        int i = 0;
        for (String n : names) {
            if (i == 5) return b.append(", ...").toString();
            if (i++ > 0) b.append(", ");
            b.append(n);
        }
        return b.toString();
    }

    static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4g", v);
    }

    /** Waits for trainings in progress (tests, evaluation); true when none is left. */
    public boolean awaitTraining(long timeoutMs) throws InterruptedException {
        long end = System.currentTimeMillis() + timeoutMs;
        for (Map.Entry<String, GroupState> e : groups.entries()) {
            Future<VaeModel> f = e.getValue().pending;
            while (f != null && !f.isDone()) {
                if (System.currentTimeMillis() > end) return false;
                Thread.sleep(20);
            }
        }
        return true;
    }

    /**
     * A CRC-32 of what a pretrained model is (never 0; 0 for none): its metrics, lags, normaliser, network parameters,
     * calibration scores and caps. A snapshot records it for the model file its groups started from, so that a restore
     * can tell the file was trained again and replaced since. Not of {@link VaeModel#toBytes()}: the network's part is a
     * zip whose entries carry the time they were written, so the same model gave another CRC two seconds later.
     */
    static long fingerprint(VaeModel m) {
        if (m == null) return 0;
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        java.util.function.DoubleConsumer add = v -> {
            b.clear();
            crc.update(b.putDouble(v).array());
        };
        crc.update(String.join("\n", m.metrics()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        add.accept(m.lags());
        add.accept(m.normaliser().clip());
        for (int j = 0; j < m.size(); j++) {
            add.accept(m.normaliser().mean(j));
            add.accept(m.normaliser().scale(j));
        }
        synchronized (m.network()) {
            for (float v : m.network().params().toFloatVector()) add.accept(v);
        }
        for (double v : m.calibration()) add.accept(v);
        for (double v : m.caps()) add.accept(v);
        return crc.getValue() + 1;
    }

    @Override
    public void save(DataOutputStream out) throws IOException {
        // a training that finished since the group's last window is installed now (as that window would have done):
        // else the snapshot holds no model and the restored task trains again from its warm-up rows
        for (Map.Entry<String, GroupState> e : groups.entries()) install(e.getKey(), e.getValue());
        out.writeInt(STATE_VERSION);
        out.writeLong(sharedId);
        groups.save(out, (o, g) -> g.write(o, shared));
    }

    @Override
    public String keptAcrossChangedOptions() {
        return "each restored group keeps the network it was trained with (its hidden, latent and lags), its threshold is"
                + " fitted again with the new threshold options; groups new to the task and relearnt models use the new"
                + " network options";
    }

    @Override
    public void load(DataInputStream in) throws IOException {
        int v = in.readInt();
        if (v < 1 || v > STATE_VERSION) throw new IOException("vae state version " + v + " is not supported (reads 1 to " + STATE_VERSION + ")");
        // the model file was trained again and replaced since the snapshot (the task reloaded, or kapacitord restarted):
        // groups that fine-tuned (or relearnt) a model of their own kept the old one, and the new file judged none of them
        long snapshotId = v >= 6 ? in.readLong() : 0;
        boolean replaced = shared != null && snapshotId != 0 && snapshotId != sharedId;
        long[] changed = new long[4];
        groups.load(in, i -> {
            GroupState g = GroupState.read(i, v, shared);
            if (replaced && g.model != null) {
                // its lagged inputs, smoothing and persist runs were the old model's: the new one starts afresh
                g.model = shared;
                g.setMetrics(shared.metrics());
                g.restart();
                g.sinceUpdate = 0;
                g.relearnings = 0;
                g.optionModelChanged = false;
                changed[3]++;
            }
            if (g.model != null && g.model != shared && unusable(g.model) != null) {
                // a model that scores its own rows NaN, installed by versions before install() checked it: its threshold
                // cannot be fitted, which failed this restore and so every start of the task; the group warms up afresh
                g.warmUpAfresh();
                changed[2]++;
            }
            if (g.model != null) g.threshold = thresholdOf(g.model);
            if (g.optionModelChanged) changed[0]++;
            // rows kept for a fine-tuning that a task redefined with updateInterval 0 never runs
            if (updateInterval == 0 && g.model != null) g.buffer.clear();
            // option 'step' set (or changed) since the snapshot: it applies, as to a new group
            if (stepOption > 0 && g.stepNs != stepOption) {
                g.stepNs = stepOption;
                changed[1]++;
            }
            return g;
        });
        if (changed[1] > 0) {
            LOG.warn("vae: option 'step' differs from the step of {} restored groups; they use {} s from now on (a model"
                    + " trained on another step may score differently)", changed[1], stepOption / 1e9);
        }
        if (changed[2] > 0) {
            LOG.warn("vae: {} restored groups had a model that scores its own training rows NaN (not finite); they warm up afresh",
                    changed[2]);
        }
        if (changed[3] > 0) {
            LOG.info("vae: the model file differs from the one of the snapshot: {} restored groups start from it afresh"
                    + " (models they fine-tuned or relearnt are dropped)", changed[3]);
        }
        if (changed[0] > 0) {
            LOG.warn("vae: option 'model' changed since the snapshot: {} groups {}", changed[0],
                    shared == null ? "of the old pretrained model warm up afresh" : "now use model of " + shared.size() + " metrics");
        }
    }

    @Override
    public void close() {
        if (trainer == null) return;
        List<String> running = new ArrayList<>();
        for (Map.Entry<String, GroupState> e : groups.entries()) if (inFlight(e.getValue())) running.add(e.getKey());
        trainer.shutdownNow();
        // a disable or redefine during a training dropped it in silence: the operator saw a model that never came
        if (!running.isEmpty()) {
            LOG.info("vae: closed with {} training(s) running or queued, dropped (groups {}); a restored task starts them"
                    + " again from the rows of its last snapshot", running.size(), running.size() <= 5 ? running
                    : running.subList(0, 5) + " and " + (running.size() - 5) + " more");
        }
    }
}
