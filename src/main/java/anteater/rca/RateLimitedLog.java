package anteater.rca;

import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;

/** Logs a warning per key at most once per interval, with how many were held back since the last line. */
final class RateLimitedLog {
    private final Logger log;
    private final long intervalMs;
    private final Map<String, long[]> last = new HashMap<>(); // key -> {last logged ms, suppressed count}

    RateLimitedLog(Logger log, long intervalMs) {
        this.log = log;
        this.intervalMs = intervalMs;
    }

    /** True if the line was logged. */
    synchronized boolean warn(String key, long nowMs, String message) {
        long[] s = last.get(key);
        if (s != null && nowMs - s[0] < intervalMs) {
            s[1]++;
            return false;
        }
        long held = s == null ? 0 : s[1];
        last.put(key, new long[] {nowMs, 0});
        if (held > 0) log.warn("{} ({} more like it in the last interval)", message, held);
        else log.warn("{}", message);
        return true;
    }
}
