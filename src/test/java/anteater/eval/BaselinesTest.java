package anteater.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import anteater.detect.vae.Threshold;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The baselines the detectors are measured against (issue 4: beat PCA on 6 of 8 machines), checked against what
 * they are by definition. Mutation testing found no test of them at all.
 */
class BaselinesTest {

    static Dataset dataset(String name, double[][] train, double[][] test) {
        long[] tt = new long[train.length], st = new long[test.length];
        for (int i = 0; i < tt.length; i++) tt[i] = i * 60_000_000_000L;
        for (int i = 0; i < st.length; i++) st[i] = (tt.length + i) * 60_000_000_000L;
        List<String> metrics = new java.util.ArrayList<>();
        for (int j = 0; j < train[0].length; j++) metrics.add("m" + j);
        return new Dataset(name, metrics, train, test, new int[test.length], tt, st);
    }

    static double mean(double[][] rows, int j) {
        double s = 0;
        for (double[] r : rows) s += r[j];
        return s / rows.length;
    }

    static double sd(double[][] rows, int j) {
        double m = mean(rows, j), s = 0;
        for (double[] r : rows) s += (r[j] - m) * (r[j] - m);
        return Math.sqrt(s / (rows.length - 1));
    }

    /** a, b independent; c = a + b exactly: the standardised training rows lie in a plane. */
    static double[][] plane(Random r, int n, double offC) {
        double[][] rows = new double[n][];
        for (int i = 0; i < n; i++) {
            double a = 10 + 3 * r.nextGaussian(), b = -2 + 5 * r.nextGaussian();
            rows[i] = new double[] {a, b, a + b + offC};
        }
        return rows;
    }

    static Threshold fixed(double v) throws Exception {
        return Threshold.parse(Double.toString(v), 0.01);
    }

    @Test
    void zscoreIsTheLargestAbsoluteStandardisedValue() throws Exception {
        Random r = new Random(1);
        double[][] train = plane(r, 300, 0);
        double[][] test = {{10, -2, 8}, {25, -2, 8}, {10, -40, 8}, {mean(train, 0), mean(train, 1), mean(train, 2)}};
        Method.Result res = Baselines.zscore(fixed(3)).run(dataset("z", train, test));
        for (int i = 0; i < test.length; i++) {
            double m = 0;
            for (int j = 0; j < 3; j++) m = Math.max(m, Math.abs(test[i][j] - mean(train, j)) / sd(train, j));
            assertEquals(m, res.score()[i], 1e-9, "row " + i);
            assertEquals(m > 3, res.flag()[i], "row " + i);
        }
        assertEquals(0, res.score()[3], 1e-9);
        assertEquals(3.0, res.threshold(), 0);
        double[] cal = res.calibration();
        assertEquals(300, cal.length, "the training rows' scores");
        for (int i = 1; i < cal.length; i++) assertTrue(cal[i - 1] <= cal[i], "sorted");
    }

