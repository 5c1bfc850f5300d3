package anteater.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import anteater.detect.Anomaly;
import anteater.detect.Options;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** No broker at all: publishing still never blocks, the overflow is counted, the password is never logged. */
class KafkaUnreachableTest {
    static final String PASSWORD = "pw-that-must-not-leak";

    @Test
    void aDeadBrokerNeverBlocksTheCaller() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // closed again: nothing listens there
        }
        AnteaterConfig cfg = AnteaterConfig.parse(null, "Kafka:\n  server: 127.0.0.1\n  port: " + port
                + "\n  auth_type: sasl_plaintext\n  username: bob\n  password: " + PASSWORD + "\n  queue_size: 50\n");
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        EventSink sink;
        QueuedPublisher shared;
        try {
            sink = (EventSink) Sinks.forTask(Options.of("suppress", Duration.ZERO), cfg, new EventBus());
            shared = ((PublisherRegistry.Handle) sink.publisher()).shared();
            // 500 events: with send() on this thread each one could wait max.block.ms (5 s) for metadata
            assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
                for (int i = 0; i < 500; i++) {
                    Anomaly a = TestAnomalies.vaeLike(Map.of("tgid", "t" + i), TestAnomalies.T0_NS + i * 1_000_000_000L);
                    sink.publish(a);
                }
            });
            assertEquals(500, sink.published.get());
            assertTrue(shared.dropped() >= 449, "the queue holds 50 (+1 in hand): dropped " + shared.dropped());
            // after max.block.ms (5 s) without metadata the event in hand waits, it is not put back at the tail
            long until = System.nanoTime() + 20_000_000_000L;
            while (!captured.toString(StandardCharsets.UTF_8).contains("broker not reachable") && System.nanoTime() < until) {
                Thread.sleep(100);
            }
            assertFalse(captured.toString(StandardCharsets.UTF_8).contains("queueing the event again"),
                    "a broker that is away is no delivery timeout");
            sink.close(Duration.ofSeconds(1));
        } finally {
            System.setErr(err);
        }
        assertEquals(0, shared.produced());
        assertEquals(500, shared.dropped() + shared.failed(), "every event is accounted for");
        String log = captured.toString(StandardCharsets.UTF_8);
        assertTrue(log.contains("DROPPING anomaly events"), "drops are logged loudly");
        assertTrue(log.contains("broker not reachable"), "the outage is named as such");
        assertTrue(log.contains("closed:") && log.contains("failed"), "counters are logged at close");
        assertFalse(log.contains(PASSWORD), "the password appears in no log line");
    }
}
