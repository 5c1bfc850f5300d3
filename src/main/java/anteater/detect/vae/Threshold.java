package anteater.detect.vae;

import anteater.detect.OptionException;
import anteater.detect.Pot;

/**
 * How a score threshold is fixed from calibration (training) scores: {@code pot} (peaks over threshold with
 * risk q), {@code quantile} (the 1-q quantile), or a number (fixed).
 */
public record Threshold(String method, double fixed, double q) {
    /** Quantile of POT's initial threshold. */
    public static final double POT_LEVEL = 0.98;

    public static Threshold parse(String spec, double q) throws OptionException {
        if (!(q > 0 && q < 1)) throw new OptionException("option 'q' must be a risk in (0, 1), e.g. 0.001; got " + q);
        String s = spec.trim();
        if (s.equals("pot") || s.equals("quantile")) return new Threshold(s, Double.NaN, q);
        try {
            double v = Double.parseDouble(s);
            if (Double.isFinite(v)) return new Threshold("fixed", v, q);
        } catch (NumberFormatException ignored) {
            // fall through
        }
        throw new OptionException("option 'threshold' must be pot, quantile or a number; got '" + spec + "'");
    }

    /**
     * A warning when the sorted calibration scores are too few to fix this threshold as asked, else null: POT fits
     * its tail on the scores above its initial threshold (the top 2 %) and falls back to a plain quantile with fewer
     * than 3 of them or a risk outside that tail (fewer than about 150 scores at q = 0.01); a quantile of fewer than
     * 1/q scores is their maximum.
     */
    public String fewScores(double[] sortedCalibration) {
        int n = sortedCalibration.length;
        if (method.equals("fixed") || n == 0) return null;
        if (method.equals("pot")) {
            Pot.Fit f = Pot.fit(sortedCalibration, q, POT_LEVEL);
            if (f.peaks() >= 3 && q * n < f.peaks()) return null;
            return "POT has " + f.peaks() + " of " + n + " calibration scores in its tail, too few for a tail fit at q=" + q
                    + ": the threshold is their plain 1-q quantile; train on more rows (the newest 20 % give the scores)";
        }
        if (q * n >= 1) return null;
        return "the 1-q quantile of " + n + " calibration scores at q=" + q + " is their maximum; train on more rows "
                + "(the newest 20 % give the scores) or raise q";
    }

    /**
     * The threshold for sorted calibration scores, at least {@code floor} unless fixed by the user: a group whose
     * rows the model reconstructs all but perfectly (constant metrics) has calibration scores of about 1e-5, and a
     * fine-tuned model's scores a hair above them were anomalous for ever.
     */
    public double of(double[] sortedCalibration, double floor) {
        double t = of(sortedCalibration);
        return method.equals("fixed") ? t : Math.max(t, floor);
    }

    /** The threshold for sorted calibration scores; +infinity when there are none. */
    public double of(double[] sortedCalibration) {
        if (method.equals("fixed")) return fixed;
        if (sortedCalibration.length == 0) return Double.POSITIVE_INFINITY;
        if (method.equals("quantile")) return Pot.quantileSorted(sortedCalibration, 1 - q);
        return Pot.fit(sortedCalibration, q, POT_LEVEL).threshold();
    }
}
