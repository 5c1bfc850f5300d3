package anteater.sink;

/**
 * Whether Kafka still acknowledges what the delivery thread handed to the client. While a broker is away the client
 * retries quietly (for up to {@code delivery_timeout_ms}) and our counters do not move, so without this an outage in
 * the middle of a run shows only as the client's own per-attempt connection warnings. {@link #check} says once when
 * events have waited {@code graceNs} without any acknowledgement, {@link #acked} once when one comes again.
 * Thread-safe: sends and checks come from the delivery thread, acknowledgements from the client's network thread.
 */
final class AckWatch {
    private final long graceNs;
    private long inFlight;
    /** Since when the events in flight have waited with no acknowledgement (meaningful while inFlight > 0). */
    private long waitingSinceNs;
    private long stalledSinceNs;
    private boolean stalled;

    AckWatch(long graceNs) {
        this.graceNs = graceNs;
    }

    synchronized void sent(long nowNs) {
        if (inFlight++ == 0 && !stalled) waitingSinceNs = nowNs;
    }

    /**
     * One event came back from the client: delivered ({@code ok}) or failed. Returns how long acknowledgements had
     * stopped, in ns, when this ends a stall that {@link #check} reported; else -1.
     */
    synchronized long acked(long nowNs, boolean ok) {
        if (inFlight > 0) inFlight--;
        if (!ok) return -1;
        waitingSinceNs = nowNs;
        if (!stalled) return -1;
        stalled = false;
        return nowNs - stalledSinceNs;
    }

    /** True once per stall: events are in flight and none has been acknowledged for the grace time. */
    synchronized boolean check(long nowNs) {
        if (stalled || inFlight == 0 || nowNs - waitingSinceNs < graceNs) return false;
        stalled = true;
        stalledSinceNs = waitingSinceNs;
        return true;
    }

    long graceNs() {
        return graceNs;
    }

    synchronized boolean stalled() {
        return stalled;
    }

    synchronized long inFlight() {
        return inFlight;
    }
}
