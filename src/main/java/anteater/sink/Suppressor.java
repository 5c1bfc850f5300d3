package anteater.sink;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Lets the same group (measurement and tags) + metric out once per interval of event time (the window's tmax), as gala-anteater's
 * consumers expect; event time makes a replay behave like the live run. Not thread-safe (one task's worker).
 */
public final class Suppressor {
    static final int MAX_KEYS = 100_000;

    private final long intervalMs;
    private final Map<String, Long> lastSent;

    public Suppressor(Duration interval) {
        this.intervalMs = Math.max(0, interval.toMillis());
        this.lastSent = new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
                return size() > MAX_KEYS;
            }
        };
    }

    /** Whether an event of this group (any key naming it exactly) and metric at {@code timeMs} goes out; if so, it is remembered. */
    public boolean admit(String group, String metric, long timeMs) {
        if (intervalMs == 0) return true;
        String key = group + '\u0000' + metric;
        Long last = lastSent.get(key);
        // |t - last| < interval: also holds a replay that goes back in time to the interval it already reported
        if (last != null && Math.abs(timeMs - last) < intervalMs) return false;
        lastSent.put(key, timeMs);
        return true;
    }

    public Duration interval() {
        return Duration.ofMillis(intervalMs);
    }
}
