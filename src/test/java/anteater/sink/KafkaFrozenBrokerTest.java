package anteater.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * A broker that is up but does not answer (a frozen process, a black-holed network) keeps its TCP connections: the
 * kernel accepts them for it. So the client's connection count says nothing about whether a broker answers; before,
 * a send that got no metadata from a frozen broker was logged as "topic not present in metadata although a broker
 * answers: it does not exist ... create it", sending the operator after a topic that was there all along.
 */
class KafkaFrozenBrokerTest {

    /** Every send waits for metadata in vain; the client has one connection and {@code responses} answers so far. */
    static final class NoMetadataProducer extends MockProducer<String, String> {
        final AtomicLong responses = new AtomicLong();
        /** Answers that come in while a send waits (0: none, a frozen broker). */
        volatile long answersDuringSend;

        NoMetadataProducer() {
            super(true, new StringSerializer(), new StringSerializer());
        }

        @Override
        public synchronized Future<RecordMetadata> send(ProducerRecord<String, String> r, Callback cb) {
            responses.addAndGet(answersDuringSend);
            TimeoutException e = new TimeoutException("Topic " + r.topic() + " not present in metadata after 5000 ms.");
            cb.onCompletion(null, e);
            return CompletableFuture.failedFuture(e);
        }

        /** Live metrics, as a client's are: their values change, the objects stay. */
        private final Map<MetricName, Metric> metrics = Map.ofEntries(metric("connection-count", () -> 1.0),
                metric("response-total", () -> (double) responses.get()));

        @Override
        public synchronized Map<MetricName, Metric> metrics() {
            return metrics;
        }

        private static Map.Entry<MetricName, Metric> metric(String name, java.util.function.DoubleSupplier value) {
            MetricName n = new MetricName(name, "producer-metrics", "", Map.of("client-id", "test"));
            return Map.entry(n, new Metric() {
                @Override
                public MetricName metricName() {
                    return n;
                }

                @Override
                public Object metricValue() {
                    return value.getAsDouble();
                }
            });
        }
    }

    static String stallLog(long answersDuringSend) throws Exception {
        NoMetadataProducer producer = new NoMetadataProducer();
        producer.answersDuringSend = answersDuringSend;
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            KafkaPublisher p = new KafkaPublisher("kafka test", 100, producer);
            for (int i = 0; i < 3; i++) p.publish("anomalies", "k" + i, "{}");
            long until = System.nanoTime() + 30_000_000_000L;
            while (!captured.toString(StandardCharsets.UTF_8).contains("its events wait") && System.nanoTime() < until) {
                Thread.sleep(20);
            }
            p.close(Duration.ofMillis(200));
        } finally {
            System.setErr(err);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        err.print(log);
        return log;
    }

    @Test
    void aFrozenBrokerIsNotTakenForAMissingTopic() throws Exception {
        String log = stallLog(0);
        assertTrue(log.contains("its events wait"), log);
        assertFalse(log.contains("although a broker answers"), "no answer came while send waited: " + log);
        assertTrue(log.contains("no broker answered"), log);
        // the close says the same about the events it gives up
        assertTrue(log.contains("events to topic anomalies not delivered: no broker answered"), log);
    }

    @Test
    void aBrokerThatAnswersWithoutTheTopicIsStillAMissingTopic() throws Exception {
        String log = stallLog(3);
        assertTrue(log.contains("although a broker answers"), log);
        assertFalse(log.contains("no broker answered"), log);
    }
}
