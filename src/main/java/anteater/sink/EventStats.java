package anteater.sink;

import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Process-wide counters of anomaly events, summed over every task and publisher, logged at most once a minute
 * when they changed (and by each publisher when it closes).
 */
public final class EventStats {
    private static final Logger LOG = LoggerFactory.getLogger(EventStats.class);
    static final long PERIOD_NS = 60_000_000_000L;

    public static final AtomicLong PRODUCED = new AtomicLong();
    public static final AtomicLong FAILED = new AtomicLong();
    public static final AtomicLong SUPPRESSED = new AtomicLong();
    public static final AtomicLong DROPPED = new AtomicLong();

    private static final AtomicLong LAST_LOG = new AtomicLong(System.nanoTime());
    private static volatile String lastLine = line();

    private EventStats() {
    }

    static String line() {
        return "events: " + PRODUCED.get() + " produced, " + FAILED.get() + " failed, " + SUPPRESSED.get()
                + " suppressed, " + DROPPED.get() + " dropped";
    }

    /** Logs the counters if a minute has passed since the last line and they changed. */
    static void maybeLog() {
        long now = System.nanoTime();
        long last = LAST_LOG.get();
        if (now - last < PERIOD_NS || !LAST_LOG.compareAndSet(last, now)) return;
        String l = line();
        if (!l.equals(lastLine)) {
            lastLine = l;
            LOG.info("{} (process total)", l);
        }
    }
}
