package anteater.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * A topic that never gets metadata (it does not exist and the broker does not create topics: a typo in
 * {@code .topic()}, or {@code gala_cause_inference} not created) must not hold back the events of the other
 * topics. Before, the delivery thread retried its one event for as long as the process ran, and every event of
 * every topic waited behind it until the queue filled and they were dropped.
 */
class KafkaMissingTopicTest {

    /** As KafkaProducer.send() does for a topic without metadata: the callback inside send() with a TimeoutException. */
    static final class NoSuchTopicProducer extends MockProducer<String, String> {
        final AtomicBoolean missingExists = new AtomicBoolean();

        NoSuchTopicProducer() {
            super(true, new StringSerializer(), new StringSerializer());
        }

        @Override
        public synchronized Future<RecordMetadata> send(ProducerRecord<String, String> r, Callback cb) {
            if (r.topic().equals("missing") && !missingExists.get()) {
                TimeoutException e = new TimeoutException("Topic missing not present in metadata after 5000 ms.");
                cb.onCompletion(null, e);
                return CompletableFuture.failedFuture(e);
            }
            return super.send(r, cb);
        }
    }

    @Test
    void aMissingTopicDoesNotHoldBackTheOthers() throws Exception {
        NoSuchTopicProducer producer = new NoSuchTopicProducer();
        KafkaPublisher p = new KafkaPublisher("kafka test", 100, producer);
        p.publish("missing", "k", "{\"n\":0}");
        for (int i = 1; i <= 5; i++) p.publish("good", "k" + i, "{\"n\":" + i + "}");
        waitFor(() -> p.produced() >= 5);
        assertEquals(5, p.produced(), "the good topic's events went, the missing topic's one waits");
        List<String> good = producer.history().stream().filter(r -> r.topic().equals("good")).map(ProducerRecord::value).toList();
        assertEquals(List.of("{\"n\":1}", "{\"n\":2}", "{\"n\":3}", "{\"n\":4}", "{\"n\":5}"), good);

        // the topic is created: its waiting events follow, in order, with the ones that came meanwhile
        p.publish("missing", "k", "{\"n\":6}");
        producer.missingExists.set(true);
        waitFor(() -> p.produced() >= 7);
        List<String> late = producer.history().stream().filter(r -> r.topic().equals("missing")).map(ProducerRecord::value).toList();
        assertEquals(List.of("{\"n\":0}", "{\"n\":6}"), late);
        p.close(Duration.ofSeconds(5));
        assertEquals(7, p.produced());
        assertEquals(0, p.failed());
        assertEquals(0, p.dropped());
    }

    @Test
    void eventsOfATopicThatNeverAppearsAreCountedAtClose() throws Exception {
        NoSuchTopicProducer producer = new NoSuchTopicProducer();
        KafkaPublisher p = new KafkaPublisher("kafka test", 100, producer);
        for (int i = 0; i < 3; i++) p.publish("missing", "k", "{\"n\":" + i + "}");
        p.publish("good", "k", "{}");
        waitFor(() -> p.produced() >= 1);
        p.close(Duration.ofSeconds(2));
        assertEquals(1, p.produced());
        assertEquals(3, p.failed() + p.dropped(), "every event is accounted for");
        assertTrue(p.summary().contains("1 produced"), p.summary());
    }

    /** Waits for a condition (at most 30 s: the assertion after it fails if it never holds). */
    private static void waitFor(java.util.function.BooleanSupplier c) throws InterruptedException {
        long until = System.nanoTime() + 30_000_000_000L;
        while (!c.getAsBoolean() && System.nanoTime() < until) Thread.sleep(20);
    }
}
