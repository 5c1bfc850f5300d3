package anteater.detect.vae;

import java.util.Arrays;

/**
 * How a VAE is built and trained.
 *
 * @param hidden      encoder layer sizes (the decoder mirrors them)
 * @param latent      latent size
 * @param epochs      most epochs of a full training
 * @param learningRate Adam's learning rate
 * @param batch       mini-batch size
 * @param patience    epochs without a better validation loss before stopping
 * @param validation  share of the rows (the last ones, in time order) held out for early stopping
 * @param seed        random seed of weights and shuffling
 * @param clip        normalised values are clipped to [-clip, clip]
 * @param lags        steps per model input: the input of a step is the normalised vectors of it and the
 *                    {@code lags - 1} steps before it, concatenated
 */
public record VaeConfig(int[] hidden, int latent, int epochs, double learningRate, int batch, int patience,
                        double validation, long seed, double clip, int lags) {

    public static final double DEFAULT_CLIP = 4;
    public static final int DEFAULT_LAGS = 10;

    public static VaeConfig defaults() {
        return new VaeConfig(new int[] {64, 32}, 8, 30, 1e-3, 256, 3, 0.2, 42, DEFAULT_CLIP, DEFAULT_LAGS);
    }

    public VaeConfig withSeed(long s) {
        return new VaeConfig(hidden, latent, epochs, learningRate, batch, patience, validation, s, clip, lags);
    }

    public VaeConfig withEpochs(int e) {
        return new VaeConfig(hidden, latent, e, learningRate, batch, patience, validation, seed, clip, lags);
    }

    public VaeConfig withNet(int[] h, int lat, double lr) {
        return new VaeConfig(h, lat, epochs, lr, batch, patience, validation, seed, clip, lags);
    }

    public VaeConfig withInput(double clipTo, int lagCount) {
        return new VaeConfig(hidden, latent, epochs, learningRate, batch, patience, validation, seed, clipTo, lagCount);
    }

    @Override
    public String toString() {
        return "hidden=" + Arrays.toString(hidden) + " latent=" + latent + " epochs=" + epochs + " lr=" + learningRate
                + " batch=" + batch + " patience=" + patience + " validation=" + validation + " clip=" + clip + " lags=" + lags;
    }

    /** Parses "64,32" into layer sizes. */
    public static int[] parseHidden(String s) {
        String[] parts = s.trim().split("\\s*,\\s*", -1); // -1: "64,32," has an empty last part, refused
        int[] h = new int[parts.length];
        for (int i = 0; i < parts.length; i++) h[i] = Integer.parseInt(parts[i]);
        return h;
    }
}
