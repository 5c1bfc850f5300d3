package anteater.sink;

import anteater.detect.Anomaly;
import java.time.Duration;

/** Where anomalies go besides Kapacitor. {@link #publish} never blocks the caller (the protocol loop). */
public interface AnomalySink extends AutoCloseable {

    void publish(Anomaly anomaly);

    /** Flushes what is queued, waiting at most {@code deadline}, then releases resources. */
    void close(Duration deadline);

    @Override
    default void close() {
        close(Duration.ofSeconds(5));
    }

    AnomalySink NONE = new AnomalySink() {
        @Override
        public void publish(Anomaly anomaly) {
        }

        @Override
        public void close(Duration deadline) {
        }
    };
}
