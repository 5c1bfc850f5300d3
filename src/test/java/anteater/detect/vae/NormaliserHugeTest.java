package anteater.detect.vae;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * A metric of huge values (1e200, 1e308) keeps a finite scale and is normalised as the same values in ordinary
 * units: its scale overflowed to infinity (every value mapped to 0, the metric silently ignored by the model), and
 * near 1e308 its mean did too (train ended "training gave no finite scores").
 */
class NormaliserHugeTest {

    @Test
    void hugeValuesAreNormalisedLikeSmallOnes() {
        for (double unit : new double[] {1e200, 1e300, 1e308}) {
            double[][] rows = new double[50][];
            for (int i = 0; i < rows.length; i++) rows[i] = new double[] {(i % 7) / 10.0, (i % 7) / 10.0 * unit + unit};
            Normaliser n = Normaliser.fit(rows, 4, 1e-3);
            assertTrue(Double.isFinite(n.mean(1)) && Double.isFinite(n.scale(1)) && n.scale(1) > 0,
                    unit + ": mean " + n.mean(1) + " scale " + n.scale(1));
            double[] z = new double[2];
            for (double[] r : rows) {
                n.apply(r, z);
                assertEquals(z[0], z[1], 1e-9, unit + ": row " + r[0]);
            }
        }
    }

    @Test
    void ordinaryValuesAreFittedAsBefore() {
        double[][] rows = {{1, 10}, {2, 10}, {3, 10}, {6, 10}};
        Normaliser n = Normaliser.fit(rows, 4, 1e-3);
        assertEquals(3.0, n.mean(0), 0);
        assertEquals(Math.sqrt(14.0 / 3), n.scale(0), 0);
        assertEquals(10.0, n.mean(1), 0);
        assertEquals(1e-3, n.scale(1), 0);
    }

    @Test
    void warmUpGapsOfAHugeMetricTakeAFiniteMean() {
        // a metric near 1e308 that appeared during the warm-up: the sum of its values overflowed, its earlier cells
        // became infinite, the normaliser's mean infinite and its scale NaN, and every score of the model NaN
        double nan = Double.NaN;
        double[][] rows = {{1, nan}, {2, nan}, {3, 1.5e308}, {4, 1.7e308}, {5, 1.6e308}};
        VaeDetector.fillGaps(rows, 2);
        assertEquals(1.6e308, rows[0][1], 1e293);
        assertEquals(1.6e308, rows[1][1], 1e293);
        Normaliser n = Normaliser.fit(rows, 4, 1e-3);
        assertTrue(Double.isFinite(n.mean(1)) && Double.isFinite(n.scale(1)) && n.scale(1) > 0,
                "mean " + n.mean(1) + " scale " + n.scale(1));
        double[][] small = {{1, nan}, {2, 4}, {3, 5}};
        VaeDetector.fillGaps(small, 2);
        assertEquals(4.5, small[0][1], 0, "ordinary columns as before");
    }
}
