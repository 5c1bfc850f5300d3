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

    /** The threshold for sorted calibration scores; +infinity when there are none. */
    public double of(double[] sortedCalibration) {
        if (method.equals("fixed")) return fixed;
        if (sortedCalibration.length == 0) return Double.POSITIVE_INFINITY;
        if (method.equals("quantile")) return Pot.quantileSorted(sortedCalibration, 1 - q);
        return Pot.fit(sortedCalibration, q, POT_LEVEL).threshold();
    }
}
