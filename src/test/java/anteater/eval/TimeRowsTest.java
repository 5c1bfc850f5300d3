package anteater.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class TimeRowsTest {

    @Test
    void rowsAreInTimeOrderAsWideAsTheMetricsWithNaNWhereNoValueCame() {
        TimeRows t = new TimeRows();
        t.put(20, t.column("a"), 1);
        t.put(10, t.column("a"), 2);
        t.put(10, t.column("b"), 3); // b appears after the row of time 20 was made: that row is widened with NaN
        t.put(30, t.column("c"), 4);
        t.put(20, t.column("a"), 5); // the last value for a metric at a time wins
        assertEquals(List.of("a", "b", "c"), t.metrics());
        assertEquals(0, t.column("a"));
        assertEquals(2, t.column("c"));
        double[][] rows = t.rows();
        assertEquals(3, rows.length);
        assertArrayEquals(new double[] {2, 3, Double.NaN}, rows[0]);
        assertArrayEquals(new double[] {5, Double.NaN, Double.NaN}, rows[1]);
        assertArrayEquals(new double[] {Double.NaN, Double.NaN, 4}, rows[2]);
    }

    @Test
    void aRowMadeAfterSeveralMetricsHasRoomForAllOfThem() {
        TimeRows t = new TimeRows();
        int a = t.column("a"), b = t.column("b"), c = t.column("c");
        t.put(1, a, 1); // made as wide as the three columns known, so the puts of b and c do not copy it
        t.put(1, c, 3);
        t.put(1, b, 2);
        assertArrayEquals(new double[] {1, 2, 3}, t.rows()[0]);
    }

    @Test
    void noValuesNoRows() {
        TimeRows t = new TimeRows();
        t.column("a");
        assertEquals(0, t.rows().length);
        assertEquals(List.of("a"), t.metrics());
    }
}
