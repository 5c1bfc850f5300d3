package anteater.detect.vae;

/**
 * Smoothing of step scores by an exponentially weighted moving average in log space:
 * {@code m_t = alpha * ln(1 + x_t) + (1 - alpha) * m_(t-1)}, smoothed score {@code e^m_t - 1}, started at the first
 * score. Alpha 1 leaves scores unchanged. In log space a fault's very large scores fade in a few tens of steps
 * after it ends (a plain EWMA of weight 0.05 carried a 20x score over the threshold for about 60 steps). The
 * detector and the threshold's calibration use the same smoothing, so the threshold is fitted on scores of the
 * kind it is compared with.
 */
public final class ScoreSmoother {
    private ScoreSmoother() {
    }

    /**
     * Smooths scores in place from state {@code prev} (the previous log-space mean; NaN: none yet); returns the new
     * state.
     */
    public static double apply(double[] scores, double alpha, double prev) {
        double m = prev;
        for (int i = 0; i < scores.length; i++) {
            double l = Math.log1p(Math.max(0, scores[i]));
            m = Double.isNaN(m) ? l : alpha * l + (1 - alpha) * m;
            scores[i] = alpha == 1 ? scores[i] : Math.expm1(m);
        }
        return m;
    }

    /** A smoothed copy of scores in time order. */
    public static double[] smooth(double[] scores, double alpha) {
        double[] s = scores.clone();
        apply(s, alpha, Double.NaN);
        return s;
    }
}
