package anteater.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import anteater.detect.Anomaly;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** EventFactory on its own: the event's time, ids, machine and the sentence made when the detector gives none. */
class EventFactoryTest {
    final EventFactory factory = new EventFactory(EntityTemplate.parse(null), "sys");

    static Anomaly anomaly(Map<String, String> tags, long timeNs, String description) {
        return new Anomaly("vae", "cpu", tags, timeNs, 60, "usage", 12.3456, 3, 30, null, description, null);
    }

    @Test
    void withoutADescriptionTheEventSaysWhatWasFoundWhere() {
        for (String none : new String[] {null, "", "  "}) {
            AnomalyEvent e = factory.create(anomaly(Map.of("host", "web1", "machine_id", "m1"), 5_000_000L, none));
            assertEquals("usage of m1_cpu_web1 is abnormal (vae, score 12.3, 3 of 30 points)", e.description(),
                    "description " + (none == null ? "null" : "'" + none + "'"));
        }
        assertEquals("detector's own", factory.create(anomaly(Map.of(), 0, "detector's own")).description());
    }

    @Test
    void timeIdsMachineAndEmptyParts() {
        AnomalyEvent e = factory.create(anomaly(Map.of("host", "web1", "machine_id", "m1"), 1_234_999_999L, "d"));
        assertEquals(1234, e.timestampMs(), "nanoseconds truncated to milliseconds");
        assertEquals("m1_cpu_web1", e.entityId());
        assertEquals("1234_m1_cpu_web1", e.eventId());
        assertEquals("sys", e.eventType());
        assertEquals("m1", e.machineId());
        assertEquals(List.of(), e.causes(), "no contributions: an empty list");
        assertEquals(0, e.values().length, "no values: an empty array");

        AnomalyEvent before1970 = factory.create(anomaly(null, -1L, "d"));
        assertEquals(-1, before1970.timestampMs(), "a time before the epoch is floored, not truncated towards 0");
        assertEquals(Map.of(), before1970.labels(), "no tags: no labels");
        assertEquals("", before1970.machineId(), "no machine_id tag: an empty machine");

        assertSame(factory.entity(), factory.entity());
        assertEquals("sys", factory.eventType());
    }
}
