package anteater.sink;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The in-process bus of anomaly events: every task node of this JVM posts here, and side paths (RCA) listen.
 * Listeners are called on the poster's thread (a protocol worker): they must only enqueue, never block.
 */
public final class EventBus {
    private static final Logger LOG = LoggerFactory.getLogger(EventBus.class);
    private static final EventBus GLOBAL = new EventBus();

    /** Receives every anomaly event of this JVM; {@code published}: it was sent (not suppressed). */
    public interface Listener {
        void event(AnomalyEvent e, boolean published);
    }

    private final List<Listener> listeners = new CopyOnWriteArrayList<>();

    public AutoCloseable subscribe(Listener listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    public static EventBus global() {
        return GLOBAL;
    }

    /** A published event. */
    public void post(AnomalyEvent e) {
        post(e, true);
    }

    public void post(AnomalyEvent e, boolean published) {
        for (Listener l : listeners) {
            try {
                l.event(e, published);
            } catch (RuntimeException ex) {
                LOG.warn("event listener failed: {}", ex.toString());
            }
        }
    }
}
