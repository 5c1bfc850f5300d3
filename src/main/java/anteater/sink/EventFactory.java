package anteater.sink;

import anteater.detect.Anomaly;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns any detector's {@link Anomaly} into a gala-level {@link AnomalyEvent}: nothing here depends on which
 * detector found it (the t-test gives one contribution, its field; the VAE its top metrics).
 */
public final class EventFactory {
    private final EntityTemplate entity;
    private final String eventType;

    public EventFactory(EntityTemplate entity, String eventType) {
        this.entity = entity;
        this.eventType = eventType;
    }

    public AnomalyEvent create(Anomaly a) {
        Map<String, String> labels = a.tags() == null ? Map.of() : new LinkedHashMap<>(a.tags());
        long ms = Math.floorDiv(a.timeNs(), 1_000_000L);
        String entityId = entity.render(a.measurement(), labels);
        String machineId = labels.getOrDefault("machine_id", "");
        String description = a.description() == null || a.description().isBlank()
                ? String.format(Locale.ROOT, "%s of %s is abnormal (%s, score %.3g, %d of %d points)", a.metric(),
                        entityId, a.detector(), a.score(), a.anomalyCount(), a.totalCount())
                : a.description();
        return new AnomalyEvent(ms, entityId, ms + "_" + entityId, eventType, machineId, a.measurement(), a.metric(),
                labels, a.score(), a.anomalyCount(), a.totalCount(), a.durationSec(),
                a.contributions() == null ? List.of() : List.copyOf(a.contributions()), description, a.detector(),
                a.values() == null ? new double[0] : a.values());
    }

    public EntityTemplate entity() {
        return entity;
    }

    public String eventType() {
        return eventType;
    }
}
