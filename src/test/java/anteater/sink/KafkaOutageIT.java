package anteater.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import anteater.detect.Options;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The broker goes away for more than 30 s in the middle of a run: once it is back, nothing is missing. */
class KafkaOutageIT {
    static final ObjectMapper M = new ObjectMapper();

    @Test
    void brokerDownForThirtySecondsLosesNothing(@TempDir Path dir) throws Exception {
        KafkaBroker broker = KafkaBroker.start(dir.resolve("kafka"), false);
        // our log lines, also kept in the test's output
        java.io.PrintStream err = System.err;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(new java.io.OutputStream() {
            @Override
            public void write(int b) {
                err.write(b);
                captured.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                err.write(b, off, len);
                captured.write(b, off, len);
            }
        }, true));
        try {
            String[] hp = broker.bootstrap.split(":");
            AnteaterConfig cfg = AnteaterConfig.parse(null, "Kafka:\n  server: " + hp[0] + "\n  port: " + hp[1] + "\n");
            EventSink sink = (EventSink) Sinks.forTask(Options.of("topic", "it_outage", "suppress", Duration.ZERO), cfg,
                    new EventBus());
            QueuedPublisher shared = ((PublisherRegistry.Handle) sink.publisher()).shared();
            // RCA's Kafka input on the same broker: it watches the consumer's real connection-count metric
            var rcaInput = new anteater.rca.KafkaAnomalySource(new org.apache.kafka.clients.consumer.KafkaConsumer<>(
                    KafkaProps.consumer(cfg.kafka(), broker.bootstrap, "it-rca", "it-rca")), "it_outage", e -> { });
            rcaInput.start();
            Set<String> sent = new HashSet<>();
            int n = 0;
            // before: 50 events, 10 per second
            for (; n < 50; n++) sent.add(publish(sink, n));
            Thread.sleep(2000);
            long beforeStop = shared.produced();
            broker.stop();
            long stoppedAt = System.nanoTime();
            // during: 10 per second for 32 s, all into a dead broker
            while (System.nanoTime() - stoppedAt < 32_000_000_000L) {
                sent.add(publish(sink, n++));
            }
            long producedWhileDown = shared.produced() - beforeStop;
            assertTrue(rcaInput.disconnected(), "RCA's input saw no answer for 10 s of the 32 s outage");
            broker.startAgain();
            System.err.println("broker back after " + (System.nanoTime() - stoppedAt) / 1_000_000 + " ms");
            // after: 50 more
            for (int k = 0; k < 50; k++) sent.add(publish(sink, n++));
            sink.close(Duration.ofSeconds(60));
            long until = System.nanoTime() + 60_000_000_000L;
            while (rcaInput.disconnected() && System.nanoTime() < until) Thread.sleep(100);
            assertTrue(!rcaInput.disconnected(), "RCA's input is answered again");
            rcaInput.close();
            System.err.println("outage run: sent " + sent.size() + ", " + shared.summary()
                    + ", produced while down " + producedWhileDown);

            assertEquals(0, shared.dropped());
            assertEquals(0, shared.failed());
            assertEquals(sent.size(), shared.produced());
            var got = broker.read("it_outage", sent.size(), Duration.ofSeconds(90));
            Set<String> ids = new HashSet<>();
            for (ConsumerRecord<String, String> r : got) ids.add(M.readTree(r.value()).at("/Attributes/event_id").asText());
            Set<String> missing = new HashSet<>(sent);
            missing.removeAll(ids);
            assertTrue(missing.isEmpty(), missing.size() + " events lost, e.g. " + missing.stream().limit(3).toList());
            assertEquals(sent.size(), got.size(), "no duplicates (idempotent producer)");
            // the outage is said once by the sink, its end once (not only by the client's per-attempt warnings)
            String log = captured.toString(java.nio.charset.StandardCharsets.UTF_8);
            assertEquals(1, log.split("Kafka has acknowledged none", -1).length - 1, "one WARN for the outage");
            assertEquals(1, log.split("Kafka acknowledges events again", -1).length - 1, "one INFO for its end");
            assertEquals(1, log.split("no answer from any broker", -1).length - 1, "one WARN of RCA's input");
            assertEquals(1, log.split("a broker answers again after", -1).length - 1, "one INFO of RCA's input");
        } finally {
            System.setErr(err);
            broker.stop();
        }
    }

    private static String publish(EventSink sink, int i) throws InterruptedException {
        long t = TestAnomalies.T0_NS + i * 1_000_000_000L;
        sink.publish(TestAnomalies.vaeLike(Map.of("tgid", "p" + i), t));
        Thread.sleep(100);
        return (t / 1_000_000) + "_gala_gopher_proc_p" + i;
    }
}
