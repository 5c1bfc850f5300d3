package anteater.cli;

import anteater.detect.Options;
import anteater.detect.vae.Threshold;
import anteater.detect.vae.VaeConfig;
import anteater.detect.vae.VaeSettings;
import anteater.detect.vae.VaeModel;
import anteater.detect.vae.VaeTrainer;
import anteater.eval.TrainingData;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Offline training of a VAE model file for {@code @anteater().detector('vae').model('FILE')}. */
@Command(name = "train", description = "Train a VAE model from CSV, InfluxDB line protocol or Prometheus query_range JSON.")
final class TrainCommand implements Callable<Integer> {

    @Option(names = "--input", required = true, description = "training data: .csv[.gz] (header = metric ids), .json (Prometheus), else line protocol")
    Path input;

    @Option(names = "--out", required = true, description = "model file to write")
    Path out;

    @Option(names = "--tag", description = "line protocol (tags) and Prometheus (labels): skip the lines or series whose key has another value, key=value (repeatable; those without the key are kept), e.g. --tag host=web1 --tag cpu=cpu-total, --tag instance=web1:9100")
    java.util.Map<String, String> tags = new java.util.LinkedHashMap<>();

    @Option(names = {"-o", "--option"}, description = "vae option name=value: hidden, latent, epochs, learningRate, lags, clip (the model); q, threshold, smooth (the threshold it reports); step (line protocol and Prometheus rows aligned on it)")
    List<String> optionArgs = new ArrayList<>();

    /** The options that change the model train writes or the threshold it reports; the others act in the agent only. */
    static final List<String> TRAIN_OPTIONS = List.of("hidden", "latent", "epochs", "learningRate", "lags", "clip", "q",
            "threshold", "smooth", "step");

