package anteater.sink;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SuppressorTest {
    static final long MIN = 60_000;

    @Test
    void sameEntityAndMetricOncePerIntervalOfEventTime() {
        Suppressor s = new Suppressor(Duration.ofMinutes(10));
        assertTrue(s.admit("e1", "rtt", 0));
        assertFalse(s.admit("e1", "rtt", 5 * MIN));
        assertTrue(s.admit("e1", "cpu", 5 * MIN), "another metric of the entity");
        assertTrue(s.admit("e2", "rtt", 5 * MIN), "another entity");
        assertFalse(s.admit("e1", "rtt", 10 * MIN - 1));
        assertTrue(s.admit("e1", "rtt", 10 * MIN), "the interval has passed");
        assertFalse(s.admit("e1", "rtt", 19 * MIN));
    }

    @Test
    void zeroIntervalSendsEverything() {
        Suppressor s = new Suppressor(Duration.ZERO);
        assertTrue(s.admit("e", "m", 1));
        assertTrue(s.admit("e", "m", 1));
    }
}
