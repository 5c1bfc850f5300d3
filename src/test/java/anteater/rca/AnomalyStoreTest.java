package anteater.rca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The store of recent anomaly events is bounded by the window values its events carry, not only by their count. */
class AnomalyStoreTest {
    @Test
    void theValueBudgetDropsTheOldestEventsOfTheLeastRecentlyUpdatedEntities() {
        AnomalyStore s = new AnomalyStore(1000, 64, 3_600_000, 10_000);
        double[] window = new double[1000]; // an hour window at 3.6 s: 1,000 values an event
        for (int i = 0; i < 5; i++) s.add(Fixtures.event("m1_a", "cpu", 1_000 + i * 10_000L, 1, window, "app"));
        for (int i = 0; i < 5; i++) s.add(Fixtures.event("m1_b", "cpu", 2_000 + i * 10_000L, 1, window, "app"));
        assertEquals(10, s.size());
        assertEquals(10_000, s.values());
        // one more: a's oldest goes (a was updated least recently), b keeps all of its events
        s.add(Fixtures.event("m1_c", "cpu", 60_000, 1, window, "app"));
        assertEquals(10, s.size());
        assertEquals(10_000, s.values());
        assertEquals(4, s.between("m1_a", 0, Long.MAX_VALUE).size());
        assertEquals(11_000, s.between("m1_a", 0, Long.MAX_VALUE).get(0).timestampMs());
        assertEquals(5, s.between("m1_b", 0, Long.MAX_VALUE).size());
        assertEquals(1, s.between("m1_c", 0, Long.MAX_VALUE).size());
        // an event larger than the whole budget is still kept alone (the newest evidence), the rest make room
        s.add(Fixtures.event("m1_d", "cpu", 70_000, 1, new double[20_000], "app"));
        assertEquals(1, s.size());
        assertEquals(1, s.between("m1_d", 0, Long.MAX_VALUE).size());
        assertEquals(0, s.entities() - 1);
        // time pruning and per-entity bounds keep the count in step
        AnomalyStore t = new AnomalyStore(1000, 3, 3_600_000, 1_000_000);
        for (int i = 0; i < 10; i++) t.add(Fixtures.event("m1_a", "cpu", i * 1000L, 1, window, "app"));
        assertEquals(3, t.size());
        assertEquals(3_000, t.values());
        assertTrue(AnomalyStore.DEFAULT_MAX_VALUES >= 1_000_000);
    }
}