    @Override
    public Integer call() throws Exception {
        Options o = OptionArgs.parse("vae", optionArgs);
        // every vae option is checked before the input is read and the network trained
        VaeSettings settings = VaeSettings.of(o);
        VaeConfig c = settings.config();
        List<String> unused = new ArrayList<>();
        for (String a : optionArgs) {
            String name = a.substring(0, a.indexOf('='));
            if (!TRAIN_OPTIONS.contains(name) && !unused.contains(name)) unused.add(name);
        }
        if (!unused.isEmpty()) {
            // persist, model, warmup, ... act in the agent only: taken silently, they seemed to be part of the model
            System.err.println("anteater train: warning: option(s) " + String.join(", ", unused) + " do not apply to train and are"
                    + " ignored (give them to the task in its TICKscript); train uses " + String.join(", ", TRAIN_OPTIONS));
        }
        TrainingData.Table t;
        try {
            t = TrainingData.read(input, tags, settings.stepNs());
        } catch (OutOfMemoryError e) {
            return outOfMemory("reading it", -1);
        }
        if (t.rows().length < 10) {
            System.err.println("anteater train: " + input + ": " + t.rows().length + (t.rows().length == 1 ? " row" : " rows") + "; training needs at least 10");
            return 2;
        }
        if (t.metrics().isEmpty()) {
            System.err.println("anteater train: " + input + ": no numeric metric in the file (string and boolean fields and time columns are not metrics)");
            return 2;
        }
        if (!t.empty().isEmpty()) {
            System.err.println("anteater train: " + input + ": warning: " + t.empty().size() + " metric(s) without a value in the file left out of the model: "
                    + String.join(", ", t.empty().subList(0, Math.min(5, t.empty().size()))) + (t.empty().size() > 5 ? ", ..." : ""));
        }
        String unaligned = unaligned(t, settings.stepNs());
        if (unaligned != null) System.err.println("anteater train: " + input + ": warning: " + unaligned);
        String labelled = labelledIds(t.metrics());
        if (labelled != null) System.err.println("anteater train: " + input + ": warning: " + labelled);
        // the whole input is trained on at once: refuse one the heap cannot hold before the network is built
        long need = trainingBytes(t.rows().length, t.metrics().size(), c.lags());
        if (need > Runtime.getRuntime().maxMemory()) {
            return outOfMemory("training on " + t.rows().length + " rows x " + t.metrics().size() + " metrics", need);
        }
        // --out is checked (and its temporary file created) before the training, not after it
        Path tmp = reserve(input, out);
        try {
            return train(t, settings, c, tmp);
        } catch (OutOfMemoryError e) {
            return outOfMemory("training on " + t.rows().length + " rows x " + t.metrics().size() + " metrics", need);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Rows that are mostly filled in: the metrics' timestamps do not coincide (Telegraf's cpu at :00 and mem at :01),
     * so a row a distinct time holds a part of them, the rest copied from the row before, and the model's lags span
     * fewer seconds than the task's steps. Says so, and that option step aligns them; null when under a quarter of
     * the values are filled, or a step was given, or the rows are not of timestamps (a CSV, lines without timestamps:
     * their gaps are the file's, and option step is refused for them).
     */
    static String unaligned(TrainingData.Table t, long stepNs) {
        if (stepNs > 0 || !t.timed() || t.filledShare() < 0.25 || t.metrics().size() < 2) return null;
        return String.format(Locale.ROOT, "%.0f%% of the values were filled in from the row before: the metrics' timestamps"
                + " do not coincide (measurements gathered at different times?), so each row holds a part of them and the"
                + " model's lags span fewer seconds than the task's steps; give -o step=<the task's step, e.g. 10s> to align"
                + " them", 100 * t.filledShare());
    }

    /**
     * A Prometheus name of several series gets its labels in its ids ({@code node_load1{instance=web1:9100,job=node}}),
     * which no Kapacitor field is named: a fleet's query_range trained one model of every host, whose windows could
     * never match it. Says so, with a label whose values tell the series apart; null when no id has labels.
     */
    static String labelledIds(List<String> metrics) {
        List<String> labelled = new ArrayList<>();
        java.util.Map<String, java.util.Set<String>> values = new java.util.TreeMap<>();
        for (String id : metrics) {
            int open = id.indexOf('{');
            if (open <= 0 || !id.endsWith("}")) continue;
            labelled.add(id);
            for (String pair : id.substring(open + 1, id.length() - 1).split(",")) {
                int eq = pair.indexOf('=');
                if (eq > 0) values.computeIfAbsent(pair.substring(0, eq), k -> new java.util.HashSet<>()).add(pair.substring(eq + 1));
            }
        }
        if (labelled.isEmpty()) return null;
        String apart = values.containsKey("instance") && values.get("instance").size() > 1 ? "instance" : null;
        for (java.util.Map.Entry<String, java.util.Set<String>> e : values.entrySet()) {
            if (apart == null && e.getValue().size() > 1) apart = e.getKey();
        }
        return labelled.size() + " metric ids carry their series' labels (" + labelled.get(0) + (labelled.size() > 1 ? ", ..." : "")
                + "): no Kapacitor field is named so; a model is for one group: pick one series with --tag "
                + (apart == null ? "<label>" : apart) + "=<value>";
    }

    /** The ids, comma-separated, the first 100 of them. */
    static String ids(List<String> metrics) {
        int n = Math.min(100, metrics.size());
        return String.join(", ", metrics.subList(0, n)) + (n < metrics.size() ? ", ... (" + (metrics.size() - n) + " more)" : "");
    }

    /**
     * The heap the training takes besides the rows it was given: the rows read (8 bytes a value), their normalised
     * copy (8) and the network's inputs, each row with its lags - 1 predecessors (4 bytes a value, lags times),
     * with their arrays' headers. A lower bound: the network's own copy of its inputs is off the heap.
     */
    static long trainingBytes(long rows, long metrics, int lags) {
        return rows * (metrics * (16L + 4L * lags) + 3 * 24L);
    }

    private int outOfMemory(String doing, long need) {
        long heap = Runtime.getRuntime().maxMemory() >> 20;
        System.err.println("anteater train: " + input + ": not enough memory " + doing + " (the heap is " + heap + " MB"
                + (need > 0 ? ", training needs at least " + (need >> 20) + " MB" : "")
                + "): give java more (java -Xmx4g -jar anteater.jar train ...) or train on fewer rows");
        return 1;
    }

    /**
     * The temporary file the model is written to before it is moved over {@code out}, created now, so that an --out
     * that cannot be written (a directory, a path under a file, a directory without write permission, the input
     * itself) is refused with its reason before the training instead of after it.
     */
    static Path reserve(Path input, Path out) throws IOException {
        if (Files.isDirectory(out)) throw new IOException("--out " + out + " is a directory; give the model file's path");
        if (Files.exists(out) && Files.exists(input) && Files.isSameFile(input, out)) {
            throw new IOException("--out " + out + " is the input file; give another path for the model");
        }
        Path parent = out.toAbsolutePath().getParent();
        try {
            if (parent != null) Files.createDirectories(parent);
        } catch (IOException e) {
            throw new IOException("--out " + out + ": cannot create its directory " + parent + ": " + reason(e));
        }
        // written beside, then moved over --out: a failed write never leaves a partial model file under its name
        // (not createTempFile: its mode 0600 would keep a Kapacitor running as another user from reading the model)
        // the name is the pid and a random part: a .part file a killed training left behind (kill -9, the OOM killer)
        // under the pid alone blocked every later training of the same pid, as in a container where train is pid 1
        Path dir = parent == null ? Path.of(".") : parent, tmp;
        for (int attempt = 0; ; attempt++) {
            tmp = dir.resolve("." + out.getFileName() + "." + ProcessHandle.current().pid() + "-"
                    + Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong() >>> 16) + ".part");
            try {
                Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
                break;
            } catch (java.nio.file.FileAlreadyExistsException e) {
                if (attempt == 9) throw new IOException("--out " + out + ": cannot write in " + dir + ": " + reason(e));
            } catch (IOException e) {
                throw new IOException("--out " + out + ": cannot write in " + dir + ": " + reason(e));
            }
        }
        tmp.toFile().deleteOnExit(); // an interrupted training (Ctrl-C) leaves no empty .part file behind
        return tmp;
    }

    private static String reason(IOException e) {
        if (e instanceof java.nio.file.AccessDeniedException) return "permission denied";
        if (e instanceof java.nio.file.FileAlreadyExistsException) return e.getMessage() + " exists and is not a directory";
        if (e instanceof java.nio.file.NoSuchFileException) return "cannot create a file there";
        if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) return f.getReason();
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }

