package anteater.sink;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The in-process bus of anomaly events: every task node of this JVM posts here, and side paths (RCA) listen.
 * Listeners are called on the poster's thread (a protocol worker): they must only enqueue, never block.
 */
public final class EventBus {
    private static final Logger LOG = LoggerFactory.getLogger(EventBus.class);
    private static final EventBus GLOBAL = new EventBus();

    private final List<Consumer<AnomalyEvent>> listeners = new CopyOnWriteArrayList<>();

    public static EventBus global() {
        return GLOBAL;
    }

    public AutoCloseable subscribe(Consumer<AnomalyEvent> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    public void post(AnomalyEvent e) {
        for (Consumer<AnomalyEvent> l : listeners) {
            try {
                l.accept(e);
            } catch (RuntimeException ex) {
                LOG.warn("event listener failed: {}", ex.toString());
            }
        }
    }
}
