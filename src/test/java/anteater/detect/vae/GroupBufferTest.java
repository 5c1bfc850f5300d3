package anteater.detect.vae;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayDeque;
import org.junit.jupiter.api.Test;

/** A group's row buffer is bounded by rows and by values: a wide group keeps fewer rows. */
class GroupBufferTest {
    private static int kept(int width, int offered) {
        ArrayDeque<double[]> rows = new ArrayDeque<>();
        for (int i = 0; i < offered; i++) {
            double[] r = new double[width];
            r[0] = i;
            GroupState.keep(rows, r);
        }
        assertEquals(offered - 1, rows.peekLast()[0], 0.0, "the newest row is kept");
        return rows.size();
    }

    @Test
    void wideGroupsKeepFewerRows() {
        assertEquals(20_000, kept(38, 25_000)); // SMD's 38 metrics: the row bound
        assertEquals(10_000, kept(100, 25_000)); // 1 million values
        assertEquals(100, kept(10_000, 300));
        assertEquals(2, kept(2_000_000, 5));
    }
}