    private Integer train(TrainingData.Table t, VaeSettings settings, VaeConfig c, Path tmp) throws Exception {
        String step = settings.stepNs() > 0 ? ", one row a step of " + java.time.Duration.ofNanos(settings.stepNs()).toString()
                .substring(2).toLowerCase(Locale.ROOT) : "";
        System.err.printf(Locale.ROOT, "training on %d rows x %d metrics%s (%s)%n", t.rows().length, t.metrics().size(), step, c);
        // the ids a window must match (a join's cpu.usage_user, or the field names): shown nowhere else
        System.err.println("metric ids (fields the task's windows must carry): " + ids(t.metrics()));
        long t0 = System.nanoTime();
        int[] epochs = {0};
        VaeModel m;
        try (TrainProgress p = new TrainProgress("train", c.epochs())) {
            m = VaeTrainer.train(t.rows(), t.metrics(), c, (e, n, tl, vl, b) -> {
                epochs[0] = e;
                return p.epoch(e, n, tl, vl, b);
            });
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        Threshold thr = settings.threshold();
        double[] calibration = m.calibrationSorted(settings.smooth());
        if (calibration.length == 0 || !Double.isFinite(calibration[calibration.length - 1])) {
            System.err.println("anteater train: " + input + ": training gave no finite scores (loss not finite?); no model written");
            return 1;
        }
        double threshold = thr.of(calibration, anteater.detect.vae.VaeDetector.thresholdFloor(m)); // as the agent fixes it
        String few = thr.fewScores(calibration);
        if (few != null) System.err.println("anteater train: " + input + ": warning: " + few);
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(tmp, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            OutputStream os = new BufferedOutputStream(java.nio.channels.Channels.newOutputStream(ch));
            m.write(os);
            os.flush();
            ch.force(true); // on disk before the rename makes it the model
        }
        Files.move(tmp, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        syncDirectory(out);
        System.err.printf(Locale.ROOT, "trained in %.1f s (%d epoch%s, %.2f s/epoch); threshold %.4g (%s, q=%s); wrote %s (%d bytes)%n",
                secs, epochs[0], epochs[0] == 1 ? "" : "s", secs / Math.max(1, epochs[0]), threshold, thr.method(), thr.q(), out,
                Files.size(out));
        return 0;
    }

    /**
     * Puts the rename on disk too: until the directory is synced, a power loss after train exits can bring back the
     * old model (or none) under --out. Best effort: a file system that cannot sync a directory is not an error.
     */
    private static void syncDirectory(Path out) {
        Path dir = out.toAbsolutePath().getParent();
        if (dir == null) return;
        try (java.nio.channels.FileChannel d = java.nio.channels.FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // the model is written and renamed; only its durability across a crash is not known
        }
    }
}
