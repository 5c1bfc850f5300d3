package anteater.sink;

import anteater.detect.Anomaly;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One task node's anomalies as gala events: every anomalous window becomes an {@link AnomalyEvent} posted on the
 * {@link EventBus} (all evidence, for RCA); then suppression decides what goes out, as JSON, to the topic.
 * Runs on the task's worker: building the JSON is cheap and the publisher only enqueues.
 */
final class EventSink implements AnomalySink {
    private static final Logger LOG = LoggerFactory.getLogger(EventSink.class);

    private final EventFactory factory;
    private final Suppressor suppressor;
    private final String topic;
    private final EventPublisher publisher;
    private final EventBus bus;
    final AtomicLong events = new AtomicLong();
    final AtomicLong suppressed = new AtomicLong();
    final AtomicLong published = new AtomicLong();

    EventSink(EventFactory factory, Suppressor suppressor, String topic, EventPublisher publisher, EventBus bus) {
        this.factory = factory;
        this.suppressor = suppressor;
        this.topic = topic;
        this.publisher = publisher;
        this.bus = bus;
    }

    @Override
    public void publish(Anomaly anomaly) {
        try {
            AnomalyEvent e = factory.create(anomaly);
            events.incrementAndGet();
            // keyed on the group itself (measurement and raw tags), not the rendered entity_id, which gala's
            // character rules and length limit can make equal for different groups
            boolean admitted = suppressor.admit(groupKey(e), e.metric(), e.timestampMs());
            // every anomalous window is evidence for RCA; only a published one may trigger a cause event, whose
            // event_id a consumer must be able to join to an event on the anomaly topic
            bus.post(e, admitted);
            if (!admitted) {
                suppressed.incrementAndGet();
                EventStats.SUPPRESSED.incrementAndGet();
                return;
            }
            publisher.publish(topic, e.entityId(), EventJson.toJson(e));
            published.incrementAndGet();
        } catch (RuntimeException ex) {
            LOG.warn("anomaly event of {} not sent: {}", anomaly.measurement(), ex.toString());
        }
    }

    static String groupKey(AnomalyEvent e) {
        StringBuilder b = new StringBuilder(e.measurement() == null ? "" : e.measurement());
        new java.util.TreeMap<>(e.labels()).forEach((k, v) -> b.append('\u0000').append(k).append('=').append(v));
        return b.toString();
    }

    @Override
    public void close(Duration deadline) {
        LOG.info("task events: {} anomalous windows, {} suppressed (interval {}), {} handed to {}", events.get(),
                suppressed.get(), suppressor.interval(), published.get(), topic);
        publisher.close(deadline);
    }

    String topic() {
        return topic;
    }

    EventPublisher publisher() {
        return publisher;
    }
}
