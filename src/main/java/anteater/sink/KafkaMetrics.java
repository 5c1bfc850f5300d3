package anteater.sink;

import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

/** What a Kafka client's own metrics tell about its connections (a producer's and RCA's consumer's alike). */
public final class KafkaMetrics {
    private KafkaMetrics() {
    }

    /**
     * The client's open connections now, from the {@code connection-count} metric of {@code group}
     * ({@code producer-metrics}, {@code consumer-metrics}); -1 while it does not report one. The metric is looked up
     * once and kept: a client's metric objects live as long as the client.
     */
    public static LongSupplier connectionCount(Supplier<Map<MetricName, ? extends Metric>> metrics, String group) {
        Metric[] found = {null};
        return () -> {
            try {
                if (found[0] == null) {
                    for (Map.Entry<MetricName, ? extends Metric> e : metrics.get().entrySet()) {
                        if (e.getKey().name().equals("connection-count") && e.getKey().group().equals(group)) {
                            found[0] = e.getValue();
                        }
                    }
                }
                if (found[0] != null && found[0].metricValue() instanceof Number n) return n.longValue();
            } catch (RuntimeException e) {
                // metrics are a hint only
            }
            return -1;
        };
    }
}
