package anteater.detect.vae;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ThresholdTest {

    @Test
    void aScoreEqualToOneRepeatedCalibrationScoreButForRoundingIsNotAbove() {
        // one repeated calibration score (a constant group): its steady score, computed through other arithmetic
        // (a rescaled smoothing state, a float round trip), may come out a rounding step above it
        double v = 4.398209784994833E-5;
        double[] cal = new double[200];
        Arrays.fill(cal, v);
        for (String method : new String[] {"pot", "quantile"}) {
            double t = new Threshold(method, Double.NaN, 0.01).of(cal);
            assertTrue(Math.nextUp(v) <= t && v * (1 + 1e-7) <= t, method + ": " + t);
            assertTrue(t < v * (1 + 1e-5), method + ": a real rise is still above it, " + t);
        }
        // a fixed threshold is the user's number, as given
        assertEquals(2.5, new Threshold("fixed", 2.5, 0.01).of(cal), 0.0);
        assertEquals(Double.POSITIVE_INFINITY, new Threshold("pot", Double.NaN, 0.01).of(new double[0]));
    }
}
