package anteater.detect.vae;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import anteater.detect.OptionException;
import anteater.detect.Pot;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The VAE's threshold choices (option {@code threshold}: pot, quantile or a number) and the warning for too few
 * calibration scores. Mutation testing found them reached only through whole trainings (29 % of 35 mutants killed
 * by the tests that train no network).
 */
class ThresholdTest {

    static double[] sortedScores(int n, long seed) {
        Random r = new Random(seed);
        double[] s = new double[n];
        for (int i = 0; i < n; i++) s[i] = Math.exp(r.nextGaussian());
        Arrays.sort(s);
        return s;
    }

    @Test
    void theOptionIsPotQuantileOrAFiniteNumberWithARiskInsideZeroAndOne() throws Exception {
        assertEquals("pot", Threshold.parse("pot", 0.01).method());
        assertEquals("quantile", Threshold.parse(" quantile ", 0.01).method());
        Threshold f = Threshold.parse("2.5", 0.01);
        assertEquals("fixed", f.method());
        assertEquals(2.5, f.fixed(), 0);
        assertEquals(0.01, f.q(), 0);
        assertEquals(-1e-3, Threshold.parse("-1e-3", 0.5).fixed(), 0);
        for (String bad : new String[] {"POT", "median", "", "NaN", "Infinity", "-Infinity", "1,5"}) {
            String m = assertThrows(OptionException.class, () -> Threshold.parse(bad, 0.01), bad).getMessage();
            assertEquals("option 'threshold' must be pot, quantile or a number; got '" + bad + "'", m);
        }
        for (double q : new double[] {0, 1, -0.1, 1.5, Double.NaN}) {
            String m = assertThrows(OptionException.class, () -> Threshold.parse("pot", q), "q " + q).getMessage();
            assertTrue(m.startsWith("option 'q' must be a risk in (0, 1)") && m.endsWith("got " + q), m);
        }
        assertEquals(Double.MIN_VALUE, Threshold.parse("pot", Double.MIN_VALUE).q(), 0, "just above 0");
        assertEquals(Math.nextDown(1.0), Threshold.parse("pot", Math.nextDown(1.0)).q(), 0, "just below 1");
    }

    @Test
    void eachMethodFixesItsThresholdFromTheCalibrationScores() throws Exception {
        double[] s = sortedScores(2000, 1);
        assertEquals(Pot.fit(s, 0.01, Threshold.POT_LEVEL).threshold(), Threshold.parse("pot", 0.01).of(s), 0);
        assertEquals(Pot.quantileSorted(s, 0.99), Threshold.parse("quantile", 0.01).of(s), 0);
        assertTrue(Threshold.parse("quantile", 0.01).of(s) > s[1970] && Threshold.parse("quantile", 0.01).of(s) <= s[1990]);
        assertEquals(7.5, Threshold.parse("7.5", 0.01).of(s), 0);
        assertEquals(7.5, Threshold.parse("7.5", 0.01).of(new double[0]), 0, "a fixed threshold needs no scores");
        assertEquals(Double.POSITIVE_INFINITY, Threshold.parse("pot", 0.01).of(new double[0]));
        assertEquals(Double.POSITIVE_INFINITY, Threshold.parse("quantile", 0.01).of(new double[0]));
        // the floor: raises a fitted threshold, never a fixed one
        double[] tiny = {1e-6, 2e-6, 3e-6, 4e-6};
        assertEquals(0.5, Threshold.parse("quantile", 0.25).of(tiny, 0.5), 0);
        assertEquals(0.5, Threshold.parse("pot", 0.25).of(tiny, 0.5), 0);
        assertEquals(1e-9, Threshold.parse("1e-9", 0.25).of(tiny, 0.5), 0);
        assertEquals(Threshold.parse("quantile", 0.01).of(s), Threshold.parse("quantile", 0.01).of(s, 1e-3), 0,
                "a floor below the fit changes nothing");
    }

    @Test
    void tooFewCalibrationScoresAreSaid() throws Exception {
        Threshold pot = Threshold.parse("pot", 0.01), quantile = Threshold.parse("quantile", 0.01);
        assertNull(Threshold.parse("3", 0.01).fewScores(sortedScores(5, 2)), "fixed");
        assertNull(pot.fewScores(new double[0]), "none: nothing to say here (the threshold is infinite)");
        assertNull(quantile.fewScores(new double[0]));
        assertNull(pot.fewScores(sortedScores(5000, 3)), "5,000 scores: 100 in POT's tail");
        String m = pot.fewScores(sortedScores(100, 4));
        Pot.Fit fit = Pot.fit(sortedScores(100, 4), 0.01, Threshold.POT_LEVEL);
        assertEquals("POT has " + fit.peaks() + " of 100 calibration scores in its tail, too few for a tail fit at q=0.01: the"
                + " threshold is their plain 1-q quantile; train on more rows (the newest 20 % give the scores)", m);
        // q x n against the peaks: at q = 0.01, 150 scores give 3 peaks (1.5 < 3); at q = 0.5 the risk is outside the tail
        assertNull(pot.fewScores(sortedScores(150, 5)));
        assertTrue(Threshold.parse("pot", 0.5).fewScores(sortedScores(150, 5)).startsWith("POT has "));
        // a quantile needs 1/q scores
        assertNull(quantile.fewScores(sortedScores(100, 6)), "q x n = 1");
        assertEquals("the 1-q quantile of 99 calibration scores at q=0.01 is their maximum; train on more rows (the newest"
                + " 20 % give the scores) or raise q", quantile.fewScores(sortedScores(99, 7)));
        assertNull(Threshold.parse("quantile", 0.5).fewScores(sortedScores(2, 8)));
    }
}
