package anteater.detect.vae;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import org.junit.jupiter.api.Test;

class NormaliserTest {
    private final double[][] train = {{1, 10, 5}, {3, 10, 5}, {5, 10, 5}};

    @Test
    void standardisesWithTrainingStatistics() {
        Normaliser n = Normaliser.fit(train, 10, 1e-3);
        assertEquals(3, n.mean(0), 1e-12);
        assertEquals(2, n.scale(0), 1e-12);
        double[] out = new double[3];
        n.apply(new double[] {7, 10, 5}, out);
        assertArrayEquals(new double[] {2, 0, 0}, out, 1e-12);
    }

    @Test
    void constantMetricGetsTheFloorAndClipping() {
        Normaliser n = Normaliser.fit(train, 10, 1e-3);
        assertEquals(1e-3, n.scale(1), 0);
        double[] out = new double[3];
        n.apply(new double[] {3, 10.005, -1e9}, out);
        assertArrayEquals(new double[] {0, 5, -10}, out, 1e-9);
        n.apply(new double[] {3, 11, 5}, out);
        assertEquals(10, out[1], 0, "clipped");
    }

    @Test
    void neverRefitsAtInference() {
        Normaliser n = Normaliser.fit(train, 10, 1e-3);
        double[][] shifted = n.apply(new double[][] {{103, 10, 5}, {105, 10, 5}});
        assertEquals(10, shifted[0][0], 0, "scaled by the training statistics, not the new rows'");
        assertEquals(3, n.mean(0), 0);
    }

    @Test
    void roundTrip() throws Exception {
        Normaliser n = Normaliser.fit(train, 7, 1e-3);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        n.save(new DataOutputStream(b));
        Normaliser m = Normaliser.load(new DataInputStream(new ByteArrayInputStream(b.toByteArray())));
        assertEquals(7, m.clip(), 0);
        for (int j = 0; j < 3; j++) {
            assertEquals(n.mean(j), m.mean(j), 0);
            assertEquals(n.scale(j), m.scale(j), 0);
        }
    }
}
