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

    /** Memory is bounded: at most MAX_KEYS groups are remembered, the least recently admitted forgotten first. */
    @Test
    void theLeastRecentlySeenGroupIsForgottenPastTheBound() {
        Suppressor s = new Suppressor(Duration.ofMinutes(10));
        for (int k = 0; k <= Suppressor.MAX_KEYS; k++) assertTrue(s.admit("e" + k, "m", 0)); // one more than the bound
        assertTrue(s.admit("e0", "m", 1), "the oldest group was forgotten, so it is admitted again");
        assertFalse(s.admit("e2", "m", 1), "the next oldest is still remembered");
        assertFalse(s.admit("e" + Suppressor.MAX_KEYS, "m", 1), "the newest too");
        assertTrue(s.interval().equals(Duration.ofMinutes(10)));
    }

    /** A replay that goes back in time inside the interval already reported is held too (|t - last|, not t - last). */
    @Test
    void anEarlierEventWithinTheIntervalIsHeldAndANegativeIntervalSendsEverything() {
        Suppressor s = new Suppressor(Duration.ofMinutes(10));
        assertTrue(s.admit("e", "m", 20 * MIN));
        assertFalse(s.admit("e", "m", 15 * MIN), "5 min earlier: within the interval");
        assertFalse(s.admit("e", "m", 10 * MIN + 1), "just under 10 min earlier");
        assertTrue(s.admit("e", "m", 10 * MIN), "10 min earlier: the interval apart");

        Suppressor neg = new Suppressor(Duration.ofMinutes(-1));
        assertTrue(neg.interval().isZero(), "a negative interval counts as none");
        assertTrue(neg.admit("e", "m", 0));
        assertTrue(neg.admit("e", "m", 0));
    }

    /** Looking a group up (even when it is held) makes it recent: the bound forgets the least recently seen, not the oldest admitted. */
    @Test
    void aHeldGroupCountsAsRecentlySeen() {
        Suppressor s = new Suppressor(Duration.ofMinutes(10));
        for (int k = 0; k < Suppressor.MAX_KEYS; k++) assertTrue(s.admit("e" + k, "m", 0));
        assertFalse(s.admit("e0", "m", 1), "held, and now the most recently seen");
        assertTrue(s.admit("new", "m", 0), "one past the bound");
        assertFalse(s.admit("e0", "m", 2), "e0 was seen recently, so it is still remembered");
        assertTrue(s.admit("e1", "m", 2), "e1 was the least recently seen, so it was forgotten");
    }
}
