package anteater.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import anteater.detect.Options;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * A broker whose host name does not resolve yet (kapacitord up before DNS, a compose service whose container is not
 * running): KafkaProducer refuses to be made ("No resolvable bootstrap urls"). Before, that failed the task's init, so
 * a Kafka that was merely away stopped detection.
 */
class KafkaUnresolvableTest {
    static final String PASSWORD = "pw-unresolvable-must-not-leak";

    @Test
    void anUnresolvableBrokerDoesNotFailInit() throws Exception {
        // .invalid never resolves (RFC 6761)
        AnteaterConfig cfg = AnteaterConfig.parse(null, "Kafka:\n  server: broker.anteater-test.invalid\n"
                + "  auth_type: sasl_plaintext\n  username: bob\n  password: " + PASSWORD + "\n  queue_size: 5\n");
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        QueuedPublisher shared;
        try {
            EventSink sink = (EventSink) Sinks.forTask(Options.of("suppress", Duration.ZERO), cfg, new EventBus());
            shared = ((PublisherRegistry.Handle) sink.publisher()).shared();
            for (int i = 0; i < 8; i++) {
                sink.publish(TestAnomalies.vaeLike(Map.of("tgid", "t" + i), TestAnomalies.T0_NS + i * 1_000_000_000L));
            }
            sink.close(Duration.ofSeconds(1));
        } finally {
            System.setErr(err);
        }
        assertEquals(0, shared.produced());
        assertEquals(8, shared.failed() + shared.dropped(), "every event is accounted for");
        String log = captured.toString(StandardCharsets.UTF_8);
        assertTrue(log.contains("resolves (DNS)"), log);
        assertFalse(log.contains(PASSWORD), log);
    }

    @Test
    void theProducerIsMadeOnceTheNameResolves() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        MockProducer<String, String> mock = new MockProducer<>(true, new StringSerializer(), new StringSerializer());
        java.util.function.Supplier<Producer<String, String>> factory = () -> {
            if (attempts.incrementAndGet() < 3) {
                throw new KafkaException("Failed to construct kafka producer",
                        new org.apache.kafka.common.config.ConfigException("No resolvable bootstrap urls given in bootstrap.servers"));
            }
            return mock;
        };
        KafkaPublisher p = new KafkaPublisher("kafka test", 100, factory);
        for (int i = 0; i < 4; i++) p.publish("t", "k" + i, "{\"n\":" + i + "}");
        long until = System.nanoTime() + 60_000_000_000L;
        while (p.produced() < 4 && System.nanoTime() < until) Thread.sleep(20);
        p.close(Duration.ofSeconds(5));
        assertEquals(4, p.produced(), p.summary());
        assertEquals(0, p.failed() + p.dropped(), p.summary());
        assertEquals(4, mock.history().size());
        assertTrue(attempts.get() >= 3);
    }
}
