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
     */
    record Result(double[] score, boolean[] flag, double threshold, double[] calibration) {
    }

    String name();

    Result run(Dataset d) throws Exception;
}
