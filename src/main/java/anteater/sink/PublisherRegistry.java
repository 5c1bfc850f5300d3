package anteater.sink;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One publisher per distinct destination in the process (many task nodes share a JVM in socket mode), reference
 * counted: the last handle to close flushes and closes it. A shutdown hook flushes whatever is still open.
 */
final class PublisherRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(PublisherRegistry.class);
    static final Duration SHUTDOWN_DEADLINE = Duration.ofSeconds(5);

    interface Factory {
        QueuedPublisher create() throws ConfigException;
    }

    private static final class Entry {
        final QueuedPublisher publisher;
        int refs;

        Entry(QueuedPublisher publisher) {
            this.publisher = publisher;
        }
    }

    private static final Map<String, Entry> LIVE = new HashMap<>();
    private static boolean hookAdded;

    private PublisherRegistry() {
    }

    /** A handle on the publisher of {@code key}, made by {@code factory} if none is open. Close the handle. */
    static synchronized Handle acquire(String key, Factory factory) throws ConfigException {
        Entry e = LIVE.get(key);
        if (e == null) {
            e = new Entry(factory.create());
            LIVE.put(key, e);
            if (!hookAdded) {
                hookAdded = true;
                Runtime.getRuntime().addShutdownHook(new Thread(PublisherRegistry::closeAll, "events-shutdown"));
            }
        }
        e.refs++;
        return new Handle(key, e.publisher);
    }

    private static void release(String key, QueuedPublisher p, Duration deadline) {
        boolean last;
        synchronized (PublisherRegistry.class) {
            Entry e = LIVE.get(key);
            if (e == null || e.publisher != p) return;
            last = --e.refs == 0;
            if (last) LIVE.remove(key);
        }
        // outside the lock: other tasks may acquire or release while this one flushes
        if (last) p.close(deadline);
    }

    static synchronized int open() {
        return LIVE.size();
    }

    static void closeAll() {
        List<QueuedPublisher> all = new ArrayList<>();
        synchronized (PublisherRegistry.class) {
            for (Entry e : LIVE.values()) all.add(e.publisher);
            LIVE.clear();
        }
        if (!all.isEmpty()) LOG.info("flushing {} event publisher(s) before exit", all.size());
        for (QueuedPublisher p : all) p.close(SHUTDOWN_DEADLINE);
    }

    /** One user's reference to a shared publisher; closing it twice is harmless. */
    static final class Handle implements EventPublisher {
        private final String key;
        private final QueuedPublisher publisher;
        private boolean closed;

        Handle(String key, QueuedPublisher publisher) {
            this.key = key;
            this.publisher = publisher;
        }

        @Override
        public void publish(String topic, String key, String json) {
            publisher.publish(topic, key, json);
        }

        @Override
        public void close(Duration deadline) {
            synchronized (this) {
                if (closed) return;
                closed = true;
            }
            release(key, publisher, deadline);
        }

        QueuedPublisher shared() {
            return publisher;
        }
    }
}
