package anteater.rca;

import anteater.sink.AnomalyEvent;
import anteater.sink.EventBus;
import anteater.sink.EventJson;
import anteater.sink.EventPublisher;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live RCA side path. Anomaly events arrive from the in-process {@link EventBus} (on protocol worker threads)
 * and, when configured, from Kafka; {@link #offer} only enqueues into a bounded queue (a full queue drops and
 * counts), so detection never waits. The engine's own thread stores every event by entity, and holds each
 * triggering (KPI) event until its window [t - valid, t + future] is complete: an event at or after
 * t + future has been seen (event time), or {@code grace} has passed on the wall clock since it arrived. Then it
 * runs the {@link CauseInference} and publishes the cause event to the RCA topic. Failures are skipped (or
 * published with the reason, {@code on_failure: mark}) and logged once per interval per reason.
 */
public final class RcaEngine implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RcaEngine.class);
    private static final int MAX_PENDING = 10_000;
    /** An event stamped further ahead of the wall clock than this is logged (rate-limited). */
    private static final long AHEAD_WARN_MS = 60_000;
    private static RcaEngine instance;

    private record Pending(AnomalyEvent event, long arrivedMs) {
    }

    /** Counters, for logs and tests. */
    public record Stats(long received, long dropped, long duplicates, long inferred, long published, long failed) {
    }

    private final RcaConfig cfg;
    private final CauseInference inference;
    private final EventPublisher publisher;
    private final LongSupplier wallMs;
    private final BlockingQueue<Incoming> queue;

    /** An event and whether it may trigger inference (it was published; suppressed ones are evidence only). */
    private record Incoming(AnomalyEvent event, boolean trigger) {
    }
    private final AnomalyStore store;
    private final List<Pending> pending = new ArrayList<>();
    private final List<Incoming> batch = new ArrayList<>();
    private final Set<String> trigger;
    private final RateLimitedLog warnings;
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong inferred = new AtomicLong();
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final Thread thread;
    private final List<AutoCloseable> inputs = new ArrayList<>();
    private volatile boolean running = true;

    public RcaEngine(RcaConfig cfg, Topology topology, EventPublisher publisher, LongSupplier wallMs) {
        this.cfg = cfg;
        this.inference = new CauseInference(topology, cfg.ranker(), cfg.depth(), cfg.topK());
        this.publisher = publisher;
        this.wallMs = wallMs;
        this.queue = new ArrayBlockingQueue<>(cfg.queue());
        long retain = cfg.valid().toMillis() + cfg.future().toMillis() + 60_000;
        this.store = new AnomalyStore(100_000, 64, retain, AnomalyStore.DEFAULT_MAX_VALUES);
        this.trigger = Set.copyOf(cfg.trigger());
        this.warnings = new RateLimitedLog(LOG, cfg.logInterval().toMillis());
        this.thread = new Thread(this::loop, "rca");
        this.thread.setDaemon(true);
    }

    /**
     * The process-wide engine: made, started and subscribed to {@link EventBus#global()} on the first call with
     * an enabled config (later calls return it unchanged); null when RCA is disabled. Throws
     * IllegalArgumentException when the topology source cannot be opened (bad file, bad URL).
     */
    public static synchronized RcaEngine startOnce(RcaConfig cfg, EventPublisher publisher) {
        if (instance != null) return instance;
        if (!cfg.enabled()) return null;
        Topology t;
        try {
            t = openTopology(cfg);
        } catch (IOException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        RcaEngine e = new RcaEngine(cfg, t, publisher, System::currentTimeMillis);
        // every input that can fail is opened before the thread starts and the bus is subscribed: a failed start
        // leaves nothing running (the topology is closed; the caller releases the publisher)
        if (cfg.kafkaInput()) {
            try {
                e.addInput(KafkaAnomalySource.open(cfg.kafka(), e::offerFromKafka));
            } catch (RuntimeException ex) {
                t.close();
                throw new IllegalArgumentException("Kafka input: " + ex.getMessage(), ex);
            }
        }
        e.start();
        e.subscribe(EventBus.global());
        LOG.info("rca: started, topology {}, depth {}, window -{}s/+{}s, topic {}", t.describe(), cfg.depth(),
                cfg.valid().toSeconds(), cfg.future().toSeconds(), cfg.topic());
        instance = e;
        return e;
    }

    /** The process-wide engine if started, else null. */
    public static synchronized RcaEngine instance() {
        return instance;
    }

    /** Stops the process-wide engine (shutdown hook, tests). */
    public static synchronized void stopInstance() {
        if (instance != null) {
            instance.close();
            instance = null;
        }
    }

    public static Topology openTopology(RcaConfig cfg) throws IOException {
        if (cfg.source().equals("arangodb")) {
            ArangoTopology a = new ArangoTopology(cfg.arango(), cfg.tolerance());
            Thread check = new Thread(() -> {
                try {
                    LOG.info("rca: {} answers, version {}", a.describe(), a.version());
                } catch (TopologyException ex) {
                    LOG.warn("rca: {} (will retry per event)", ex.getMessage());
                }
            }, "rca-check");
            check.setDaemon(true);
            check.start();
            return a;
        }
        if (cfg.file() == null) throw new IOException("Rca.file is required when Rca.source is file");
        return FileTopology.open(cfg.file());
    }

    public void start() {
        thread.start();
    }

    /** Listens to a bus; the listener only enqueues. */
    public void subscribe(EventBus bus) {
        inputs.add(bus.subscribe(this::offer));
    }

    void addInput(AutoCloseable input) {
        inputs.add(input);
    }

    /** Enqueues an event; never blocks. False (and counted) if the queue is full or the engine stopped. */
    public boolean offer(AnomalyEvent e) {
        return offer(e, true);
    }

    /**
     * An event read from the Kafka anomaly topic. One that an anteater agent published ({@code event_source}
     * anteater) is evidence only: its own process infers its causes (from the bus, with the window's values). Every
     * process reads the whole topic, and stdio mode runs one per task node, so before each of them inferred the
     * causes of every other's KPI events too, and one KPI event got a cause event from each process.
     */
    public boolean offerFromKafka(AnomalyEvent e) {
        return offer(e, e == null || !EventJson.SOURCE.equals(e.detector()));
    }

    /** As {@link #offer(AnomalyEvent)}; {@code published} false: evidence only, never a trigger. */
    public boolean offer(AnomalyEvent e, boolean published) {
        if (!running || e == null) return false;
        if (queue.offer(new Incoming(e, published))) {
            received.incrementAndGet();
            return true;
        }
        dropped.incrementAndGet();
        warnings.warn("queue-full", wallMs.getAsLong(), "rca: queue full (" + cfg.queue() + "), events dropped: " + dropped.get());
        return false;
    }

    private void loop() {
        while (running) {
            try {
                Incoming e = queue.poll(200, TimeUnit.MILLISECONDS);
                if (e != null) {
                    batch.add(e);
                    takeQueued();
                }
                processDue();
            } catch (InterruptedException ie) {
                break;
            } catch (RuntimeException | Error ex) {
                // the last line of defence: an Error (out of memory, stack overflow) used to end this thread, and
                // every later KPI event then waited in the queue until dropped; the event in hand is given up
                failed.incrementAndGet();
                warnings.warn("internal", wallMs.getAsLong(), "rca: an inference failed, going on: " + ex);
            }
        }
    }

    /** Takes what waits in the queue (after what {@code batch} holds) into the store and the pending KPI events. */
    private void takeQueued() {
        try {
            queue.drainTo(batch, 1000);
            for (Incoming x : batch) accept(x.event(), x.trigger());
        } finally {
            batch.clear(); // after an Error too: the events in hand are given up, not taken again as duplicates
        }
    }

    private void accept(AnomalyEvent e, boolean mayTrigger) {
        long now = wallMs.getAsLong();
        // event time never runs ahead of the wall clock: one such event would release every waiting KPI event at
        // once, before its future window, and age all evidence out of the store (before: until the agent restarted)
        if (!store.add(e, now)) {
            duplicates.incrementAndGet();
            return;
        }
        if (e.timestampMs() > now + AHEAD_WARN_MS) {
            warnings.warn("ahead", now, "rca: event " + e.eventId() + " is " + (e.timestampMs() - now) / 1000
                    + " s ahead of this host's clock (clock skew, or a Timestamp not in ms); event time is held at the clock");
        }
        if (!mayTrigger || !trigger.contains(e.eventType())) return;
        if (pending.size() >= MAX_PENDING) {
            pending.remove(0);
            failed.incrementAndGet();
            warnings.warn("pending-full", wallMs.getAsLong(), "rca: too many KPI events waiting, oldest dropped");
        }
        pending.add(new Pending(e, now));
    }

    private void processDue() {
        if (pending.isEmpty()) return;
        long now = wallMs.getAsLong();
        long future = cfg.future().toMillis();
        long grace = cfg.grace().toMillis();
        List<Pending> due = new ArrayList<>();
        for (Iterator<Pending> it = pending.iterator(); it.hasNext(); ) {
            Pending p = it.next();
            if (store.watermarkMs() >= p.event().timestampMs() + future || now - p.arrivedMs() >= grace) {
                it.remove();
                due.add(p);
            }
        }
        // the queue is taken between lookups: a topology that answers only at its timeout costs that much per KPI
        // event, and the queue used to wait for all of those due at once (an incident), filling and dropping evidence
        int i = 0;
        try {
            while (i < due.size() && running) {
                infer(due.get(i++).event());
                takeQueued();
            }
        } finally {
            if (i < due.size()) pending.addAll(0, due.subList(i, due.size())); // stopping: still waiting
        }
    }

    private void infer(AnomalyEvent kpi) {
        CauseEvent ce = inference.infer(kpi, store);
        inferred.incrementAndGet();
        if (ce.failed()) {
            failed.incrementAndGet();
            if (CauseInference.NO_CANDIDATES.equals(ce.failure())) {
                LOG.debug("rca: {} of {}: {}", kpi.metric(), kpi.entityId(), ce.message());
            } else {
                warnings.warn(ce.failure(), wallMs.getAsLong(), "rca: no inference (" + ce.failure() + "): " + ce.message());
            }
            if (!cfg.markFailures()) return;
        }
        try {
            publisher.publish(cfg.topic(), kpi.entityId(), ce.toJson());
            published.incrementAndGet();
        } catch (RuntimeException ex) {
            warnings.warn("publish", wallMs.getAsLong(), "rca: publish failed: " + ex);
        }
    }

    public Stats stats() {
        return new Stats(received.get(), dropped.get(), duplicates.get(), inferred.get(), published.get(), failed.get());
    }

    @Override
    public void close() {
        running = false;
        for (AutoCloseable in : inputs) {
            try {
                in.close();
            } catch (Exception ex) {
                LOG.debug("rca: closing an input: {}", ex.toString());
            }
        }
        thread.interrupt();
        try {
            thread.join(5000);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
        }
        inference.topology().close();
        if (!pending.isEmpty()) LOG.info("rca: stopped with {} KPI events not yet inferred", pending.size());
    }
}
