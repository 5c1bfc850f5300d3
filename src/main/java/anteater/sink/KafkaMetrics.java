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
     * ({@code producer-metrics}, {@code consumer-metrics}); -1 while it does not report one. An open connection is not
     * an answering broker: the kernel accepts connections for a frozen broker process (see {@link #responseCount}).
     */
    public static LongSupplier connectionCount(Supplier<Map<MetricName, ? extends Metric>> metrics, String group) {
        return metric(metrics, "connection-count", group);
    }

    /**
     * The responses the client has received from any broker so far ({@code response-total} of {@code group}); -1
     * while it does not report one. Only this tells a broker that answers from one that is up but silent (a frozen
     * process, a black-holed network), which keeps its TCP connections: the connection count stays at 1.
     */
    public static LongSupplier responseCount(Supplier<Map<MetricName, ? extends Metric>> metrics, String group) {
        return metric(metrics, "response-total", group);
    }

    /** A metric's value as a long, looked up once and kept: a client's metric objects live as long as the client. */
    private static LongSupplier metric(Supplier<Map<MetricName, ? extends Metric>> metrics, String name, String group) {
        Metric[] found = {null};
        return () -> {
            try {
                if (found[0] == null) {
                    for (Map.Entry<MetricName, ? extends Metric> e : metrics.get().entrySet()) {
                        if (e.getKey().name().equals(name) && e.getKey().group().equals(group)) {
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
