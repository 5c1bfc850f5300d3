package anteater.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The process-wide counters' log line: each counter in its place and named (they are logged together, so a swap would mislead). */
class EventStatsTest {
    @Test
    void theLineNamesEachCounter() {
        long p = EventStats.PRODUCED.get(), f = EventStats.FAILED.get(), s = EventStats.SUPPRESSED.get(),
                d = EventStats.DROPPED.get();
        try {
            EventStats.PRODUCED.set(1);
            EventStats.FAILED.set(2);
            EventStats.SUPPRESSED.set(3);
            EventStats.DROPPED.set(4);
            assertEquals("events: 1 produced, 2 failed, 3 suppressed, 4 dropped", EventStats.line());
            EventStats.maybeLog(); // within the first minute nothing is due; it must not throw either way
        } finally {
            EventStats.PRODUCED.set(p);
            EventStats.FAILED.set(f);
            EventStats.SUPPRESSED.set(s);
            EventStats.DROPPED.set(d);
        }
    }
}
