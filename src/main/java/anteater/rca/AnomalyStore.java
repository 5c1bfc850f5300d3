package anteater.rca;

import anteater.sink.AnomalyEvent;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Recent anomaly events by entity, kept for {@code retainMs} of event time behind the newest event seen
 * (the watermark; with {@link #add(AnomalyEvent, long)} never beyond the caller's clock). Bounded: at most {@code maxEntities} entities (least recently used dropped first:
 * an entity is used when an event of it is added or its events are read by {@link #between}, as the neighbours of a
 * KPI being ranked are) and {@code maxPerEntity} events each, and at most {@code maxValues} window values in all
 * (each event carries its window's values; the oldest events of the least recently used entities go first). Duplicates (same event_id and metric, e.g. seen on the bus and again on
 * Kafka) are kept once. Not thread-safe: the RCA thread owns it.
 */
public final class AnomalyStore {
    private final int maxEntities;
    private final int maxPerEntity;
    private final long retainMs;
    private final long maxValues;
    private long values;
    private final LinkedHashMap<String, ArrayDeque<AnomalyEvent>> byEntity = new LinkedHashMap<>(16, 0.75f, true);
    private final LinkedHashMap<String, Boolean> seen;
    private long watermarkMs = Long.MIN_VALUE;
    private int size;
    private long adds;

    /** Window values kept at most by default: 4 million (32 MB). */
    public static final long DEFAULT_MAX_VALUES = 4_000_000L;

    public AnomalyStore(int maxEntities, int maxPerEntity, long retainMs) {
        this(maxEntities, maxPerEntity, retainMs, DEFAULT_MAX_VALUES);
    }

    public AnomalyStore(int maxEntities, int maxPerEntity, long retainMs, long maxValues) {
        this.maxValues = maxValues;
        this.maxEntities = maxEntities;
        this.maxPerEntity = maxPerEntity;
        this.retainMs = retainMs;
        int maxSeen = Math.max(1024, maxEntities * 4);
        this.seen = new LinkedHashMap<>(1024, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > maxSeen;
            }
        };
    }

    /** Adds an event; false if it was seen before (same event_id and metric). */
    public boolean add(AnomalyEvent e) {
        return add(e, Long.MAX_VALUE);
    }

    /**
     * As {@link #add(AnomalyEvent)}, but the watermark moves to {@code notAfterMs} at most (the live engine's wall
     * clock): an event stamped ahead of it (a clock running ahead, a Timestamp in the wrong unit) is kept, but does
     * not move event time, which would release every waiting KPI event at once and age out all evidence behind it.
     */
    public boolean add(AnomalyEvent e, long notAfterMs) {
        String key = e.eventId() + "|" + e.metric();
        if (seen.put(key, Boolean.TRUE) != null) return false;
        long t = Math.min(e.timestampMs(), notAfterMs);
        if (t > watermarkMs) watermarkMs = t;
        ArrayDeque<AnomalyEvent> q = byEntity.computeIfAbsent(e.entityId(), k -> new ArrayDeque<>());
        q.addLast(e);
        size++;
        values += valuesOf(e);
        if (q.size() > maxPerEntity) forget(q.removeFirst());
        while (byEntity.size() > maxEntities) {
            Iterator<Map.Entry<String, ArrayDeque<AnomalyEvent>>> it = byEntity.entrySet().iterator();
            for (AnomalyEvent x : it.next().getValue()) forget(x);
            it.remove();
        }
        // the value budget: oldest events of the least recently used entities first, never the event just added (it
        // is the last of the most recently used entity: when that entity is the eldest it is the only one, and
        // size > 1 leaves its newest event)
        while (values > maxValues && size > 1) {
            Iterator<Map.Entry<String, ArrayDeque<AnomalyEvent>>> it = byEntity.entrySet().iterator();
            ArrayDeque<AnomalyEvent> eldest = it.next().getValue();
            forget(eldest.removeFirst());
            if (eldest.isEmpty()) it.remove();
        }
        prune();
        return true;
    }

    private static long valuesOf(AnomalyEvent e) {
        return e.values() == null ? 0 : e.values().length;
    }

    private void forget(AnomalyEvent e) {
        size--;
        values -= valuesOf(e);
    }

    /** Window values held by the stored events. */
    public long values() {
        return values;
    }

    private void prune() {
        long horizon = watermarkMs - retainMs;
        if (++adds % 256 != 0) return; // amortised: between() filters by time anyway
        for (Iterator<ArrayDeque<AnomalyEvent>> it = byEntity.values().iterator(); it.hasNext(); ) {
            ArrayDeque<AnomalyEvent> q = it.next();
            q.removeIf(x -> {
                boolean old = x.timestampMs() < horizon;
                if (old) forget(x);
                return old;
            });
            if (q.isEmpty()) it.remove();
        }
    }

    /** Events of {@code entityId} with timestamps in [fromMs, toMs], oldest first. */
    public List<AnomalyEvent> between(String entityId, long fromMs, long toMs) {
        ArrayDeque<AnomalyEvent> q = byEntity.get(entityId);
        if (q == null) return List.of();
        List<AnomalyEvent> out = new ArrayList<>();
        for (AnomalyEvent e : q) if (e.timestampMs() >= fromMs && e.timestampMs() <= toMs) out.add(e);
        out.sort((a, b) -> Long.compare(a.timestampMs(), b.timestampMs()));
        return out;
    }

    /** The newest event time seen, or Long.MIN_VALUE. */
    public long watermarkMs() {
        return watermarkMs;
    }

    public int size() {
        return size;
    }

    public int entities() {
        return byEntity.size();
    }
}
