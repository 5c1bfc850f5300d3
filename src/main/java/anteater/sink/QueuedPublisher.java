package anteater.sink;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link EventPublisher} with a bounded queue and one delivery thread: {@link #publish} only enqueues (never
 * blocks, whatever the destination does); when the queue is full the event is dropped, counted and logged
 * loudly. {@link #close} delivers what is queued within a deadline, then releases the destination.
 */
abstract class QueuedPublisher implements EventPublisher {
    private static final Logger LOG = LoggerFactory.getLogger(QueuedPublisher.class);
    static final long WARN_EVERY_NS = 30_000_000_000L;

    record Msg(String topic, String key, String json) {
    }

    protected final String name;
    private final BlockingQueue<Msg> queue;
    private final int capacity;
    private final Thread thread;
    private volatile boolean closing;
    private volatile long deadlineNs;
    private volatile boolean started;
    /** Events a subclass holds outside the queue (e.g. parked by topic): they count against the capacity. */
    private final java.util.concurrent.atomic.AtomicInteger aside = new java.util.concurrent.atomic.AtomicInteger();

    final AtomicLong accepted = new AtomicLong();
    final AtomicLong produced = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    final AtomicLong dropped = new AtomicLong();
    final AtomicLong retried = new AtomicLong();
    final AtomicLong undelivered = new AtomicLong();
    private long lastDropWarnNs;
    private long droppedAtLastWarn;

    QueuedPublisher(String name, int capacity) {
        this.name = name;
        this.capacity = capacity;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.thread = new Thread(this::loop, "events-" + name.replaceAll("\\s+", "-"));
        this.thread.setDaemon(true);
    }

    /** Starts the delivery thread; subclasses call this at the end of their constructor. */
    protected final void start() {
        started = true;
        thread.start();
    }

    @Override
    public final void publish(String topic, String key, String json) {
        if (closing) {
            drop("the publisher is closing");
            return;
        }
        Msg m = new Msg(topic, key, json);
        if (hasRoom() && queue.offer(m)) {
            accepted.incrementAndGet();
            // close() may have begun and the delivery thread ended between the check above and the offer: then
            // nobody will take it, so it is counted as dropped instead of staying in the queue unaccounted for
            if (closing && !thread.isAlive() && queue.remove(m)) {
                accepted.decrementAndGet();
                drop("the publisher is closing");
            }
        } else {
            drop("the queue of " + capacity + " events is full (the destination is slow or down)");
        }
    }

    /** Puts a message back after a retriable delivery failure (from any thread). */
    protected final void requeue(Msg m) {
        if (closing) {
            fail(1);
            return;
        }
        retried.incrementAndGet();
        if (!queue.offer(m)) {
            // counted as accepted once already: it is now lost
            accepted.decrementAndGet();
            drop("the queue is full while retrying");
        }
    }

    /** A subclass now holds {@code delta} more (or, negative, fewer) events outside the queue. */
    protected final void aside(int delta) {
        aside.addAndGet(delta);
    }

    /** Whether the queue and the events held aside have room for one more. */
    protected final boolean hasRoom() {
        return queue.size() + aside.get() < capacity;
    }

    /** An event taken from the queue (so counted as accepted) that the subclass cannot hold: dropped, counted. */
    protected final void dropAccepted(String why) {
        accepted.decrementAndGet();
        drop(why);
    }

    /** Milliseconds left before the close deadline (only meaningful once closing; negative once past). */
    protected final long untilDeadlineMs() {
        return TimeUnit.NANOSECONDS.toMillis(deadlineNs - System.nanoTime());
    }

    /** The close deadline has passed (only meaningful once closing). */
    protected final boolean pastDeadline() {
        return closing && System.nanoTime() > deadlineNs;
    }

    private void drop(String why) {
        long n = dropped.incrementAndGet();
        EventStats.DROPPED.incrementAndGet();
        long now = System.nanoTime();
        synchronized (this) {
            if (n == 1 || now - lastDropWarnNs >= WARN_EVERY_NS) {
                LOG.warn("{}: DROPPING anomaly events: {}; {} dropped so far ({} since the last warning)",
                        name, why, n, n - droppedAtLastWarn);
                lastDropWarnNs = now;
                droppedAtLastWarn = n;
            }
        }
    }

    protected final void succeed() {
        produced.incrementAndGet();
        EventStats.PRODUCED.incrementAndGet();
    }

    protected final void fail(long n) {
        failed.addAndGet(n);
        EventStats.FAILED.addAndGet(n);
    }

    /** Whether close() has begun: retriable failures are then final. */
    protected final boolean closing() {
        return closing;
    }

    /**
     * Hands one message to the destination. True: done (delivered, or accepted by an asynchronous client that
     * reports the outcome itself, or failed for good and counted); false: not now, try again after a pause.
     */
    protected abstract boolean deliver(Msg m);

    /** Called when the queue is empty for a moment, and at least every 200 ms under steady traffic (e.g. to flush a file). */
    protected void idle() {
    }

    /** Flushes and releases the destination, waiting at most {@code remaining}. */
    protected abstract void finish(Duration remaining);

    private void loop() {
        Msg pending = null;
        long pauseMs = 100;
        long idleNs = System.nanoTime();
        while (true) {
            try {
                if (pending == null) {
                    pending = queue.poll(closing ? 10 : 200, TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException e) {
                break;
            }
            if (closing && System.nanoTime() > deadlineNs) break;
            if (pending == null) {
                idle();
                idleNs = System.nanoTime();
                if (closing) break;
                EventStats.maybeLog();
                continue;
            }
            boolean done;
            try {
                done = deliver(pending);
            } catch (RuntimeException e) {
                LOG.warn("{}: delivery failed: {}", name, e.toString());
                fail(1);
                done = true;
            }
            EventStats.maybeLog();
            if (done) {
                pending = null;
                pauseMs = 100;
                // under steady traffic the queue is never empty: still flush at least every 200 ms, so that a
                // file's lines are not held in memory (and lost on a kill) for as long as the traffic lasts
                if (System.nanoTime() - idleNs > 200_000_000L) {
                    idle();
                    idleNs = System.nanoTime();
                }
            } else {
                try {
                    long left = closing ? TimeUnit.NANOSECONDS.toMillis(deadlineNs - System.nanoTime()) : pauseMs;
                    Thread.sleep(Math.max(1, Math.min(pauseMs, left)));
                } catch (InterruptedException e) {
                    break;
                }
                pauseMs = Math.min(2000, pauseMs * 2);
            }
        }
        long left = (pending == null ? 0 : 1) + queue.size();
        queue.clear();
        if (left > 0) {
            undelivered.addAndGet(left);
            fail(left);
        }
        finish(Duration.ofNanos(Math.max(0, deadlineNs - System.nanoTime())));
    }

    @Override
    public final void close(Duration deadline) {
        if (!started || closing) return;
        deadlineNs = System.nanoTime() + deadline.toNanos();
        closing = true;
        try {
            thread.join(deadline.toMillis() + 2000);
            if (thread.isAlive()) {
                thread.interrupt();
                thread.join(2000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        String summary = summary();
        if (failed.get() > 0 || dropped.get() > 0) LOG.warn("{}: closed: {}", name, summary);
        else LOG.info("{}: closed: {}", name, summary);
    }

    String summary() {
        return produced.get() + " produced, " + failed.get() + " failed (" + undelivered.get()
                + " still queued at the close deadline), " + dropped.get() + " dropped, " + retried.get() + " retried";
    }

    public long produced() {
        return produced.get();
    }

    public long failed() {
        return failed.get();
    }

    public long dropped() {
        return dropped.get();
    }

    public int queued() {
        return queue.size();
    }

    public String name() {
        return name;
    }
}
