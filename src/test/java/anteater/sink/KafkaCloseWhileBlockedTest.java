package anteater.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.BufferExhaustedException;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * Closing while the client blocks every send for max.block.ms (a frozen broker: its buffer full of unacknowledged
 * events, or no metadata). Seen with a real broker frozen by kill -STOP and 60,000 events: the close retried a
 * parked topic, that send blocked past the deadline, the publisher's close interrupted the delivery thread, and the
 * producer's close then ran interrupted: Kafka logged an ERROR with a stack trace ("Interrupted while joining
 * ioThread"), the close took 7.0 s for a 5 s deadline, and about 19,600 events in the client were never counted.
 */
class KafkaCloseWhileBlockedTest {
    static final long MAX_BLOCK_MS = 4_000;

    /** As KafkaProducer.send() with its buffer full: waits max.block.ms, then the callback inside send(). */
    static class FullBufferProducer extends MockProducer<String, String> {
        final AtomicBoolean closing = new AtomicBoolean();
        final AtomicInteger sendsWhileClosing = new AtomicInteger();
        final AtomicBoolean closedInterrupted = new AtomicBoolean();
        final AtomicBoolean closeCalled = new AtomicBoolean();
        final AtomicInteger sends = new AtomicInteger();

        FullBufferProducer() {
            super(true, new StringSerializer(), new StringSerializer());
        }

        @Override
        public Future<RecordMetadata> send(ProducerRecord<String, String> r, Callback cb) {
            if (closing.get()) sendsWhileClosing.incrementAndGet();
            sends.incrementAndGet();
            try {
                Thread.sleep(MAX_BLOCK_MS);
            } catch (InterruptedException e) {
                throw new InterruptException(e);
            }
            RuntimeException e = blocked(r);
            cb.onCompletion(null, e);
            return CompletableFuture.failedFuture(e);
        }

        /** What a send gets after waiting max.block.ms. */
        RuntimeException blocked(ProducerRecord<String, String> r) {
            return new BufferExhaustedException("Failed to allocate 16384 bytes within the configured max blocking time "
                    + MAX_BLOCK_MS + " ms.");
        }

        @Override
        public void close(Duration timeout) {
            closeCalled.set(true);
            // KafkaProducer.close() joins its network thread: interrupted, it logs an ERROR and gives up the join
            closedInterrupted.set(Thread.currentThread().isInterrupted());
            super.close(timeout);
        }
    }

    /** As KafkaProducer.send() to a topic without metadata (a broker frozen or away since the start): the same wait. */
    static final class NoMetadataProducer extends FullBufferProducer {
        @Override
        RuntimeException blocked(ProducerRecord<String, String> r) {
            return new TimeoutException("Topic " + r.topic() + " not present in metadata after " + MAX_BLOCK_MS + " ms.");
        }
    }

    @Test
    void theCloseStartsNoSendThatWouldBlockPastItsDeadlineAndClosesTheClientUninterrupted() throws Exception {
        FullBufferProducer producer = new FullBufferProducer();
        KafkaPublisher p = new KafkaPublisher("kafka test", 100, () -> producer, KafkaPublisher.ACK_GRACE_NS, MAX_BLOCK_MS);
        for (int i = 0; i < 5; i++) p.publish("anomalies", "k" + i, "{}");
        // the first send has blocked and the topic is parked: its events wait
        long until = System.nanoTime() + 30_000_000_000L;
        while (p.queued() > 0 && System.nanoTime() < until) Thread.sleep(20);
        Thread.sleep(MAX_BLOCK_MS + 200);
        producer.closing.set(true);
        p.close(Duration.ofSeconds(1));
        assertEquals(0, producer.sendsWhileClosing.get(), "a send that blocks for " + MAX_BLOCK_MS
                + " ms started with 1 s left before the close deadline");
        assertTrue(producer.closeCalled.get(), "the client is closed");
        assertFalse(producer.closedInterrupted.get(), "the client is closed on an interrupted thread");
        assertEquals(5, p.produced() + p.failed() + p.dropped(), "every event accounted for: " + p.summary());
    }

    @Test
    void aSendBlockedWhenTheCloseBeginsStillTellsTheBufferIsFull() throws Exception {
        // the close begins while a send waits for buffer space: that send ends with the buffer still full, during the
        // close, and the next one must not be started (it blocks as long, past the deadline)
        closeDuringABlockedSend(new FullBufferProducer());
    }

    @Test
    void aSendBlockedOnMetadataWhenTheCloseBeginsHoldsBackItsTopic() throws Exception {
        // the same with no metadata for the topic: its next event's send would wait as long
        closeDuringABlockedSend(new NoMetadataProducer());
    }

    private static void closeDuringABlockedSend(FullBufferProducer producer) throws Exception {
        KafkaPublisher p = new KafkaPublisher("kafka test", 100, () -> producer, KafkaPublisher.ACK_GRACE_NS, MAX_BLOCK_MS);
        for (int i = 0; i < 5; i++) p.publish("anomalies", "k" + i, "{}");
        long until = System.nanoTime() + 30_000_000_000L;
        while (producer.sends.get() == 0 && System.nanoTime() < until) Thread.sleep(5); // the first send blocks
        producer.closing.set(true);
        p.close(Duration.ofMillis(MAX_BLOCK_MS + 1_000));
        assertEquals(0, producer.sendsWhileClosing.get(), "a send that blocks for " + MAX_BLOCK_MS
                + " ms started after one had just blocked as long, during the close");
        assertFalse(producer.closedInterrupted.get(), "the client is closed on an interrupted thread");
        assertEquals(5, p.produced() + p.failed() + p.dropped(), "every event accounted for: " + p.summary());
    }
}
