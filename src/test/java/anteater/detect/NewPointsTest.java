package anteater.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.Map;
import org.junit.jupiter.api.Test;

class NewPointsTest {
    static final long S = 1_000_000_000L;

    static Window window(String group, long tmax, long... times) {
        Window w = new Window("m", group, Map.of(), false, times.length);
        for (long t : times) {
            w.notePoint(t * S);
            w.add("x", t * S, t);
            w.add("y", t * S, -t);
        }
        w.end(null, null, null, false, tmax * S);
        return w;
    }

    @Test
    void windowsThatDoNotOverlapAreHandedOnAsTheyAre() {
        NewPoints p = new NewPoints(10, "test");
        Window a = window("g", 3, 0, 1, 2);
        Window b = window("g", 6, 3, 4, 5);
        assertSame(a, p.of(a));
        assertSame(b, p.of(b));
        assertEquals(0, p.cut());
    }

    @Test
    void anOverlappingWindowKeepsWhatItAddsAndItsEnd() {
        NewPoints p = new NewPoints(10, "test");
        p.of(window("g", 3, 0, 1, 2));
        Window w = p.of(window("g", 5, 1, 2, 3, 4));
        assertEquals(2, w.points());
        assertEquals(3 * S, w.tmin());
        assertEquals(5 * S, w.tmax());
        assertEquals(3, w.series("x").value(0));
        assertEquals(-4, w.series("y").value(1));
        assertEquals(4, p.cut(), "two values of two fields");
        // a late point (older than the newest handed on) is cut too; a window of nothing new is empty
        Window late = p.of(window("g", 6, 2));
        assertEquals(0, late.points());
        assertEquals(6 * S, late.tmin());
        // groups are apart: another group's first window is whole
        Window other = window("h", 5, 1, 2, 3, 4);
        assertSame(other, p.of(other));
    }

    @Test
    void aForgottenGroupIsHandedOnWhole() {
        NewPoints p = new NewPoints(1, "test");
        p.of(window("g", 3, 0, 1, 2));
        p.of(window("h", 3, 0, 1, 2)); // g is forgotten: at most one group remembered
        Window again = window("g", 4, 1, 2, 3);
        assertSame(again, p.of(again));
    }
}
