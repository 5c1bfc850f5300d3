package anteater.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * A broker that goes away in the middle of a run: the client retries quietly, so the publisher itself says once that
 * Kafka has stopped acknowledging, and once that it acknowledges again.
 */
class KafkaAckWatchTest {
    static final long S = 1_000_000_000L;

    @Test
    void aStallIsReportedOnceAndItsEndOnce() {
        AckWatch w = new AckWatch(10 * S);
        assertFalse(w.check(100 * S), "nothing in flight: no stall, however long it has been quiet");
        w.sent(100 * S);
        w.sent(101 * S);
        assertFalse(w.check(109 * S));
        assertTrue(w.check(110 * S), "10 s with no acknowledgement");
        assertFalse(w.check(200 * S), "said once per stall");
        w.sent(150 * S);
        assertEquals(-1, w.acked(160 * S, false), "a failure (delivery timeout) does not end a stall");
        assertTrue(w.stalled());
        assertEquals(110 * S, w.acked(210 * S, true), "stalled since the oldest event was handed over (t=100 s)");
        assertFalse(w.stalled());
        assertEquals(-1, w.acked(211 * S, true), "the end is said once");
        assertEquals(0, w.inFlight());
    }

    @Test
    void acknowledgementsKeepTheWatchQuiet() {
        AckWatch w = new AckWatch(10 * S);
        for (long t = 0; t < 100; t++) {
            w.sent(t * S);
            assertFalse(w.check(t * S + S / 2));
            w.acked(t * S + S / 2, true);
        }
        // a steady backlog that keeps moving is no stall either
        w.sent(200 * S);
        w.sent(200 * S);
        w.acked(208 * S, true);
        assertFalse(w.check(215 * S), "acknowledged 7 s ago");
        assertTrue(w.check(218 * S));
    }

    @Test
    void thePublisherSaysWhenKafkaStopsAndStartsAcknowledging() throws Exception {
        MockProducer<String, String> mock = new MockProducer<>(false, new StringSerializer(), new StringSerializer());
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        KafkaPublisher p;
        String log;
        try {
            p = new KafkaPublisher("kafka test", 100, () -> mock, 1_000_000L);
            for (int i = 0; i < 3; i++) p.publish("t", "k" + i, "{\"n\":" + i + "}");
            long until = System.nanoTime() + 60 * S;
            while (!p.acks.stalled() && System.nanoTime() < until) Thread.sleep(10);
            assertTrue(p.acks.stalled(), "3 events handed over, none acknowledged");
            // the first one times out in the client (queued again), then the broker is back
            mock.errorNext(new TimeoutException("Expiring 1 record(s) after 120000 ms"));
            assertTrue(p.acks.stalled(), "a delivery timeout is no acknowledgement");
            while (mock.completeNext()) {
                // until the three and the re-sent one are acknowledged
                Thread.sleep(1);
            }
            until = System.nanoTime() + 60 * S;
            while (p.produced() < 3 && System.nanoTime() < until) {
                mock.completeNext();
                Thread.sleep(10);
            }
            assertFalse(p.acks.stalled());
            p.close(Duration.ofSeconds(5));
            log = captured.toString(StandardCharsets.UTF_8);
        } finally {
            System.setErr(err);
        }
        assertEquals(3, p.produced(), p.summary());
        assertEquals(1, count(log, "has acknowledged none"), log);
        assertEquals(1, count(log, "acknowledges events again"), log);
    }

    private static int count(String log, String what) {
        int n = 0;
        for (int i = log.indexOf(what); i >= 0; i = log.indexOf(what, i + 1)) n++;
        return n;
    }
}
