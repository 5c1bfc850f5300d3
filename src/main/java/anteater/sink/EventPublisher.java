package anteater.sink;

import java.time.Duration;

/**
 * Sends JSON events to a named stream: a Kafka topic, or a JSON-lines file by default. {@link #publish} never
 * blocks the caller; delivery problems are counted and logged by the implementation.
 */
public interface EventPublisher extends AutoCloseable {

    void publish(String topic, String key, String json);

    void close(Duration deadline);

    @Override
    default void close() {
        close(Duration.ofSeconds(5));
    }
}
