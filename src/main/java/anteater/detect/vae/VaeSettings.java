package anteater.detect.vae;

import anteater.detect.OptionException;
import anteater.detect.Options;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The options of a VAE task, checked: what {@code init} refuses is also refused by {@code train} before it reads its
 * input. All but 'model', which {@link VaeDetector#create(Options, VaeModel)} reads with {@link #readModel}.
 */
public record VaeSettings(VaeConfig config, Threshold threshold, double smooth, double ratio, int warmup, int updateInterval,
                          long stepNs, int topMetrics, int persist, int relearn, int maxGroups, int trainThreads) {

    /** Training threads a task may ask for (option trainThreads). */
    static final int MAX_TRAIN_THREADS = 64;

    /** The network and training settings of the options. */
    public static VaeConfig config(Options o) throws OptionException {
        int latent = o.intIn("latent", 1, 1024, "", "");
        int epochs = o.intIn("epochs", 1, 10_000, "", "");
        double learningRate = o.doubleIn("learningRate", 0, true, 1, true, "");
        double clip = o.doubleIn("clip", 0, true, Double.POSITIVE_INFINITY, true, "");
        int lags = o.intIn("lags", 1, 1000, "steps", "");
        int[] hidden;
        try {
            hidden = VaeConfig.parseHidden(o.getString("hidden"));
        } catch (NumberFormatException e) {
            throw new OptionException("option 'hidden' must be layer sizes separated by commas, e.g. '64,32'; got '"
                    + o.getString("hidden") + "'");
        }
        for (int h : hidden) {
            if (h < 1 || h > 4096) throw new OptionException("option 'hidden': layer sizes must be in [1, 4096], got " + h);
        }
        return VaeConfig.defaults().withNet(hidden, latent, learningRate).withEpochs(epochs).withInput(clip, lags);
    }

    /**
     * Checks every VAE option but 'model' and returns their values: what {@code init} refuses, also refused by
     * {@code train} before it reads its input (it used to check q and threshold only after the training, and smooth
     * not at all).
     */
    public static VaeSettings of(Options o) throws OptionException {
        VaeConfig c = config(o);
        Threshold t = Threshold.parse(o.getString("threshold"), o.getDouble("q"));
        double smooth = o.doubleIn("smooth", 0, true, 1, false, "1: no smoothing");
        double ratio = o.doubleIn("ratio", 0, true, 1, false, "");
        int warmup = o.intIn("warmup", 1, 1_000_000, "windows", "");
        int upd = o.intAtLeast("updateInterval", 0, "windows", "0: never fine-tune");
        long step = o.getDuration("step").toNanos();
        if (step < 0) throw new OptionException("option 'step' must be >= 0 (0: from the data), got " + o.getDuration("step"));
        int top = o.intIn("topMetrics", 1, 1000, "", "");
        int persist = o.intIn("persist", 0, 1_000_000, "steps", "0: off");
        int relearn = o.intIn("relearn", 0, 1_000_000, "windows", "0: never");
        int threads = o.intIn("trainThreads", 1, MAX_TRAIN_THREADS, "threads", "");
        return new VaeSettings(c, t, smooth, ratio, warmup, upd, step, top, persist, relearn, o.maxGroups(), threads);
    }

    /** The pretrained model at {@code path}, or an error for option 'model' saying what is wrong with the file. */
    static VaeModel readModel(String path) throws OptionException {
        Path p = Path.of(path);
        String hint = " (make one with: java -jar anteater.jar train --input FILE --out MODEL)";
        if (Files.isDirectory(p)) throw new OptionException("option 'model': cannot read VAE model '" + path + "': it is a directory" + hint);
        try (InputStream in = new java.io.BufferedInputStream(Files.newInputStream(p))) {
            return VaeModel.read(in);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new OptionException("option 'model': cannot read VAE model '" + path + "': no such file"
                    + (p.isAbsolute() ? "" : " (" + p.toAbsolutePath() + ")") + hint);
        } catch (java.nio.file.AccessDeniedException e) {
            // the file is there: retraining would not help, its permissions (or its directory's) would
            throw new OptionException("option 'model': cannot read VAE model '" + path + "': permission denied (the agent runs as user "
                    + System.getProperty("user.name") + ")");
        } catch (IOException | RuntimeException e) {
            throw new OptionException("option 'model': cannot read VAE model '" + path + "': " + e.getMessage() + hint);
        }
    }
}
