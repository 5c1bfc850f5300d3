package anteater.eval;

import java.util.List;

/**
 * One labelled series for the evaluation: training rows (thresholds and models are fitted on these only), test
 * rows with a 0/1 label each, and the time of each row.
 *
 * @param name    series name (file stem)
 * @param metrics column names
 * @param train   rows [time][metric] for fitting
 * @param test    rows [time][metric] to judge
 * @param labels  one 0/1 per test row
 * @param trainTimes the time of each training row, ns
 * @param testTimes  the time of each test row, ns (SMD: one minute apart after the training rows; NAB: the file's)
 */
public record Dataset(String name, List<String> metrics, double[][] train, double[][] test, int[] labels,
                      long[] trainTimes, long[] testTimes) {

    public int dims() {
        return metrics.size();
    }

    /** Span of the test rows in days (for false alarms per day). */
    public double testDays() {
        if (testTimes.length < 2) return 0;
        double step = (testTimes[testTimes.length - 1] - testTimes[0]) / (double) (testTimes.length - 1);
        return testTimes.length * step / 86_400e9;
    }
}
