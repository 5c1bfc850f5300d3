package anteater.eval;

/** A way of scoring a dataset's test rows, with thresholds fixed from its training rows only. */
public interface Method {

    /**
     * What a method says of the test rows.
     *
     * @param score     one score per test row, larger = more anomalous
     * @param flag      one verdict per test row
     * @param threshold the score threshold fitted on training rows (NaN if none)
     * @param calibration sorted training scores the threshold was fitted on (null if none)
     * @param sinceTrainingFlag training rows after the last training row the method flagged (its hold-off may
     *                  reach into the test rows); {@code Integer.MAX_VALUE} when none was flagged
     */
    record Result(double[] score, boolean[] flag, double threshold, double[] calibration, int sinceTrainingFlag) {
        public Result(double[] score, boolean[] flag, double threshold, double[] calibration) {
            this(score, flag, threshold, calibration, Integer.MAX_VALUE);
        }
    }

    String name();

    Result run(Dataset d) throws Exception;
}