    @Test
    void pcaScoresTheSquaredDistanceToThePlaneOfTheTrainingRows() throws Exception {
        Random r = new Random(2);
        double[][] train = plane(r, 500, 0);
        // standardised, the plane is sa za + sb zb - sc zc = 0: its unit normal
        double sa = sd(train, 0), sb = sd(train, 1), sc = sd(train, 2);
        double norm = Math.sqrt(sa * sa + sb * sb + sc * sc);
        double[] normal = {sa / norm, sb / norm, -sc / norm};
        double[][] test = new double[40][];
        Random q = new Random(3);
        for (int i = 0; i < test.length; i++) test[i] = plane(q, 1, i % 2 == 0 ? 0 : q.nextGaussian() * 4)[0];
        // the two largest components explain about 2/3 and 1/3 of the variance: 0.9 keeps both, 1.0 is held to 2
        for (double variance : new double[] {0.9, 1.0}) {
            Method.Result res = Baselines.pca(fixed(0.5), variance).run(dataset("p", train, test));
            for (int i = 0; i < test.length; i++) {
                double d = 0;
                for (int j = 0; j < 3; j++) d += normal[j] * (test[i][j] - mean(train, j)) / sd(train, j);
                assertEquals(d * d, res.score()[i], 1e-8, "row " + i + " at variance " + variance);
                if (i % 2 == 0) assertEquals(0, res.score()[i], 1e-8, "on the plane");
            }
            assertTrue(res.calibration()[res.calibration().length - 1] < 1e-8, "every training row is on the plane");
        }
        // full-rank rows: every component is needed for all of the variance, but one is always left out (the
        // smallest), else every row would score 0
        double[][] full = plane(new Random(4), 500, 0);
        for (double[] row : full) row[2] += 2 * r.nextGaussian();
        Method.Result all = Baselines.pca(fixed(0.5), 1.0).run(dataset("f", full, test));
        assertTrue(Arrays.stream(all.score()).filter(v -> v > 1e-3).count() > 10, Arrays.toString(all.score()));
        // keeping one component: what is left is the distance to a line, larger for rows on the plane
        Method.Result one = Baselines.pca(fixed(0.5), 0.0).run(dataset("p", train, test));
        assertTrue(one.score()[0] > 1e-3 || one.score()[2] > 1e-3, Arrays.toString(one.score()));
    }

    @Test
    void aRowIsFlaggedWhenItsScoreIsAboveTheThresholdNotAtIt() throws Exception {
        double[][] train = {{1}, {2}, {3}, {4}};
        double[][] test = {{2}, {5}, {5.0000001}};
        Method.Result res = Baselines.apply(rows -> Arrays.stream(rows).mapToDouble(x -> x[0]).toArray(),
                dataset("a", train, test), fixed(5));
        assertArrayEquals(new double[] {2, 5, 5.0000001}, res.score());
        assertFalse(res.flag()[0]);
        assertFalse(res.flag()[1], "at the threshold");
        assertTrue(res.flag()[2]);
        // a threshold fitted on the training scores (the 1-q quantile, q = 0.25), never the test's
        Method.Result fitted = Baselines.apply(rows -> Arrays.stream(rows).mapToDouble(x -> x[0]).toArray(),
                dataset("a", train, new double[][] {{100}, {3.2}}), Threshold.parse("quantile", 0.25));
        assertEquals(anteater.detect.Pot.quantileSorted(new double[] {1, 2, 3, 4}, 0.75), fitted.threshold(), 0);
        assertArrayEquals(new double[] {1, 2, 3, 4}, fitted.calibration());
    }

    @Test
    void randomScoresDependOnTheSeedAndTheSeriesOnly() throws Exception {
        double[][] train = new double[200][1], test = new double[300][1];
        Method.Result a = Baselines.random(fixed(0.9), 1).run(dataset("machine-1-1", train, test));
        Method.Result b = Baselines.random(fixed(0.9), 1).run(dataset("machine-1-1", train, test));
        Method.Result c = Baselines.random(fixed(0.9), 1).run(dataset("machine-1-2", train, test));
        Method.Result d = Baselines.random(fixed(0.9), 2).run(dataset("machine-1-1", train, test));
        assertArrayEquals(a.score(), b.score());
        assertFalse(Arrays.equals(a.score(), c.score()), "another series");
        assertFalse(Arrays.equals(a.score(), d.score()), "another seed");
        int flagged = 0;
        for (int i = 0; i < test.length; i++) {
            assertTrue(a.score()[i] >= 0 && a.score()[i] < 1);
            if (a.flag()[i]) flagged++;
            assertEquals(a.score()[i] > 0.9, a.flag()[i]);
        }
        assertTrue(flagged > 10 && flagged < 60, flagged + " of 300 above 0.9");
        assertEquals(List.of("random", "zscore", "pca"), List.of(Baselines.random(fixed(1), 1).name(),
                Baselines.zscore(fixed(1)).name(), Baselines.pca(fixed(1), 0.9).name()));
    }
}
