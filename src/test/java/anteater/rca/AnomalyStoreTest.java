package anteater.rca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import anteater.sink.AnomalyEvent;
import java.util.List;
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

    static AnomalyEvent ev(String entity, String metric, long t) {
        return Fixtures.event(entity, metric, t, 1, new double[] {1, 2, 3}, "app");
    }

    static List<Long> times(List<AnomalyEvent> es) {
        return es.stream().map(AnomalyEvent::timestampMs).toList();
    }

    @Test
    void anEventSeenTwiceIsKeptOnceAndTheMemoryOfSeenEventsIsBounded() {
        AnomalyStore s = new AnomalyStore(1000, 10_000, Long.MAX_VALUE);
        AnomalyEvent first = ev("m1_a", "cpu", 1000);
        assertTrue(s.add(first));
        assertFalse(s.add(first), "same event id and metric");
        assertFalse(s.add(ev("m1_a", "cpu", 1000)), "an equal event, as read again from Kafka");
        assertTrue(s.add(ev("m1_a", "mem", 1000)), "same event id, another metric");
        assertEquals(2, s.size());
        assertEquals(6, s.values());
        // it remembers max(1024, 4 x maxEntities) = 4,000 events: 3,998 more and the first is still known
        for (int i = 0; i < 3998; i++) s.add(ev("m1_b", "m" + i, 2000));
        assertFalse(s.add(first));
        s.add(ev("m1_b", "one more", 2000));
        assertTrue(s.add(first), "forgotten: the 4,001st");
        AnomalyStore small = new AnomalyStore(10, 10_000, Long.MAX_VALUE);
        assertTrue(small.add(first));
        for (int i = 0; i < 1023; i++) small.add(ev("m1_b", "m" + i, 2000));
        assertFalse(small.add(first), "at least 1,024 are remembered");
        small.add(ev("m1_b", "one more", 2000));
        assertTrue(small.add(first));
    }

    @Test
    void theLeastRecentlyUpdatedOrReadEntityGoesFirst() {
        AnomalyStore s = new AnomalyStore(2, 64, Long.MAX_VALUE);
        s.add(ev("m1_a", "cpu", 1000));
        s.add(ev("m1_b", "cpu", 1000));
        assertEquals(2, s.entities(), "two entities fit");
        s.add(ev("m1_a", "cpu", 2000)); // a updated: b is now the least recent
        s.add(ev("m1_c", "cpu", 3000));
        assertEquals(List.of(), s.between("m1_b", 0, Long.MAX_VALUE));
        assertEquals(List.of(1000L, 2000L), times(s.between("m1_a", 0, Long.MAX_VALUE)));
        assertEquals(3, s.size(), "b's event left the count");
        assertEquals(9, s.values());
        // reading an entity's events counts as using it: c, read after a, stays
        s.between("m1_c", 0, Long.MAX_VALUE);
        s.add(ev("m1_d", "cpu", 4000));
        assertEquals(List.of(), s.between("m1_a", 0, Long.MAX_VALUE));
        assertEquals(2, s.entities());
        assertEquals(2, s.size());
        assertEquals(6, s.values());
    }

    @Test
    void eventsOlderThanTheRetentionArePrunedEvery256Adds() {
        AnomalyStore s = new AnomalyStore(1000, 1000, 1000);
        s.add(ev("m1_a", "cpu", 0));
        s.add(ev("m1_b", "cpu", 9000)); // exactly retention behind the watermark below: kept
        for (int i = 0; i < 253; i++) s.add(ev("m1_c", "m" + i, 10_000));
        assertEquals(255, s.size(), "255 adds: not pruned yet");
        assertEquals(3, s.entities());
        s.add(ev("m1_c", "m253", 10_000));
        assertEquals(255, s.size(), "the 256th add prunes a's event");
        assertEquals(2, s.entities(), "and a, left empty");
        assertEquals(255 * 3, s.values());
        assertEquals(List.of(9000L), times(s.between("m1_b", 0, Long.MAX_VALUE)));
    }

    @Test
    void theWatermarkIsTheNewestEventTimeNeverBeyondTheCallersClock() {
        AnomalyStore s = new AnomalyStore(1000, 64, 1000);
        assertEquals(Long.MIN_VALUE, s.watermarkMs());
        s.add(ev("m1_a", "cpu", 1_000_000_000_000L), 5000);
        assertEquals(5000, s.watermarkMs(), "an event stamped ahead of the clock");
        s.add(ev("m1_a", "mem", 3000));
        assertEquals(5000, s.watermarkMs(), "an older event does not move it back");
        s.add(ev("m1_a", "disk", 6000));
        assertEquals(6000, s.watermarkMs());
        assertEquals(3, s.between("m1_a", 0, Long.MAX_VALUE).size(), "the early-stamped event is kept");
    }

    @Test
    void betweenIsInclusiveAndInTimeOrder() {
        AnomalyStore s = new AnomalyStore(1000, 64, Long.MAX_VALUE);
        s.add(ev("m1_a", "cpu", 3000));
        s.add(ev("m1_a", "cpu", 1000));
        s.add(ev("m1_a", "cpu", 2000));
        s.add(ev("m1_a", "cpu", 4000));
        assertEquals(List.of(1000L, 2000L, 3000L, 4000L), times(s.between("m1_a", 0, Long.MAX_VALUE)));
        assertEquals(List.of(2000L, 3000L), times(s.between("m1_a", 2000, 3000)));
        assertEquals(List.of(), s.between("m1_a", 2001, 2999));
        assertEquals(List.of(), s.between("m1_x", 0, Long.MAX_VALUE));
    }
}
