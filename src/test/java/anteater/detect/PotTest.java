package anteater.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class PotTest {

    @Test
    void exponentialTailGivesTheTrueQuantile() {
        Random r = new Random(1);
        double[] s = new double[200_000];
        for (int i = 0; i < s.length; i++) s[i] = -Math.log(1 - r.nextDouble());
        Pot.Fit f = Pot.fit(s, 1e-4, 0.98);
        // Exp(1): P(X > z) = q  <=>  z = -ln q = 9.21
        assertEquals(-Math.log(1e-4), f.threshold(), 0.35, "threshold " + f);
        assertEquals(0.0, f.gamma(), 0.05, "shape of an exponential tail " + f);
        assertEquals(1.0, f.sigma(), 0.1, "scale " + f);
        assertEquals(Pot.quantileSorted(java.util.Arrays.stream(s).sorted().toArray(), 0.98), f.initial(), 1e-12);
    }

    @Test
    void paretoTailShapeAndQuantile() {
        // GPD with gamma = 0.25, sigma = 1 above 0: quantile of risk q is ((q)^-gamma - 1) / gamma
        Random r = new Random(2);
        double gamma = 0.25;
        double[] s = new double[100_000];
        for (int i = 0; i < s.length; i++) s[i] = (Math.pow(1 - r.nextDouble(), -gamma) - 1) / gamma;
        Pot.Fit f = Pot.fit(s, 1e-4, 0.95);
        double truth = (Math.pow(1e-4, -gamma) - 1) / gamma; // 36
        assertEquals(gamma, f.gamma(), 0.08, f.toString());
        assertEquals(truth, f.threshold(), truth * 0.2, f.toString());
    }

    @Test
    void boundedTailHasNegativeShapeAndStaysBelowTheEndpoint() {
        // GPD with gamma = -0.3, sigma = 1: bounded by sigma / |gamma| = 3.33
        Random r = new Random(3);
        double gamma = -0.3;
        double[] s = new double[100_000];
        for (int i = 0; i < s.length; i++) s[i] = (Math.pow(1 - r.nextDouble(), -gamma) - 1) / gamma;
        Pot.Fit f = Pot.fit(s, 1e-4, 0.95);
        double truth = (Math.pow(1e-4, -gamma) - 1) / gamma; // 3.10
        assertEquals(gamma, f.gamma(), 0.1, f.toString());
        assertEquals(truth, f.threshold(), 0.1, f.toString());
        assertTrue(f.threshold() < 1 / 0.3 + 0.05, f.toString());
    }

    @Test
    void fewScoresFallBackToTheEmpiricalQuantile() {
        Pot.Fit f = Pot.fit(new double[] {1, 2, 3, 4, 5}, 0.1, 0.98);
        assertEquals(Pot.quantileSorted(new double[] {1, 2, 3, 4, 5}, 0.9), f.threshold(), 1e-12);
    }

    @Test
    void refusesBadRisk() {
        assertThrows(IllegalArgumentException.class, () -> Pot.fit(new double[] {1, 2}, 0, 0.98));
        assertThrows(IllegalArgumentException.class, () -> Pot.fit(new double[] {1, 2}, 1, 0.98));
    }
}
